namespace Tributary.Fleet;

/// <summary>A node (host server) of the generated fleet: its id, where it is, and how busy it is.</summary>
/// <param name="Id">A version-4 GUID drawn from the seed, as the demo's host ids are.</param>
/// <param name="Region">An Azure region, westus most often.</param>
/// <param name="Cluster">The cluster the node belongs to, e.g. <c>westus-prod-07</c>.</param>
/// <param name="Activity">How many times the usual rate this node's systems emit (log-normal, median 1).</param>
internal sealed record FleetNode(string Id, string Region, string Cluster, double Activity);
