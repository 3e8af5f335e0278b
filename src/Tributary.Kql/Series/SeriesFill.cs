namespace Tributary.Kql.Series;

/// <summary>
/// Kusto's series_fill_forward, series_fill_backward and series_fill_linear over one series. A point is missing when it
/// is null or equals the placeholder; points that cannot be filled keep what they held. Pure and thread-safe.
/// </summary>
internal static class SeriesFill
{
    /// <summary>Each missing point takes the last present value before it; leading missing points stay.</summary>
    public static double?[] Forward(IReadOnlyList<double?> values, double? placeholder)
    {
        var result = values.ToArray();
        double? last = null;
        for (var i = 0; i < result.Length; i++)
        {
            if (IsMissing(result[i], placeholder))
            {
                result[i] = last ?? result[i];
            }
            else
            {
                last = result[i];
            }
        }

        return result;
    }

    /// <summary>Each missing point takes the next present value after it; trailing missing points stay.</summary>
    public static double?[] Backward(IReadOnlyList<double?> values, double? placeholder)
    {
        var result = values.ToArray();
        double? next = null;
        for (var i = result.Length - 1; i >= 0; i--)
        {
            if (IsMissing(result[i], placeholder))
            {
                result[i] = next ?? result[i];
            }
            else
            {
                next = result[i];
            }
        }

        return result;
    }

    /// <summary>
    /// Missing points between two present ones are interpolated on the line through them. Missing points at the edges
    /// take the nearest present value when <paramref name="fillEdges"/>, else stay. A series with no present value is
    /// filled with <paramref name="constant"/> (null keeps it as it is).
    /// </summary>
    public static double?[] Linear(IReadOnlyList<double?> values, double? placeholder, bool fillEdges, double? constant)
    {
        var result = values.ToArray();
        var previous = -1;
        for (var i = 0; i < result.Length; i++)
        {
            if (IsMissing(result[i], placeholder))
            {
                continue;
            }

            if (previous >= 0)
            {
                Interpolate(result, previous, i);
            }
            else if (fillEdges)
            {
                Array.Fill(result, result[i], 0, i);
            }

            previous = i;
        }

        if (previous < 0)
        {
            return constant is null ? result : Enumerable.Repeat(constant, result.Length).ToArray();
        }

        if (fillEdges)
        {
            Array.Fill(result, result[previous], previous + 1, result.Length - previous - 1);
        }

        return result;
    }

    private static void Interpolate(double?[] values, int from, int to)
    {
        var start = values[from]!.Value;
        var step = (values[to]!.Value - start) / (to - from);
        for (var k = from + 1; k < to; k++)
        {
            values[k] = start + (step * (k - from));
        }
    }

    private static bool IsMissing(double? value, double? placeholder) =>
        value is null || (placeholder is { } p && (value.Value == p || (double.IsNaN(p) && double.IsNaN(value.Value))));
}
