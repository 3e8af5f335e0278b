namespace Tributary.Demo;

/// <summary>
/// The hosts of the demo fleet and the story of their builds over the last two days: three rollouts
/// that sweep the regions in waves (westus first), the middle one a bad build that makes the host agent
/// crash, the last one — its fix — still in progress at the anchor time.
/// </summary>
internal sealed class Fleet
{
    public static readonly TimeSpan History = TimeSpan.FromDays(2);

    public static readonly IReadOnlyList<(string Item, double Weight)> Regions =
    [
        ("westus", 20), ("eastus", 18), ("northeurope", 14), ("westeurope", 14),
        ("eastus2", 10), ("southeastasia", 9), ("centralus", 8), ("japaneast", 7),
    ];

    private static readonly TimeSpan WaveGap = TimeSpan.FromMinutes(75);

    private Fleet(List<FleetHost> hosts, List<string> unregistered, string badBuild)
    {
        Hosts = hosts;
        UnregisteredHostIds = unregistered;
        BadBuild = badBuild;
    }

    /// <summary>The hosts; the first is <see cref="FleetGenerator.SpecialHostId"/> in westus.</summary>
    public IReadOnlyList<FleetHost> Hosts { get; }

    /// <summary>Hosts that log events but never emit a snapshot.</summary>
    public IReadOnlyList<string> UnregisteredHostIds { get; }

    /// <summary>The build on which the host agent crashes.</summary>
    public string BadBuild { get; }

    public FleetHost SpecialHost => Hosts[0];

    public static Fleet Create(DateTime now, int hostCount, Random rng)
    {
        var builds = new List<string>();
        while (builds.Count < 5)
        {
            var hash = DemoRandom.CommitHash(rng);
            if (!builds.Contains(hash))
            {
                builds.Add(hash);
            }
        }

        var (oldBuild, baseBuild) = (builds[0], builds[1]);
        var hosts = new List<FleetHost>(hostCount);
        for (var i = 0; i < hostCount; i++)
        {
            var special = i == 0;
            var id = special ? FleetGenerator.SpecialHostId : DemoRandom.Guid(rng);
            var region = special ? "westus" : DemoRandom.Weighted(rng, Regions);
            var initial = !special && rng.NextDouble() < 0.06 ? oldBuild : baseBuild;
            hosts.Add(new FleetHost(id, region, initial));
        }

        var rollouts = new[] { (now.AddHours(-40), builds[2]), (now.AddHours(-22), builds[3]), (now.AddHours(-6), builds[4]) };
        foreach (var (start, build) in rollouts)
        {
            var order = Regions.Select(r => r.Item).Where(r => r != "westus").ToList();
            for (var i = order.Count - 1; i > 0; i--)
            {
                var j = rng.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }

            order.Insert(0, "westus");
            foreach (var host in hosts)
            {
                var wave = order.IndexOf(host.Region);
                var at = start + (wave * WaveGap) + DemoRandom.Span(rng, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(70));
                var skipped = host != hosts[0] && rng.NextDouble() < 0.04;
                if (!skipped && at < now)
                {
                    host.Deploy(at, build);
                }
            }
        }

        foreach (var host in hosts.Skip(1))
        {
            if (rng.NextDouble() < 0.05)
            {
                var gapStart = DemoRandom.Between(rng, now.AddHours(-44), now.AddHours(-8));
                host.SnapshotGap = (gapStart, gapStart + DemoRandom.Span(rng, TimeSpan.FromHours(4), TimeSpan.FromHours(7)));
            }
        }

        var unregistered = new List<string>();
        for (var i = 0; i < Math.Max(1, hostCount / 60); i++)
        {
            unregistered.Add(DemoRandom.Guid(rng));
        }

        return new Fleet(hosts, unregistered, builds[3]);
    }
}
