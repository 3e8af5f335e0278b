namespace Tributary.Kql.Commands;

/// <summary><c>.drop extents (id, …) from T</c>, <c>.drop extents from T</c> (all), or <c>.drop extents &lt;| .show table T extents | where …</c>.</summary>
public sealed record DropExtentsCommand(string? Table, IReadOnlyList<Guid>? ExtentIds, ControlCommand? Source) : ControlCommand;
