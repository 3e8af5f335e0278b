using Tributary.Kql.Series;

namespace Tributary.Kql.Binding.Udfs;

/// <summary>
/// The series_* functions that are algorithms rather than element-wise arithmetic (fills, fits, decomposition,
/// outliers, periods, filters, Fourier). Each takes the series as a DuckDB <c>DOUBLE[]</c> (null elements where a
/// value is missing) and its constant options as one <c>DOUBLE[]</c> of settings, in the order the translator writes
/// them; several results come back as a list of lists (a scalar as a one-element list). A null series gives null.
/// </summary>
/// <remarks>
/// Implementation note: DuckDB.NET hands a LIST argument over as a <see cref="List{T}"/> and takes one back; the
/// parameters are nullable because a null list row is read only when the function handles nulls itself (a row of a
/// non-nullable list parameter that is null cannot be read). Array results turn NaN into null: a missing point stays
/// missing.
/// </remarks>
internal static class SeriesUdfs
{
    public static IReadOnlyList<ScalarUdf> All { get; } =
    [
        Series("kql_series_fill_forward", (x, s) => Column(SeriesFill.Forward(x, Setting(s, 0, null)))),
        Series("kql_series_fill_backward", (x, s) => Column(SeriesFill.Backward(x, Setting(s, 0, null)))),
        Series("kql_series_fill_linear", (x, s) => Column(SeriesFill.Linear(x, Setting(s, 0, null), Setting(s, 1, 1) != 0, Setting(s, 2, 0)))),
        Series("kql_series_outliers", (x, s) => Column(SeriesOutliers.Scores(x, Setting(s, 0, 10)!.Value, Setting(s, 1, 90)!.Value, Setting(s, 2, null)))),
        Series("kql_series_seasonal", (x, s) => Column(SeriesDecomposition.Seasonal(x, Whole(s, 0, -1)))),
        Series("kql_series_periods_validate", (x, s) => Column(SeriesPeriods.Validate(x, [.. s.Select(p => p ?? 0)]))),
        Parts("kql_series_fit_line", (x, _) => FitLine(x)),
        Parts("kql_series_fit_2lines", (x, _) => FitTwoLines(x)),
        Parts("kql_series_decompose", (x, s) => Decompose(x, s)),
        Parts("kql_series_decompose_anomalies", (x, s) => Anomalies(x, s)),
        Parts("kql_series_periods_detect", (x, s) => PeriodsDetect(x, s)),
        Parts("kql_series_fft", (x, s) => Fft(x, null, s)),
        ScalarUdf.Create<List<double?>?, List<double?>?, List<double?>?, List<List<double?>>?>("kql_series_fft2", (x, y, s) => x is null || s is null ? null : Fft(x, y, s)),
        ScalarUdf.Create<List<double?>?, List<double?>?, List<double?>?, List<List<double?>>?>("kql_series_fit_poly", (y, x, s) => y is null || s is null ? null : FitPolynomial(y, x, s)),
        ScalarUdf.Create<List<double?>?, List<double?>?, List<double?>?, List<double?>?>("kql_series_fir", (x, f, s) => x is null || f is null || s is null ? null : Fir(x, f, s)),
        ScalarUdf.Create<List<double?>?, List<double?>?, List<double?>?, List<double?>?>("kql_series_iir", (x, b, a) => x is null || b is null || a is null ? null : Iir(x, b, a)),
        ScalarUdf.Create<List<double?>?, List<double?>?, double?>("kql_series_pearson", (a, b) => a is null || b is null ? null : Pearson(a, b)),
    ];

    // A function of a series and its settings returning one array.
    private static ScalarUdf Series(string name, Func<List<double?>, List<double?>, List<double?>> function) =>
        ScalarUdf.Create<List<double?>?, List<double?>?, List<double?>?>(name, (x, s) => x is null || s is null ? null : function(x, s));

    // A function of a series and its settings returning several parts.
    private static ScalarUdf Parts(string name, Func<List<double?>, List<double?>, List<List<double?>>> function) =>
        ScalarUdf.Create<List<double?>?, List<double?>?, List<List<double?>>?>(name, (x, s) => x is null || s is null ? null : function(x, s));

    private static double? Setting(List<double?> settings, int index, double? fallback) =>
        index < settings.Count ? settings[index] ?? fallback : fallback;

    private static int Whole(List<double?> settings, int index, int fallback) =>
        Setting(settings, index, fallback) is { } d && double.IsFinite(d) ? (int)Math.Clamp(Math.Round(d), int.MinValue, int.MaxValue) : fallback;

    private static List<double?> Column(IEnumerable<double?> values) => [.. values.Select(v => v is { } d && double.IsNaN(d) ? null : v)];

    private static List<double?> Column(IEnumerable<double> values) => [.. values.Select(v => double.IsNaN(v) ? (double?)null : v)];

    private static List<double?> Column(IEnumerable<long> values) => [.. values.Select(v => (double?)v)];

    private static List<double?> Scalar(double value) => [value];

    private static double[] Doubles(List<double?> values) => [.. values.Select(v => v ?? double.NaN)];

    private static List<List<double?>> FitLine(List<double?> x)
    {
        var (fit, line) = SeriesRegression.FitLine(Doubles(x));
        return [Scalar(fit.RSquare), Scalar(fit.Slope), Scalar(fit.Variance), Scalar(fit.RVariance), Scalar(fit.Interception), Column(line)];
    }

    private static List<List<double?>> FitTwoLines(List<double?> x)
    {
        var fit = SeriesRegression.FitTwoLines(Doubles(x));
        return
        [
            Scalar(fit.RSquare), Scalar(fit.SplitIndex), Scalar(fit.Variance), Scalar(fit.RVariance), Column(fit.Line),
            Scalar(fit.Right.RSquare), Scalar(fit.Right.Slope), Scalar(fit.Right.Interception), Scalar(fit.Right.Variance), Scalar(fit.Right.RVariance),
            Scalar(fit.Left.RSquare), Scalar(fit.Left.Slope), Scalar(fit.Left.Interception), Scalar(fit.Left.Variance), Scalar(fit.Left.RVariance),
        ];
    }

    // settings: degree
    private static List<List<double?>> FitPolynomial(List<double?> y, List<double?>? x, List<double?> settings)
    {
        var degree = Math.Clamp(Whole(settings, 0, 1), 0, 64);
        var fit = SeriesRegression.FitPolynomial(Doubles(y), x is null ? null : Doubles(x), degree);
        return [Scalar(fit.RSquare), Column(fit.Coefficients), Scalar(fit.Variance), Scalar(fit.RVariance), Column(fit.Fitted)];
    }

    // settings: period, trend (0 none, 1 avg, 2 linefit), test points, seasonality threshold
    private static List<List<double?>> Decompose(List<double?> x, List<double?> settings)
    {
        var d = SeriesDecomposition.Decompose(x, Whole(settings, 0, -1), (TrendKind)Whole(settings, 1, 1), Whole(settings, 2, 0), Setting(settings, 3, 0.6)!.Value);
        return [Column(d.Baseline), Column(d.Seasonal), Column(d.Trend), Column(d.Residual)];
    }

    // settings: threshold, period, trend, test points, low percentile, high percentile, seasonality threshold
    private static List<List<double?>> Anomalies(List<double?> x, List<double?> settings)
    {
        var (flags, scores, baseline) = SeriesDecomposition.Anomalies(
            x,
            Setting(settings, 0, 1.5)!.Value,
            Whole(settings, 1, -1),
            (TrendKind)Whole(settings, 2, 1),
            Whole(settings, 3, 0),
            (Setting(settings, 4, 10)!.Value, Setting(settings, 5, 90)!.Value),
            Setting(settings, 6, 0.6)!.Value);
        return [Column(flags), Column(scores), Column(baseline)];
    }

    // settings: min period, max period, number of periods (at most 1,000)
    private static List<List<double?>> PeriodsDetect(List<double?> x, List<double?> settings)
    {
        var (periods, scores) = SeriesPeriods.Detect(x, Setting(settings, 0, 0)!.Value, Setting(settings, 1, 0)!.Value, Math.Clamp(Whole(settings, 2, 1), 0, 1000));
        return [Column(periods), Column(scores)];
    }

    // settings: inverse (1) or forward (0)
    private static List<List<double?>> Fft(List<double?> real, List<double?>? imaginary, List<double?> settings)
    {
        var (re, im) = Fourier.Transform(real, imaginary, Setting(settings, 0, 0) != 0);
        return [Column(re), Column(im)];
    }

    // settings: normalize (1, 0, or null for "unless the filter has a negative coefficient"), center
    private static List<double?>? Fir(List<double?> x, List<double?> filter, List<double?> settings)
    {
        var coefficients = filter.Select(f => f ?? 0).ToList();
        var negative = coefficients.Any(f => f < 0);
        var normalize = Setting(settings, 0, null) is { } n ? n != 0 : !negative;
        // Kusto: normalizing a filter with a negative coefficient gives null, as does a filter that sums to 0.
        if (normalize && (negative || coefficients.Sum() == 0))
        {
            return null;
        }

        return Column(SeriesFilters.Fir(x, coefficients, normalize, Setting(settings, 1, 0) != 0));
    }

    private static List<double?>? Iir(List<double?> x, List<double?> numerators, List<double?> denominators)
    {
        if (denominators.Count == 0 || denominators[0] is null or 0)
        {
            return null;
        }

        return Column(SeriesFilters.Iir(x, [.. numerators.Select(b => b ?? 0)], [.. denominators.Select(a => a ?? 0)]));
    }

    // Null when the lengths differ or a value is missing, as in Kusto.
    private static double? Pearson(List<double?> a, List<double?> b)
    {
        if (a.Count != b.Count || a.Count == 0 || a.Any(v => v is null) || b.Any(v => v is null))
        {
            return null;
        }

        double meanA = a.Average(v => v!.Value), meanB = b.Average(v => v!.Value), cov = 0, va = 0, vb = 0;
        for (var i = 0; i < a.Count; i++)
        {
            var da = a[i]!.Value - meanA;
            var db = b[i]!.Value - meanB;
            cov += da * db;
            va += da * da;
            vb += db * db;
        }

        return cov / Math.Sqrt(va * vb);
    }
}
