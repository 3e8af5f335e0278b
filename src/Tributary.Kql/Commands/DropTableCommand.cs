namespace Tributary.Kql.Commands;

/// <summary><c>.drop table T [ifexists]</c>.</summary>
public sealed record DropTableCommand(string Table, bool IfExists) : ControlCommand;
