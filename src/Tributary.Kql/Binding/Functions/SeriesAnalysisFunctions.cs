using System.Globalization;
using Tributary.Kql.Series;
using static Tributary.Kql.Binding.ExpressionBinder;

namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// The series_* functions that fill, fit, decompose and score a series: DuckDB list functions where they do it
/// (series_stats, series_fill_const), else the C# algorithms of <see cref="Series"/> through the
/// <c>kql_series_*</c> UDFs (<see cref="Udfs.SeriesUdfs"/>), which take the series as a DuckDB <c>DOUBLE[]</c>.
/// Functions that return several columns (series_fit_line …) give a <see cref="SqlTuple"/>; their _dynamic twins
/// give the same columns as one property bag.
/// </summary>
internal static class SeriesAnalysisFunctions
{
    private const string DecomposeSignature = "[, seasonality: long, trend: string, test_points: long, seasonality_threshold: real]";
    private const string WholeDifference = "an array keeps whole numbers when all its elements are whole (Kusto keeps each element's own type)";

    private const string PeriodDifference = "periods are scored by Tributary's own method (a rank autocorrelation discounted for few cycles, see docs/kql.md), which reproduces Kusto's documented examples but not its exact scores";

    // The trend argument's words, by TrendKind.
    private static readonly string[] TrendNames = ["none", "avg", "linefit"];

    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("series_fill_forward", Arity.Between(1, 2), "series_fill_forward(series: dynamic [, missing_value_placeholder: number]): dynamic", "Each missing element (null or the placeholder) takes the last value before it.", c => Fill(c, "kql_series_fill_forward", c.Count > 1 ? [Number(c, 1)] : []))
        {
            Difference = WholeDifference,
        },
        new("series_fill_backward", Arity.Between(1, 2), "series_fill_backward(series: dynamic [, missing_value_placeholder: number]): dynamic", "Each missing element (null or the placeholder) takes the next value after it.", c => Fill(c, "kql_series_fill_backward", c.Count > 1 ? [Number(c, 1)] : []))
        {
            Difference = WholeDifference,
        },
        new("series_fill_linear", Arity.Between(1, 4), "series_fill_linear(series: dynamic [, missing_value_placeholder: number, fill_edges: bool, constant_value: number]): dynamic", "Missing elements interpolated on the line between their neighbours; edges take the nearest value unless fill_edges is false; an array with no value is filled with constant_value (default 0).", FillLinear)
        {
            Difference = WholeDifference,
        },
        new("series_fill_const", Arity.Between(1, 3), "series_fill_const(series: dynamic [, constant_value: number, missing_value_placeholder: number]): dynamic", "Each missing element (null or the placeholder) replaced by the constant (default 0).", FillConst)
        {
            Difference = WholeDifference,
        },
        new("series_stats", Arity.Between(1, 2), "series_stats(series: dynamic [, ignore_nonfinite: bool]): (min, min_idx, max, max_idx, avg, stdev, variance)", "The minimum, maximum (with their first 0-based positions), mean, sample standard deviation and variance; null when an element is not finite, unless ignore_nonfinite.", c => Stats(c, bag: false)),
        new("series_stats_dynamic", Arity.Between(1, 2), "series_stats_dynamic(series: dynamic [, ignore_nonfinite: bool]): dynamic", "The statistics of series_stats, with the sum and the length, as one property bag.", c => Stats(c, bag: true)),
        new("series_fit_line", Arity.Exactly(1), "series_fit_line(series: dynamic): (rsquare, slope, variance, rvariance, interception, line_fit)", "The least-squares line through the series (x = 1, 2, …) and how well it fits.", c => FitLine(c, bag: false)),
        new("series_fit_line_dynamic", Arity.Exactly(1), "series_fit_line_dynamic(series: dynamic): dynamic", "The columns of series_fit_line as one property bag.", c => FitLine(c, bag: true)),
        new("series_fit_2lines", Arity.Exactly(1), "series_fit_2lines(series: dynamic): (rsquare, split_idx, variance, rvariance, line_fit, right_…, left_…)", "The best split of the series into two least-squares lines.", c => FitTwoLines(c, bag: false))
        {
            Difference = "split_idx is the first point of the right line; both lines use the position in the whole series as x",
        },
        new("series_fit_2lines_dynamic", Arity.Exactly(1), "series_fit_2lines_dynamic(series: dynamic): dynamic", "The columns of series_fit_2lines as one property bag.", c => FitTwoLines(c, bag: true))
        {
            Difference = "as series_fit_2lines",
        },
        new("series_fit_poly", Arity.Between(1, 3), "series_fit_poly(y_series: dynamic [, x_series: dynamic, degree: long]): (rsquare, coefficients, variance, rvariance, poly_fit)", "The least-squares polynomial of the degree (default 1), coefficients from the highest power down.", FitPolynomial),
        new("series_outliers", Arity.Between(1, 5), "series_outliers(series: dynamic [, kind: string, ignore_val: number, min_percentile: real, max_percentile: real]): dynamic", "A Tukey fence score per element: beyond 1.5 (or -1.5) is an outlier; kind 'ctukey' (default, percentiles 10 and 90) or 'tukey' (25 and 75).", Outliers)
        {
            Difference = "the score is (x − high percentile) / (high − low percentiles) above the high one and likewise below the low one; Kusto does not document its formula",
        },
        new("series_decompose", Arity.Between(1, 5), $"series_decompose(series: dynamic {DecomposeSignature}): (baseline, seasonal, trend, residual)", "Seasonal (median per phase), trend (avg, linefit or none), baseline = seasonal + trend, and residual.", c => Decompose(c, forecast: false))
        {
            Difference = PeriodDifference,
        },
        new("series_decompose_forecast", Arity.Between(2, 5), "series_decompose_forecast(series: dynamic, points: long [, seasonality: long, trend: string, seasonality_threshold: real]): (baseline, seasonal, trend, residual)", "The decomposition of series_decompose learned without the last points, whose baseline is the forecast.", c => Decompose(c, forecast: true))
        {
            Difference = PeriodDifference,
        },
        new("series_decompose_anomalies", Arity.Between(1, 7), "series_decompose_anomalies(series: dynamic [, threshold: real, seasonality: long, trend: string, test_points: long, method: string, seasonality_threshold: real]): (ad_flag, ad_score, baseline)", "Anomalies: the residual of series_decompose scored by series_outliers, flagged +1 or -1 beyond the threshold (default 1.5).", Anomalies)
        {
            Difference = PeriodDifference + "; the score as series_outliers",
        },
        new("series_seasonal", Arity.Between(1, 2), "series_seasonal(series: dynamic [, period: long]): dynamic", "The seasonal component: the median of the elements in the same phase of the period (detected when -1, the default; zeros when none is found).", Seasonal)
        {
            Difference = PeriodDifference,
        },
        new("series_periods_detect", Arity.Exactly(4), "series_periods_detect(series: dynamic, min_period: real, max_period: real, num_periods: long): (periods, scores)", "The most significant periods (in bins) between the bounds, best first, with scores between 0 and 1.", PeriodsDetect)
        {
            Difference = PeriodDifference + "; at most 1,000 periods",
        },
        new("series_periods_validate", Arity.AtLeast(2), "series_periods_validate(series: dynamic, period: real, ...): (periods, scores)", "A score between 0 and 1 for each of the given periods (0 outside 4 to half the length).", PeriodsValidate)
        {
            Difference = PeriodDifference + "; a period is rounded to whole bins",
        },
        new("series_fir", Arity.Between(2, 4), "series_fir(series: dynamic, filter: dynamic [, normalize: bool, center: bool]): dynamic", "A finite impulse response filter (a moving sum or average; normalized unless the filter has a negative coefficient).", Fir),
        new("series_iir", Arity.Exactly(3), "series_iir(series: dynamic, numerators: dynamic, denominators: dynamic): dynamic", "An infinite impulse response filter (null when denominators[0] is 0).", Iir),
        new("series_fft", Arity.Between(1, 2), "series_fft(x_real: dynamic [, x_imaginary: dynamic]): (real, imag)", "The discrete Fourier transform.", c => Fourier(c, inverse: false)),
        new("series_ifft", Arity.Between(1, 2), "series_ifft(fft_real: dynamic [, fft_imaginary: dynamic]): (real, imag)", "The inverse discrete Fourier transform.", c => Fourier(c, inverse: true)),
    ];

    // ---- fills -------------------------------------------------------------------------------------------------

    private static SqlValue Fill(FunctionCall c, string udf, IReadOnlyList<string> settings)
    {
        var s = SeriesOperand.Of(c, 0);
        var filled = $"{udf}({s.Doubles}, {Settings(settings)})";
        return SeriesOperand.Result($"list_transform({filled}, __e -> TRY_CAST(__e AS BIGINT))", filled, [s]);
    }

    private static SqlValue FillLinear(FunctionCall c)
    {
        var s = SeriesOperand.Of(c, 0);
        var settings = Settings([c.Count > 1 ? Number(c, 1) : "NULL", c.Count > 2 ? Bool(c, 2) : "1", c.Count > 3 ? Number(c, 3) : "0"]);
        var filled = $"kql_series_fill_linear({s.Doubles}, {settings})";
        // An array of whole numbers gets whole numbers: the interpolated values are truncated, as in Kusto.
        return SeriesOperand.Result($"list_transform({filled}, __e -> TRY_CAST(trunc(__e) AS BIGINT))", filled, [s]);
    }

    private static SqlValue FillConst(FunctionCall c)
    {
        var s = SeriesOperand.Of(c, 0);
        var constant = c.Count > 1 ? SeriesOperand.Of(c, 1, allowScalar: true) : SeriesOperand.WholeNumber(0, s.Value);
        if (!constant.IsScalar)
        {
            throw c.ArgError(1, "series_fill_const() needs a number to fill with, not an array");
        }

        var placeholder = c.Count > 2 ? Number(c, 2) : "NULL";
        string Replace(string list, string value) =>
            $"list_transform({list}, __e -> CASE WHEN __e IS NULL OR __e = {placeholder} THEN {value} ELSE __e END)";
        return SeriesOperand.Result(Replace(s.Longs, constant.Longs), Replace(s.Doubles, constant.Doubles), [s, constant]);
    }

    // ---- statistics and fits -----------------------------------------------------------------------------------

    private static SqlValue Stats(FunctionCall c, bool bag)
    {
        var s = SeriesOperand.Of(c, 0);
        var ignore = c.Count > 1 && ConstantBool(c, 1);
        // Without ignore_nonfinite, one non-finite element makes every statistic null.
        var finite = ignore
            ? "list_filter(__d, __e -> isfinite(__e))"
            : "CASE WHEN list_bool_and(list_transform(__d, __e -> coalesce(isfinite(__e), false))) THEN __d END";
        var fields = new List<Field>
        {
            new("min", KqlType.Real, null, "list_min(__f)"),
            new("min_idx", KqlType.Long, null, "CAST(list_position(__d, list_min(__f)) - 1 AS BIGINT)"),
            new("max", KqlType.Real, null, "list_max(__f)"),
            new("max_idx", KqlType.Long, null, "CAST(list_position(__d, list_max(__f)) - 1 AS BIGINT)"),
            new("avg", KqlType.Real, null, "list_avg(__f)"),
            new("stdev", KqlType.Real, null, "list_stddev_samp(__f)"),
            new("variance", KqlType.Real, null, "list_var_samp(__f)"),
        };
        if (bag)
        {
            fields.Add(new("sum", KqlType.Real, null, "list_sum(__f)"));
            fields.Add(new("len", KqlType.Long, null, "CAST(len(__d) AS BIGINT)"));
        }

        var pack = string.Join(", ", fields.Select(f => $"{Sql.Ident(f.Name)} := {f.Sql}"));
        var structSql = $"list_transform([{s.Doubles}], __d -> list_transform([{finite}], __f -> struct_pack({pack}))[1])[1]";
        return Columns(c, structSql, fields, bag, s.Value);
    }

    private static SqlValue FitLine(FunctionCall c, bool bag)
    {
        var s = SeriesOperand.Of(c, 0);
        Field[] fields =
        [
            Part("rsquare", 1), Part("slope", 2), Part("variance", 3), Part("rvariance", 4), Part("interception", 5), Part("line_fit", 6, KqlType.Real),
        ];
        return Columns(c, Parts($"kql_series_fit_line({s.Doubles}, {Settings([])})", fields), fields, bag, s.Value);
    }

    private static SqlValue FitTwoLines(FunctionCall c, bool bag)
    {
        var s = SeriesOperand.Of(c, 0);
        Field[] fields =
        [
            Part("rsquare", 1), Part("split_idx", 2, whole: true), Part("variance", 3), Part("rvariance", 4), Part("line_fit", 5, KqlType.Real),
            Part("right_rsquare", 6), Part("right_slope", 7), Part("right_interception", 8), Part("right_variance", 9), Part("right_rvariance", 10),
            Part("left_rsquare", 11), Part("left_slope", 12), Part("left_interception", 13), Part("left_variance", 14), Part("left_rvariance", 15),
        ];
        return Columns(c, Parts($"kql_series_fit_2lines({s.Doubles}, {Settings([])})", fields), fields, bag, s.Value);
    }

    private static SqlValue FitPolynomial(FunctionCall c)
    {
        var y = SeriesOperand.Of(c, 0);
        var x = c.Count > 1 && c.Arg(1) is not { IsConstant: true, Constant: null } ? SeriesOperand.Of(c, 1).Doubles : "NULL::DOUBLE[]";
        var degree = c.Count > 2 ? Positive(c, 2, "degree") : "1";
        Field[] fields =
        [
            Part("rsquare", 1), Part("coefficients", 2, KqlType.Real), Part("variance", 3), Part("rvariance", 4), Part("poly_fit", 5, KqlType.Real),
        ];
        return Columns(c, Parts($"kql_series_fit_poly({y.Doubles}, {x}, {Settings([degree])})", fields), fields, bag: false, [.. c.Args]);
    }

    // ---- outliers, decomposition, periods ----------------------------------------------------------------------

    private static SqlValue Outliers(FunctionCall c)
    {
        var s = SeriesOperand.Of(c, 0);
        var tukey = c.Count > 1 && Choice(c, 1, ["ctukey", "tukey"]) == 1;
        var ignore = c.Count > 2 ? Number(c, 2) : "NULL";
        var (low, high) = Percentiles(c, 3, tukey);
        return SeriesOperand.List($"kql_series_outliers({s.Doubles}, {Settings([low, high, ignore])})", KqlType.Real, [.. c.Args]);
    }

    private static SqlValue Decompose(FunctionCall c, bool forecast)
    {
        var s = SeriesOperand.Of(c, 0);
        // series_decompose(series, period, trend, test_points, threshold); series_decompose_forecast(series, points, period, trend, threshold)
        var (period, trend, points, threshold) = forecast ? (2, 3, 1, 4) : (1, 2, 3, 4);
        var settings = Settings([Period(c, period), Trend(c, trend), c.Count > points ? Positive(c, points, "test_points") : "0", Threshold(c, threshold)]);
        Field[] fields =
        [
            Part("baseline", 1, KqlType.Real), Part("seasonal", 2, KqlType.Real), Part("trend", 3, KqlType.Real), Part("residual", 4, KqlType.Real),
        ];
        return Columns(c, Parts($"kql_series_decompose({s.Doubles}, {settings})", fields), fields, bag: false, [.. c.Args]);
    }

    private static SqlValue Anomalies(FunctionCall c)
    {
        var s = SeriesOperand.Of(c, 0);
        var threshold = c.Count > 1 ? Number(c, 1) : "1.5";
        var tukey = c.Count > 5 && Choice(c, 5, ["ctukey", "tukey"]) == 1;
        var (low, high) = tukey ? ("25", "75") : ("10", "90");
        var settings = Settings([threshold, Period(c, 2), Trend(c, 3), c.Count > 4 ? Positive(c, 4, "test_points") : "0", low, high, Threshold(c, 6)]);
        Field[] fields = [Part("ad_flag", 1, KqlType.Long), Part("ad_score", 2, KqlType.Real), Part("baseline", 3, KqlType.Real)];
        return Columns(c, Parts($"kql_series_decompose_anomalies({s.Doubles}, {settings})", fields), fields, bag: false, [.. c.Args]);
    }

    private static SqlValue Seasonal(FunctionCall c)
    {
        var s = SeriesOperand.Of(c, 0);
        return SeriesOperand.List($"kql_series_seasonal({s.Doubles}, {Settings([Period(c, 1)])})", KqlType.Real, [.. c.Args]);
    }

    private static SqlValue PeriodsDetect(FunctionCall c)
    {
        var s = SeriesOperand.Of(c, 0);
        var settings = Settings([Number(c, 1), Number(c, 2), Positive(c, 3, "num_periods")]);
        Field[] fields = [Part("periods", 1, KqlType.Real), Part("scores", 2, KqlType.Real)];
        return Columns(c, Parts($"kql_series_periods_detect({s.Doubles}, {settings})", fields), fields, bag: false, [.. c.Args]);
    }

    private static SqlValue PeriodsValidate(FunctionCall c)
    {
        if (c.Count > 17)
        {
            throw c.Error($"series_periods_validate() validates at most 16 periods, not {c.Count - 1}");
        }

        var s = SeriesOperand.Of(c, 0);
        var periods = Settings([.. Enumerable.Range(1, c.Count - 1).Select(i => Number(c, i))]);
        Field[] fields = [new("periods", KqlType.Dynamic, KqlType.Real, "__r.periods"), new("scores", KqlType.Dynamic, KqlType.Real, "__r.scores")];
        var result = $"struct_pack(periods := {periods}, scores := kql_series_periods_validate({s.Doubles}, {periods}))";
        return Columns(c, $"list_transform([{result}], __r -> struct_pack(periods := __r.periods, scores := __r.scores))[1]", fields, bag: false, [.. c.Args]);
    }

    // ---- filters and transforms --------------------------------------------------------------------------------

    private static SqlValue Fir(FunctionCall c)
    {
        var s = SeriesOperand.Of(c, 0);
        var filter = SeriesOperand.Of(c, 1);
        var settings = Settings([c.Count > 2 ? Bool(c, 2) : "NULL", c.Count > 3 ? Bool(c, 3) : "0"]);
        return SeriesOperand.List($"kql_series_fir({s.Doubles}, {filter.Doubles}, {settings})", KqlType.Real, [.. c.Args]);
    }

    private static SqlValue Iir(FunctionCall c)
    {
        var s = SeriesOperand.Of(c, 0);
        var numerators = SeriesOperand.Of(c, 1);
        var denominators = SeriesOperand.Of(c, 2);
        return SeriesOperand.List($"kql_series_iir({s.Doubles}, {numerators.Doubles}, {denominators.Doubles})", KqlType.Real, [.. c.Args]);
    }

    private static SqlValue Fourier(FunctionCall c, bool inverse)
    {
        var real = SeriesOperand.Of(c, 0);
        var settings = Settings([inverse ? "1" : "0"]);
        var sql = c.Count > 1
            ? $"kql_series_fft2({real.Doubles}, {SeriesOperand.Of(c, 1).Doubles}, {settings})"
            : $"kql_series_fft({real.Doubles}, {settings})";
        Field[] fields = [Part("real", 1, KqlType.Real), Part("imag", 2, KqlType.Real)];
        return Columns(c, Parts(sql, fields), fields, bag: false, [.. c.Args]);
    }

    // ---- results -----------------------------------------------------------------------------------------------

    /// <summary>One output column: its name, its type (a dynamic array when <paramref name="Element"/> is set) and its SQL over the computed value.</summary>
    private sealed record Field(string Name, KqlType Type, KqlType? Element, string Sql);

    // Part i (1-based) of a UDF's list of lists: a scalar (its only element), or an array of the element type.
    private static Field Part(string name, int index, KqlType? element = null, bool whole = false) =>
        element is null
            ? new(name, whole ? KqlType.Long : KqlType.Real, null, whole ? $"TRY_CAST(__r[{index}][1] AS BIGINT)" : $"__r[{index}][1]")
            : new(name, KqlType.Dynamic, element, element == KqlType.Long ? $"TRY_CAST(__r[{index}] AS BIGINT[])" : $"__r[{index}]");

    // A UDF result taken apart into a struct of the fields, the UDF called once.
    private static string Parts(string udfCall, IReadOnlyList<Field> fields) =>
        $"list_transform([{udfCall}], __r -> struct_pack({string.Join(", ", fields.Select(f => $"{Sql.Ident(f.Name)} := {f.Sql}"))}))[1]";

    /// <summary>
    /// The value of a several-column function: the columns (a <see cref="SqlTuple"/>, named function_argument_column
    /// when unnamed), or with <paramref name="bag"/> one property bag of them.
    /// </summary>
    private static SqlValue Columns(FunctionCall c, string structSql, IReadOnlyList<Field> fields, bool bag, params SqlValue[] from)
    {
        if (bag)
        {
            return Derived($"to_json({structSql})", KqlType.Dynamic, from);
        }

        var prefix = $"{c.Name}_{DefaultName(c.Syntax.Args[0]) ?? ""}_";
        var tuple = new SqlTuple(structSql, [.. fields.Select(f => new RelColumn(f.Name, f.Type, f.Element))], prefix);
        var first = fields[0];
        return Derived(SqlTuple.Field(structSql, first.Name), first.Type, from) with { ListElement = first.Element, Tuple = tuple };
    }

    // ---- arguments ---------------------------------------------------------------------------------------------

    /// <summary>Settings for a <c>kql_series_*</c> UDF: a DOUBLE[] of the values' SQL, in order.</summary>
    private static string Settings(IReadOnlyList<string> values) =>
        values.Count == 0 ? "[]::DOUBLE[]" : $"[{string.Join(", ", values.Select(v => $"CAST({v} AS DOUBLE)"))}]";

    // A number argument (or a null), as SQL.
    private static string Number(FunctionCall c, int i)
    {
        var v = c.Arg(i);
        return v is { IsConstant: true, Constant: null } ? "NULL" : c.Typed(v, KqlType.Real, "a number").Sql;
    }

    private static string Bool(FunctionCall c, int i) => $"CAST({c.Predicate(i).Sql} AS INTEGER)";

    private static bool ConstantBool(FunctionCall c, int i) =>
        c.Arg(i) is { IsConstant: true, Constant: bool b } ? b : throw c.ArgError(i, $"{c.Name}() needs a constant bool (true or false) here");

    // A whole number that must not be negative when it is a constant.
    private static string Positive(FunctionCall c, int i, string what)
    {
        var v = c.Typed(c.Arg(i), KqlType.Long, $"a whole number {what}");
        if (v is { IsConstant: true, Constant: long n } && n < 0)
        {
            throw c.ArgError(i, $"{c.Name}() needs {what} of 0 or more, not {n}");
        }

        return v.Sql;
    }

    // The seasonality argument: -1 (the default) detects the period, 0 means none.
    private static string Period(FunctionCall c, int i) =>
        c.Count > i && c.Arg(i) is not { IsConstant: true, Constant: null } ? c.Typed(c.Arg(i), KqlType.Long, "a whole number of bins").Sql : SeriesDecomposition.DetectPeriod.ToString(CultureInfo.InvariantCulture);

    private static string Trend(FunctionCall c, int i) =>
        (c.Count > i && c.Arg(i) is not { IsConstant: true, Constant: null } ? Choice(c, i, TrendNames) : (int)TrendKind.Average).ToString(CultureInfo.InvariantCulture);

    private static string Threshold(FunctionCall c, int i) =>
        c.Count > i && c.Arg(i) is not { IsConstant: true, Constant: null } ? Number(c, i) : SeriesDecomposition.DecomposeSeasonalityThreshold.ToString("R", CultureInfo.InvariantCulture);

    // A constant string among the choices: its index.
    private static int Choice(FunctionCall c, int i, string[] choices)
    {
        var index = c.Arg(i) is { IsConstant: true, Constant: string s } ? Array.IndexOf(choices, s) : -1;
        return index >= 0 ? index : throw c.ArgError(i, $"{c.Name}() needs one of {string.Join(", ", choices.Select(x => $"'{x}'"))} here");
    }

    // series_outliers' percentiles: 25 and 75 for 'tukey'; for 'ctukey' 10 and 90 unless given (each within [2, 98]).
    private static (string Low, string High) Percentiles(FunctionCall c, int first, bool tukey)
    {
        if (tukey)
        {
            return ("25", "75");
        }

        string At(int i, string fallback)
        {
            if (c.Count <= i)
            {
                return fallback;
            }

            if (c.Arg(i) is { IsConstant: true, Constant: long or double } p && System.Convert.ToDouble(p.Constant, CultureInfo.InvariantCulture) is < 2 or > 98)
            {
                throw c.ArgError(i, $"{c.Name}() needs a percentile between 2 and 98");
            }

            return Number(c, i);
        }

        return (At(first, "10"), At(first + 1, "90"));
    }
}
