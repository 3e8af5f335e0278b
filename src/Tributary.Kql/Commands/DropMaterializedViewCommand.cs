namespace Tributary.Kql.Commands;

/// <summary><c>.drop materialized-view V [ifexists]</c>.</summary>
public sealed record DropMaterializedViewCommand(string Name, bool IfExists) : ControlCommand;
