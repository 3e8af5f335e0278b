namespace Tributary.Kql.Series;

/// <summary>Percentiles of a sample by linear interpolation between the closest ranks (numpy's default).</summary>
internal static class Percentiles
{
    /// <summary>The <paramref name="percent"/> (0 to 100; clamped) percentile of <paramref name="sorted"/> (ascending, not empty); NaN for a NaN percent.</summary>
    public static double Of(IReadOnlyList<double> sorted, double percent)
    {
        if (double.IsNaN(percent))
        {
            return double.NaN;
        }

        var position = Math.Clamp(percent, 0, 100) / 100 * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }

    /// <summary>The median of <paramref name="values"/> (NaN when empty); the list is sorted in place.</summary>
    public static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        return Of(values, 50);
    }
}
