namespace Tributary.Kql.Commands;

/// <summary><c>.show tables</c>.</summary>
public sealed record ShowTablesCommand : ControlCommand;
