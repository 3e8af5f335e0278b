namespace Tributary.Kql.Commands;

/// <summary><c>.show table T policy retention</c>.</summary>
public sealed record ShowRetentionCommand(string Table) : ControlCommand;
