namespace Tributary.Fleet;

/// <summary>What <see cref="FleetChangeGenerator.Generate"/> plays: which span, how many nodes, which seed, which spikes.</summary>
/// <param name="From">The first instant of the span; every generated timestamp is in [From, To). A value of kind
/// <see cref="DateTimeKind.Unspecified"/> is taken as UTC.</param>
/// <param name="To">The end of the span (excluded); after <paramref name="From"/>.</param>
/// <param name="Nodes">How many nodes the fleet has, 1 to 100,000; volume grows in proportion.</param>
/// <param name="Seed">The seed of every random draw: equal options give identical rows.</param>
/// <param name="Spikes">Bursts or drops of one system's volume; null or empty for none.</param>
public sealed record FleetGenerateOptions(DateTime From, DateTime To, int Nodes = 200, int Seed = 1, IReadOnlyList<FleetSpike>? Spikes = null)
{
    /// <summary>The most nodes a fleet may have.</summary>
    public const int MaxNodes = 100_000;
}
