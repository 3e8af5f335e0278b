namespace Tributary.Kql.Series;

/// <summary>
/// Kusto's series_outliers: Tukey's fence test as a score per point. With the low and high percentiles
/// ("tukey": 25 and 75; "ctukey": 10 and 90 unless given) and their range R, a point above
/// the high one scores (x − high) / R, below the low one (x − low) / R, between them 0; so a score beyond ±1.5 is
/// outside Tukey's k = 1.5 fence. Null, NaN and ignored points score 0 and are left out of the percentiles.
/// Pure and thread-safe.
/// </summary>
/// <remarks>
/// Implementation note: when the range is 0 (most points equal) the mean absolute deviation from the median scales
/// the score instead, so a lone spike on a flat series still gets a finite, large score; a series of equal values
/// scores 0 everywhere.
/// </remarks>
internal static class SeriesOutliers
{
    public const double TukeyLow = 25;
    public const double TukeyHigh = 75;
    public const double CustomTukeyLow = 10;
    public const double CustomTukeyHigh = 90;

    /// <summary>The score of every point; <paramref name="ignore"/> marks missing points besides null and NaN.</summary>
    public static double[] Scores(IReadOnlyList<double?> values, double lowPercent, double highPercent, double? ignore)
    {
        var points = values.Select(v => v is { } d && !double.IsNaN(d) && d != ignore ? d : double.NaN).ToArray();
        var scores = new double[points.Length];
        var sorted = points.Where(d => !double.IsNaN(d)).Order().ToList();
        if (sorted.Count == 0)
        {
            return scores;
        }

        var low = Percentiles.Of(sorted, lowPercent);
        var high = Percentiles.Of(sorted, highPercent);
        var scale = high - low;
        if (scale <= 0)
        {
            var median = Percentiles.Of(sorted, 50);
            scale = sorted.Average(d => Math.Abs(d - median));
        }

        for (var i = 0; i < points.Length; i++)
        {
            var x = points[i];
            scores[i] = double.IsNaN(x) || scale <= 0 ? 0 : x > high ? (x - high) / scale : x < low ? (x - low) / scale : 0;
        }

        return scores;
    }
}
