namespace Tributary.Kql.Series;

/// <summary>
/// Kusto's series_periods_detect and series_periods_validate: how strongly a series repeats with a period of p bins.
/// Pure and thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// Kusto does not publish its scoring, so this is Tributary's own, chosen to reproduce Kusto's documented examples.
/// The score of a period p (whole bins, 4 ≤ p ≤ n/2) is c · (1 − p/n)^0.55, where c is the Pearson correlation of the
/// series' ranks with the same ranks shifted by p (a rank autocorrelation, so spikes do not hide a period), and the
/// factor discounts periods seen only a few times. A correlation below 2/√(n − p), what noise reaches by chance,
/// scores 0, as does a negative one.
/// </para>
/// <para>
/// Detection keeps the periods in range whose score is a local peak, best first, and drops one within 20% of a period
/// already kept or of a multiple of one (a weekly period also peaks at two weeks).
/// </para>
/// </remarks>
internal static class SeriesPeriods
{
    /// <summary>The shortest period the scoring accepts, in bins.</summary>
    public const int MinimumPeriod = 4;

    private const double CycleExponent = 0.55;
    private const double Margin = 0.2;

    /// <summary>The scores of the given periods (each rounded to whole bins; 0 out of range).</summary>
    public static double[] Validate(IReadOnlyList<double?> values, IReadOnlyList<double> periods)
    {
        var ranks = Ranks(values);
        return [.. periods.Select(p => Score(ranks, (int)Math.Round(p)))];
    }

    /// <summary>
    /// Up to <paramref name="count"/> periods between <paramref name="minPeriod"/> and <paramref name="maxPeriod"/>,
    /// best first, with their scores; the arrays are padded with zeros to <paramref name="count"/>.
    /// </summary>
    public static (double[] Periods, double[] Scores) Detect(IReadOnlyList<double?> values, double minPeriod, double maxPeriod, int count)
    {
        var ranks = Ranks(values);
        var low = Math.Max(MinimumPeriod, (int)Math.Ceiling(minPeriod));
        var high = Math.Min(ranks.Length / 2, (int)Math.Floor(maxPeriod));
        var scores = new Dictionary<int, double>();
        double ScoreAt(int p) => scores.TryGetValue(p, out var s) ? s : scores[p] = Discounted(ranks, p);

        // A peak beats its neighbours, which are compared even outside the range: a correlation still falling at the
        // shortest period is no peak.
        var peaks = Enumerable.Range(low, Math.Max(0, high - low + 1))
            .Where(p => ScoreAt(p) > 0 && ScoreAt(p) >= ScoreAt(p - 1) && ScoreAt(p) >= ScoreAt(p + 1))
            .OrderByDescending(ScoreAt)
            .ThenBy(p => p);
        var kept = new List<int>();
        foreach (var p in peaks)
        {
            if (kept.Count < count && !kept.Any(q => NearMultiple(p, q)))
            {
                kept.Add(p);
            }
        }

        var periods = new double[Math.Max(count, 0)];
        var result = new double[periods.Length];
        for (var i = 0; i < kept.Count; i++)
        {
            periods[i] = kept[i];
            result[i] = ScoreAt(kept[i]);
        }

        return (periods, result);
    }

    /// <summary>The best period of the whole range (4 to n/2) when its score reaches <paramref name="threshold"/>, else 0.</summary>
    public static int Best(IReadOnlyList<double?> values, double threshold)
    {
        var (periods, scores) = Detect(values, MinimumPeriod, values.Count / 2, 1);
        return scores[0] >= threshold && scores[0] > 0 ? (int)periods[0] : 0;
    }

    // Within 20% of q, or of a multiple of it.
    private static bool NearMultiple(int p, int q)
    {
        if (Math.Abs(p - q) <= Margin * Math.Max(p, q))
        {
            return true;
        }

        var multiple = Math.Round((double)p / q);
        return multiple >= 2 && Math.Abs(p - (multiple * q)) <= Margin * q;
    }

    // The score of a period in range; 0 outside it.
    private static double Score(double[] ranks, int p) =>
        p < MinimumPeriod || p > ranks.Length / 2 ? 0 : Discounted(ranks, p);

    // The discounted correlation at lag p (any lag from 1 to n − 2), 0 when it is not significant.
    private static double Discounted(double[] ranks, int p)
    {
        var n = ranks.Length;
        if (p < 1 || p > n - 2)
        {
            return 0;
        }

        var c = ShiftedCorrelation(ranks, p);
        return double.IsNaN(c) || c < 2 / Math.Sqrt(n - p) ? 0 : c * Math.Pow(1 - ((double)p / n), CycleExponent);
    }

    // Pearson correlation of ranks[i] and ranks[i + p] over the pairs where both are present.
    private static double ShiftedCorrelation(double[] ranks, int p)
    {
        double n = 0, sa = 0, sb = 0;
        for (var i = 0; i + p < ranks.Length; i++)
        {
            if (!double.IsNaN(ranks[i]) && !double.IsNaN(ranks[i + p]))
            {
                n++;
                sa += ranks[i];
                sb += ranks[i + p];
            }
        }

        double ma = sa / n, mb = sb / n, cov = 0, va = 0, vb = 0;
        for (var i = 0; i + p < ranks.Length; i++)
        {
            if (!double.IsNaN(ranks[i]) && !double.IsNaN(ranks[i + p]))
            {
                var a = ranks[i] - ma;
                var b = ranks[i + p] - mb;
                cov += a * b;
                va += a * a;
                vb += b * b;
            }
        }

        return cov / Math.Sqrt(va * vb);
    }

    // The rank of each present value among them (ties share their average rank); NaN for missing values.
    private static double[] Ranks(IReadOnlyList<double?> values)
    {
        var ranks = new double[values.Count];
        Array.Fill(ranks, double.NaN);
        var order = Enumerable.Range(0, values.Count).Where(i => values[i] is { } v && double.IsFinite(v)).OrderBy(i => values[i]!.Value).ToArray();
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }

            for (var k = start; k <= end; k++)
            {
                ranks[order[k]] = (start + end) / 2.0;
            }

            start = end + 1;
        }

        return ranks;
    }
}
