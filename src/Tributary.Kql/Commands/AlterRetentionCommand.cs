namespace Tributary.Kql.Commands;

/// <summary><c>.alter[-merge] table T policy retention softdelete = 30d</c>; a null period is <c>.delete table T policy retention</c>.</summary>
public sealed record AlterRetentionCommand(string Table, TimeSpan? SoftDelete) : ControlCommand;
