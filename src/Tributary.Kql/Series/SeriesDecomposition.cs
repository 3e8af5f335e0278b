namespace Tributary.Kql.Series;

/// <summary>
/// Kusto's series_decompose family: a seasonal component (the median of the points in the same phase of the period),
/// then a trend of what is left (none, its mean, or a least-squares line), baseline = seasonal + trend, residual =
/// series − baseline; anomalies are the residual's Tukey outliers. Pure and thread-safe.
/// </summary>
/// <remarks>
/// The last test points of a series are left out of the learning (the medians, the mean, the line) but get a
/// baseline, which is how the forecast works. Missing points (null, NaN) are left out of the learning and get a
/// baseline but no residual.
/// </remarks>
internal static class SeriesDecomposition
{
    /// <summary>A period of −1 asks for the period to be detected.</summary>
    public const int DetectPeriod = -1;

    /// <summary>The score a detected period needs in series_decompose and its family.</summary>
    public const double DecomposeSeasonalityThreshold = 0.6;

    /// <summary>The score a detected period needs in series_seasonal.</summary>
    public const double SeasonalSeasonalityThreshold = 0.7;

    /// <summary>
    /// Decomposes the series. <paramref name="period"/> is a number of bins, <see cref="DetectPeriod"/> to detect it
    /// (over the learning points, with <paramref name="seasonalityThreshold"/>), or 0 (or any other value) for none.
    /// </summary>
    public static Decomposition Decompose(IReadOnlyList<double?> values, int period, TrendKind trend, int testPoints, double seasonalityThreshold)
    {
        var x = ToDoubles(values);
        var learn = Math.Clamp(x.Length - Math.Max(testPoints, 0), 0, x.Length);
        var p = period == DetectPeriod ? SeriesPeriods.Best([.. values.Take(learn)], seasonalityThreshold) : Usable(period, x.Length);
        var seasonal = p > 0 ? SeasonalOf(x, learn, p) : new double[x.Length];
        var deseasonal = x.Select((v, i) => v - seasonal[i]).ToArray();
        var trendLine = TrendOf(deseasonal, learn, trend);
        var baseline = seasonal.Select((s, i) => s + trendLine[i]).ToArray();
        var residual = x.Select((v, i) => v - baseline[i]).ToArray();
        return new Decomposition(baseline, seasonal, trendLine, residual);
    }

    /// <summary>
    /// series_seasonal: the seasonal component over the whole series, with the given period or, for
    /// <see cref="DetectPeriod"/>, the detected one (score at least 0.7); zeros when there is none.
    /// </summary>
    public static double[] Seasonal(IReadOnlyList<double?> values, int period)
    {
        var x = ToDoubles(values);
        var p = period == DetectPeriod ? SeriesPeriods.Best(values, SeasonalSeasonalityThreshold) : Usable(period, x.Length);
        return p > 0 ? SeasonalOf(x, x.Length, p) : new double[x.Length];
    }

    /// <summary>
    /// series_decompose_anomalies: the decomposition's residual scored by <see cref="SeriesOutliers"/> (Tukey's fences
    /// on the percentiles given), a flag of +1 or −1 where the score is beyond ±<paramref name="threshold"/>, and the
    /// baseline.
    /// </summary>
    public static (long[] Flags, double[] Scores, double[] Baseline) Anomalies(
        IReadOnlyList<double?> values, double threshold, int period, TrendKind trend, int testPoints, (double Low, double High) percentiles, double seasonalityThreshold)
    {
        var decomposition = Decompose(values, period, trend, testPoints, seasonalityThreshold);
        var residual = decomposition.Residual.Select(r => double.IsNaN(r) ? (double?)null : r).ToList();
        var scores = SeriesOutliers.Scores(residual, percentiles.Low, percentiles.High, ignore: null);
        var flags = scores.Select(s => s > threshold ? 1L : s < -threshold ? -1L : 0L).ToArray();
        return (flags, scores, decomposition.Baseline);
    }

    // The median of the learning points of each phase, repeated over the whole series; 0 for a phase with none.
    private static double[] SeasonalOf(double[] x, int learn, int period)
    {
        var medians = new double[period];
        for (var phase = 0; phase < period; phase++)
        {
            var points = new List<double>();
            for (var i = phase; i < learn; i += period)
            {
                if (!double.IsNaN(x[i]))
                {
                    points.Add(x[i]);
                }
            }

            medians[phase] = points.Count == 0 ? 0 : Percentiles.Median(points);
        }

        return [.. x.Select((_, i) => medians[i % period])];
    }

    private static double[] TrendOf(double[] deseasonal, int learn, TrendKind trend)
    {
        switch (trend)
        {
            case TrendKind.Average:
                var learned = deseasonal.Take(learn).Where(v => !double.IsNaN(v)).ToList();
                var mean = learned.Count == 0 ? 0 : learned.Average();
                return [.. deseasonal.Select(_ => mean)];
            case TrendKind.LineFit:
                var fit = LineFit.Of(deseasonal, 0, learn);
                return double.IsNaN(fit.Interception) ? new double[deseasonal.Length] : [.. deseasonal.Select((_, i) => fit.At(i + 1))];
            default:
                return new double[deseasonal.Length];
        }
    }

    // A given period: none when it is not positive or longer than the series (no phase would repeat).
    private static int Usable(int period, int length) => period > 0 && period <= length ? period : 0;

    private static double[] ToDoubles(IReadOnlyList<double?> values) => [.. values.Select(v => v ?? double.NaN)];
}
