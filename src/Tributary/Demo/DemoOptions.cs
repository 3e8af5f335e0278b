namespace Tributary.Demo;

/// <summary>Parameters of the demo fleet that <see cref="FleetGenerator"/> plays.</summary>
/// <param name="NowUtc">
/// The anchor time: every generated timestamp and ingestion time is at or before it, and the windows
/// ("the last 6 hours", "the last 5 days") end at it. It is truncated to whole milliseconds, so that
/// every value survives a store with microsecond resolution unchanged. A value of kind
/// <see cref="DateTimeKind.Unspecified"/> is taken as UTC.
/// </param>
/// <param name="Vms">How many virtual machines the fleet has (at least 1).</param>
/// <param name="Hosts">How many host servers the fleet has (at least 1).</param>
/// <param name="Seed">The seed of every random choice: equal options give byte-identical files.</param>
public sealed record DemoOptions(DateTime NowUtc, int Vms = 2000, int Hosts = 200, int Seed = 42);
