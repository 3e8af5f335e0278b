using System.Runtime.CompilerServices;

namespace Tributary.Demo;

/// <summary>
/// <c>VMSnapshot</c> rows: each VM reports hourly (at its own phase) over the last 6 hours and again
/// on every change of state or host — creations (Starting→Started), stops, deallocations, deletions
/// (Deleted is the last snapshot), restarts and live migrations.
/// </summary>
internal static class VmSnapshots
{
    public static readonly TimeSpan History = TimeSpan.FromHours(6);

    private static readonly IReadOnlyList<(string Item, double Weight)> Images =
    [
        ("RServer-WS2016", 6), ("WindowsServer-2019-Datacenter", 22), ("WindowsServer-2022-Datacenter", 24),
        ("Ubuntu-20.04-LTS", 16), ("Ubuntu-22.04-LTS", 20), ("RHEL-8.6", 6), ("Debian-11", 4), ("CentOS-7.9", 2),
    ];

    private static readonly IReadOnlyList<(string Item, double Weight)> InitialStates =
        [("Started", 88), ("Stopped", 6), ("Deallocated", 6)];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static List<object?[]> Generate(Fleet fleet, DateTime now, int vmCount, Random rng)
    {
        var start = now - History;
        var byRegion = fleet.Hosts.GroupBy(h => h.Region).ToDictionary(g => g.Key, g => g.ToList());
        var rows = new List<object?[]>(vmCount * 7);
        var snapshots = new List<Snapshot>();
        var changes = new List<Snapshot>();
        for (var i = 0; i < vmCount; i++)
        {
            var special = i == 0;
            var id = special ? FleetGenerator.SpecialVmId : DemoRandom.Guid(rng);
            var host = special ? fleet.SpecialHost : DemoRandom.Pick(rng, fleet.Hosts);
            var image = special ? "RServer-WS2016" : DemoRandom.Weighted(rng, Images);
            changes.Clear();
            DateTime? created = null;
            DateTime? deleted = null;
            var state = "Started";
            var cursor = start;
            if (!special && rng.NextDouble() < 0.10)
            {
                var at = DemoRandom.Between(rng, start, now.AddMinutes(-20));
                created = at;
                cursor = Add(changes, rng, at, host, ("Starting", 0, 0), ("Started", 30, 240));
            }
            else if (!special)
            {
                state = DemoRandom.Weighted(rng, InitialStates);
            }

            var roll = special ? 1.0 : rng.NextDouble();
            var latest = now.AddMinutes(-15);
            if (roll < 0.25 && cursor < latest)
            {
                var at = DemoRandom.Between(rng, Max(cursor, start.AddMinutes(10)), latest);
                var current = changes.Count > 0 ? changes[^1].State : state;
                if (current != "Started")
                {
                    if (roll < 0.15)
                    {
                        Add(changes, rng, at, host, ("Starting", 0, 0), ("Started", 30, 240));
                    }
                }
                else if (roll < 0.06)
                {
                    Add(changes, rng, at, host, ("Stopping", 0, 0), ("Stopped", 10, 90));
                }
                else if (roll < 0.10)
                {
                    Add(changes, rng, at, host, ("Deallocating", 0, 0), ("Deallocated", 20, 180));
                }
                else if (roll < 0.13)
                {
                    Add(changes, rng, at, host, ("Deleting", 0, 0), ("Deleted", 20, 180));
                    deleted = changes[^1].At;
                }
                else if (roll < 0.18)
                {
                    Add(changes, rng, at, host, ("Stopping", 0, 0), ("Stopped", 10, 90), ("Starting", 5, 60), ("Started", 30, 240));
                }
                else if (roll < 0.20 && byRegion[host.Region].Count > 1)
                {
                    var target = host;
                    while (target == host)
                    {
                        target = DemoRandom.Pick(rng, byRegion[host.Region]);
                    }

                    changes.Add(new Snapshot(at, "Started", target));
                }
            }

            snapshots.Clear();
            snapshots.AddRange(changes);
            var phase = DemoRandom.Span(rng, TimeSpan.Zero, TimeSpan.FromHours(1));
            for (var k = 0; k < 6; k++)
            {
                var at = start + phase + TimeSpan.FromHours(k) + DemoRandom.Span(rng, TimeSpan.FromSeconds(-20), TimeSpan.FromSeconds(20));
                if (at < start || at >= now || (created is { } c && at < c) || (deleted is { } d && at >= d))
                {
                    continue;
                }

                var (s, h) = (state, host);
                foreach (var change in changes)
                {
                    if (change.At <= at)
                    {
                        (s, h) = (change.State, change.Host);
                    }
                }

                snapshots.Add(new Snapshot(at, s, h));
            }

            DemoRandom.SortUnique(snapshots, x => x.At, (x, t) => x with { At = t });
            foreach (var x in snapshots)
            {
                rows.Add([id, x.Host.Id, image, x.State, x.Host.Region, x.At]);
            }
        }

        DemoRandom.SortByTime(rows, 5);
        return rows;
    }

    /// <summary>Appends a sequence of state changes, each a random number of seconds after the one before; returns the last time.</summary>
    private static DateTime Add(List<Snapshot> changes, Random rng, DateTime at, FleetHost host, params (string State, int MinSeconds, int MaxSeconds)[] steps)
    {
        foreach (var (state, min, max) in steps)
        {
            at += DemoRandom.Span(rng, TimeSpan.FromSeconds(min), TimeSpan.FromSeconds(max));
            changes.Add(new Snapshot(at, state, host));
        }

        return at;
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private readonly record struct Snapshot(DateTime At, string State, FleetHost Host);
}
