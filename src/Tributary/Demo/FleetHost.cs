namespace Tributary.Demo;

/// <summary>A host server of the demo fleet: where it runs, which build it runs when, and when it was silent.</summary>
internal sealed class FleetHost(string id, string region, string initialBuild)
{
    private readonly List<(DateTime At, string Build)> _builds = [(DateTime.MinValue, initialBuild)];

    public string Id { get; } = id;

    public string Region { get; } = region;

    /// <summary>The build changes after the initial build, in time order.</summary>
    public IEnumerable<(DateTime At, string Build)> BuildChanges => _builds.Skip(1);

    /// <summary>A span [start, end) in which the host's snapshot agent emitted nothing, if any.</summary>
    public (DateTime Start, DateTime End)? SnapshotGap { get; set; }

    /// <summary>True when the snapshot agent was running at <paramref name="t"/>.</summary>
    public bool Reports(DateTime t) => SnapshotGap is not { } gap || t < gap.Start || t >= gap.End;

    /// <summary>Records that the host moved to <paramref name="build"/> at <paramref name="at"/> (after every earlier change).</summary>
    public void Deploy(DateTime at, string build) => _builds.Add((at, build));

    /// <summary>The build running at <paramref name="t"/>: the last change at or before it.</summary>
    public string BuildAt(DateTime t)
    {
        for (var i = _builds.Count - 1; i > 0; i--)
        {
            if (_builds[i].At <= t)
            {
                return _builds[i].Build;
            }
        }

        return _builds[0].Build;
    }
}
