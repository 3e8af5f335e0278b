using Tributary.Demo;

namespace Tributary.Fleet;

/// <summary>
/// What the generated systems talk about: the nodes, the services and their versions, the rollouts in flight and the
/// batches — drawn once per run from the seed, so that events repeat the same ids as real feeds do.
/// </summary>
internal sealed class FleetCatalog
{
    private static readonly IReadOnlyList<string> OmServices =
        ["HostAgent", "NetworkAgent", "StorageAgent", "GuestAgentPlugin", "FabricController", "RdAgent", "NodeService"];

    private static readonly IReadOnlyList<string> OaasServices =
        ["AzureSecurityPack", "GenevaMonitoringAgent", "DefenderAgent", "CertificateAgent", "UpdateOrchestrator"];

    private static readonly IReadOnlyList<string> SwitchServices =
        ["HostAgent", "NetworkAgent", "StorageAgent", "FabricController", "RdAgent", "GenevaMonitoringAgent"];

    private FleetCatalog(
        List<FleetNode> nodes,
        Dictionary<string, List<Rollout>> rollouts,
        List<Batch> batches,
        Dictionary<string, List<string>> versions)
    {
        Nodes = nodes;
        Rollouts = rollouts;
        Batches = batches;
        Versions = versions;
    }

    /// <summary>The nodes, in creation order.</summary>
    public IReadOnlyList<FleetNode> Nodes { get; }

    /// <summary>The rollouts in flight per rollout system (OMRollout, OMRollout:SOC, OAASRollout).</summary>
    public IReadOnlyDictionary<string, List<Rollout>> Rollouts { get; }

    /// <summary>The batches that BatchingEvents reports on.</summary>
    public IReadOnlyList<Batch> Batches { get; }

    /// <summary>Per service of <see cref="SwitchServices"/>, its versions oldest first.</summary>
    public IReadOnlyDictionary<string, List<string>> Versions { get; }

    public static FleetCatalog Create(int nodeCount, Random rng)
    {
        var nodes = new List<FleetNode>(nodeCount);
        for (var i = 0; i < nodeCount; i++)
        {
            var region = DemoRandom.Weighted(rng, Demo.Fleet.Regions);
            var cluster = $"{region}-prod-{rng.Next(1, 13):00}";
            nodes.Add(new FleetNode(DemoRandom.Guid(rng), region, cluster, DemoRandom.LogNormal(rng, 0.4)));
        }

        var rollouts = new Dictionary<string, List<Rollout>>(StringComparer.Ordinal)
        {
            [FleetSources.OMRollout] = NewRollouts(rng, 6, OmServices, _ => DemoRandom.CommitHash(rng)),
            [FleetSources.OMRolloutSoc] = NewRollouts(rng, 3, OmServices, _ => DemoRandom.CommitHash(rng)),
            [FleetSources.OAASRollout] = NewRollouts(rng, 4, OaasServices, _ => Version(rng, rng.Next(1, 6), rng.Next(0, 40))),
        };

        var batches = new List<Batch>();
        for (var i = 0; i < 24; i++)
        {
            batches.Add(new Batch(DemoRandom.Guid(rng), DemoRandom.Pick(rng, OmServices), rng.Next(5, 60)));
        }

        var versions = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var service in SwitchServices)
        {
            var major = rng.Next(1, 9);
            var minor = rng.Next(0, 30);
            var list = new List<string>();
            for (var k = 0; k < 4; k++)
            {
                minor += rng.Next(1, 4);
                list.Add(Version(rng, major, minor));
            }

            versions[service] = list;
        }

        return new FleetCatalog(nodes, rollouts, batches, versions);
    }

    private static List<Rollout> NewRollouts(Random rng, int count, IReadOnlyList<string> services, Func<int, string> target)
    {
        var list = new List<Rollout>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(new Rollout(DemoRandom.Guid(rng), DemoRandom.Pick(rng, services), target(i), 1 + (rng.NextDouble() * 4)));
        }

        return list;
    }

    /// <summary>A four-part version such as <c>2.14.23051.7</c>.</summary>
    private static string Version(Random rng, int major, int minor) =>
        FormattableString.Invariant($"{major}.{minor}.{rng.Next(22000, 23200)}.{rng.Next(1, 10)}");

    /// <summary>A rollout in flight: its id, the service it moves, the build or version it moves to, how often it is seen.</summary>
    internal sealed record Rollout(string Id, string ServiceName, string Target, double Weight);

    /// <summary>A batch of nodes: its id, the service it updates, how many nodes it holds.</summary>
    internal sealed record Batch(string Id, string ServiceName, int Size);
}
