namespace Tributary.Charts;

/// <summary>
/// Collects points into series keyed by the split values and value column, keeping the order in
/// which series first appear, and picks the largest series when there are too many to draw.
/// </summary>
/// <remarks>Not thread-safe; one builder per chart.</remarks>
internal sealed class ChartSeriesBuilder
{
    private readonly Dictionary<string, Accumulator> _byKey = new(StringComparer.Ordinal);
    private readonly List<Accumulator> _inOrder = [];

    /// <summary>The number of distinct series seen so far.</summary>
    public int Count => _inOrder.Count;

    /// <summary>Adds a point to the series with <paramref name="key"/>, created with <paramref name="name"/> on first sight.</summary>
    public void Add(string key, string name, double x, double y)
    {
        if (!_byKey.TryGetValue(key, out var series))
        {
            series = new Accumulator(name);
            _byKey.Add(key, series);
            _inOrder.Add(series);
        }

        series.Xs.Add(x);
        series.Ys.Add(y);
        series.Total += Math.Abs(y);
    }

    /// <summary>
    /// The series to draw: at most <paramref name="maxSeries"/>, the ones with the largest total
    /// absolute value, in order of first appearance. With <paramref name="sumSameX"/> the points that
    /// share an x are added together (bars); otherwise points are stably sorted by x (lines).
    /// </summary>
    public IReadOnlyList<ChartSeries> Build(int maxSeries, bool sumSameX)
    {
        var kept = _inOrder.Count <= maxSeries
            ? _inOrder
            : _inOrder.Select((s, i) => (s, i))
                .OrderByDescending(p => p.s.Total)
                .ThenBy(p => p.i)
                .Take(maxSeries)
                .OrderBy(p => p.i)
                .Select(p => p.s)
                .ToList();
        return kept.Select(s => sumSameX ? Summed(s) : Sorted(s)).ToList();
    }

    private static ChartSeries Sorted(Accumulator s)
    {
        var xs = s.Xs.ToArray();
        var ys = s.Ys.ToArray();

        // Implementation note: Array.Sort is unstable; sort an index so equal x keep their row order.
        var order = Enumerable.Range(0, xs.Length).OrderBy(i => xs[i]).ToArray();
        return new ChartSeries(s.Name, Array.ConvertAll(order, i => xs[i]), Array.ConvertAll(order, i => ys[i]), s.Total);
    }

    private static ChartSeries Summed(Accumulator s)
    {
        var sums = new SortedDictionary<double, double>();
        for (var i = 0; i < s.Xs.Count; i++)
        {
            sums[s.Xs[i]] = sums.GetValueOrDefault(s.Xs[i]) + s.Ys[i];
        }

        return new ChartSeries(s.Name, [.. sums.Keys], [.. sums.Values], s.Total);
    }

    private sealed class Accumulator(string name)
    {
        public string Name { get; } = name;

        public List<double> Xs { get; } = [];

        public List<double> Ys { get; } = [];

        public double Total { get; set; }
    }
}
