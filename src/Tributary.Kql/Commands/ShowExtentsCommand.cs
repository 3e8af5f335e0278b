namespace Tributary.Kql.Commands;

/// <summary><c>.show table T extents</c>, or <c>.show extents</c> for every table.</summary>
public sealed record ShowExtentsCommand(string? Table) : ControlCommand;
