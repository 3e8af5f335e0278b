namespace Tributary.Kql.Series;

/// <summary>Kusto's series_fir and series_iir: finite and infinite impulse response filters. Pure and thread-safe.</summary>
/// <remarks>Points before the start of the series count as 0; a missing (null) point counts as 0 too.</remarks>
internal static class SeriesFilters
{
    /// <summary>
    /// y[i] = Σ filter[k] · x[i − k + shift], where shift is (m − 1) / 2 (integer division) when
    /// <paramref name="center"/> and 0 otherwise. <paramref name="normalize"/> divides the filter by its sum.
    /// </summary>
    public static double[] Fir(IReadOnlyList<double?> values, IReadOnlyList<double> filter, bool normalize, bool center)
    {
        var sum = normalize ? filter.Sum() : 1;
        var shift = center ? (filter.Count - 1) / 2 : 0;
        var result = new double[values.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var y = 0.0;
            for (var k = 0; k < filter.Count; k++)
            {
                y += filter[k] * At(values, i - k + shift);
            }

            result[i] = y / sum;
        }

        return result;
    }

    /// <summary>
    /// y[i] = (Σ numerators[k] · x[i − k] − Σ(k ≥ 1) denominators[k] · y[i − k]) / denominators[0].
    /// </summary>
    public static double[] Iir(IReadOnlyList<double?> values, IReadOnlyList<double> numerators, IReadOnlyList<double> denominators)
    {
        var result = new double[values.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var y = 0.0;
            for (var k = 0; k < numerators.Count; k++)
            {
                y += numerators[k] * At(values, i - k);
            }

            for (var k = 1; k < denominators.Count && k <= i; k++)
            {
                y -= denominators[k] * result[i - k];
            }

            result[i] = y / denominators[0];
        }

        return result;
    }

    private static double At(IReadOnlyList<double?> values, int i) => i >= 0 && i < values.Count ? values[i] ?? 0 : 0;
}
