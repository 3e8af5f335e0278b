using System.Text.Json;
using Tributary.Kql;

namespace Tributary.Tests.Kql.Functions;

/// <summary>
/// series_fill_*, series_stats, the fits, decomposition, anomalies, outliers, periods, filters and Fourier, against
/// Kusto's documented examples, and the several-column functions in extend and project.
/// </summary>
public sealed class SeriesAnalysisFunctionTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private const string Traffic = "dynamic([80, 139, 87, 110, 68, 54, 50, 51, 53, 133, 86, 141, 97, 156, 94, 149, 95, 140, 77, 61, 50, 54, 47, 133, 72, 152, 94, 148, 105, 162, 101, 160, 87, 63, 53, 55, 54, 151, 103, 189, 108, 183, 113, 175, 113, 178, 90, 71, 62, 62, 65, 165, 109, 181, 115, 182, 121, 178, 114, 170])";

    private const string Gaps = """
        datatable(arr: dynamic)[
          dynamic([null, 111.0, null, 36.0, 41.0, null, null, 16.0, 61.0, 33.0, null, null]),
          dynamic([null, 111, null, 36, 41, null, null, 16, 61, 33, null, null]),
          dynamic([null, null, null, null])]
        """;


    private string Json(string expression) => QueryResultExtensions.Json(store.Print(expression));

    private static double[] Numbers(object? json) => JsonSerializer.Deserialize<double[]>((string)json!)!;

    [Fact]
    public void FillLinear_MatchesKustosDocumentedExample_IncludingTruncatedWholeNumbers()
    {
        var result = store.Run(Gaps + " | project a = series_fill_linear(arr), b = series_fill_linear(arr, double(null), false), c = series_fill_linear(arr, double(null), true, 3.14159)");

        Assert.Equal("[111.0,111.0,73.5,36.0,41.0,32.666666666666664,24.333333333333332,16.0,61.0,33.0,33.0,33.0]", QueryResultExtensions.Json(result.Rows[0][0]));
        Assert.Equal("[111,111,73,36,41,32,24,16,61,33,33,33]", QueryResultExtensions.Json(result.Rows[1][0]));
        Assert.Equal("[null,111,73,36,41,32,24,16,61,33,null,null]", QueryResultExtensions.Json(result.Rows[1][1]));
        Assert.Equal("[0.0,0.0,0.0,0.0]", QueryResultExtensions.Json(result.Rows[2][0]));
        Assert.Equal("[0.0,0.0,0.0,0.0]", QueryResultExtensions.Json(result.Rows[2][1]));
        Assert.Equal("[3.14159,3.14159,3.14159,3.14159]", QueryResultExtensions.Json(result.Rows[2][2]));
    }

    [Fact]
    public void FillForwardBackwardConst_MatchKustosDocumentedExamples()
    {
        Assert.Equal("[111,36,36,41,16,16,16,61,33,null,null]", Json("series_fill_backward(dynamic([111, null, 36, 41, null, null, 16, 61, 33, null, null]))"));
        Assert.Equal("[null,null,36,41,41,41,16,61,33,33,33]", Json("series_fill_forward(dynamic([null, null, 36, 41, null, null, 16, 61, 33, null, null]))"));
        Assert.Equal("[111,-1,36,41,23,-1,16,61,33,-1,-1]", Json("series_fill_const(dynamic([111, null, 36, 41, 23, null, 16, 61, 33, null, null]), -1)"));
        Assert.Equal("[111.0,0.0,36.0]", Json("series_fill_const(dynamic([111, null, 36]), 0.0)"));
    }

    [Fact]
    public void Fills_WithAPlaceholder_FillMakeSeriesDefaults()
    {
        var result = store.Run("""
            datatable(T: datetime, v: long)[datetime(2024-01-01 00:00), 10, datetime(2024-01-01 03:00), 40]
            | make-series s = sum(v) default = -1 on T from datetime(2024-01-01) to datetime(2024-01-01 04:00) step 1h
            | project linear = series_fill_linear(s, -1), forward = series_fill_forward(s, -1), zero = series_fill_const(s, 0, -1)
            """);

        Assert.Equal("[10,20,30,40]", QueryResultExtensions.Json(result.Single("linear")));
        Assert.Equal("[10,10,10,40]", QueryResultExtensions.Json(result.Single("forward")));
        Assert.Equal("[10,0,0,40]", QueryResultExtensions.Json(result.Single("zero")));
    }

    [Fact]
    public void Stats_MatchesKustosDocumentedExample_WithDefaultColumnNames()
    {
        var result = store.Run("print x = dynamic([23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29]) | project series_stats(x)");

        Assert.Equal(["series_stats_x_min", "series_stats_x_min_idx", "series_stats_x_max", "series_stats_x_max_idx", "series_stats_x_avg", "series_stats_x_stdev", "series_stats_x_variance"], result.Names());
        Assert.Equal([2.0, 8L, 87.0, 3L, 32.8], result.Rows[0].Take(5));
        Assert.Equal(28.5036338535483, (double)result.Rows[0][5]!, 12);
        Assert.Equal(812.457142857143, (double)result.Rows[0][6]!, 9);
    }

    [Fact]
    public void StatsDynamic_MatchesKustosDocumentedExample()
    {
        var bag = Json("series_stats_dynamic(dynamic([23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29]))");

        Assert.Equal("""{"min":2.0,"min_idx":8,"max":87.0,"max_idx":3,"avg":32.8,"stdev":28.50363385354827,"variance":812.4571428571429,"sum":492.0,"len":15}""", bag);
    }

    [Fact]
    public void Stats_WithANonFiniteElement_IsNullUnlessIgnored()
    {
        var result = store.Run("print x = dynamic([5, null, 1]) | extend (lo, lo_idx) = series_stats(x) | extend (ilo, ilo_idx, ihi, ihi_idx) = series_stats(x, true)");

        Assert.Null(result.Single("lo"));
        Assert.Equal(["x", "lo", "lo_idx", "ilo", "ilo_idx", "ihi", "ihi_idx"], result.Names());
        Assert.Equal([1.0, 2L, 5.0, 0L], result.Rows[0].Skip(3));
    }

    [Fact]
    public void FitLine_MatchesKustosDocumentedExample_AndItsDynamicTwin()
    {
        var result = store.Run("print y = dynamic([2, 5, 6, 8, 11, 15, 17, 18, 25, 26, 30, 30]) | extend (RSquare, Slope, Variance, RVariance, Interception, LineFit) = series_fit_line(y) | extend fit = series_fit_line_dynamic(y)");

        // The documentation shows the values cut to three decimals.
        static double Cut(object? value) => Math.Truncate((double)value! * 1000) / 1000;
        Assert.Equal([0.982, 2.730, 98.628, 1.686, -1.666], new[] { "RSquare", "Slope", "Variance", "RVariance", "Interception" }.Select(c => Cut(result.Single(c))));
        Assert.Equal([1.06, 3.79, 6.53, 9.26, 11.99, 14.72, 17.45, 20.18, 22.91, 25.64, 28.37, 31.10], Numbers(result.Single("LineFit")).Select(v => Math.Round(v, 2)));
        Assert.Equal(2.73, Math.Round(JsonDocument.Parse((string)result.Single("fit")!).RootElement.GetProperty("slope").GetDouble(), 2));
    }

    [Fact]
    public void FitTwoLines_FindsTheJump()
    {
        var result = store.Run("print y = dynamic([1, 2, 3, 4, 10, 9, 8, 7]) | project series_fit_2lines(y)");

        Assert.Equal(1.0, (double)result.Single("series_fit_2lines_y_rsquare")!, 12);
        Assert.Equal(4L, result.Single("series_fit_2lines_y_split_idx"));
        Assert.Equal(1.0, (double)result.Single("series_fit_2lines_y_left_slope")!, 12);
        Assert.Equal(-1.0, (double)result.Single("series_fit_2lines_y_right_slope")!, 12);
        Assert.Equal([1, 2, 3, 4, 10, 9, 8, 7], Numbers(result.Single("series_fit_2lines_y_line_fit")).Select(v => Math.Round(v, 9)));
        Assert.Equal(4.0, JsonDocument.Parse((string)store.Print("series_fit_2lines_dynamic(dynamic([1, 2, 3, 4, 10, 9, 8, 7]))")!).RootElement.GetProperty("split_idx").GetDouble());
    }

    [Fact]
    public void FitPoly_RecoversAPolynomial_AndDegreeOneIsTheLine()
    {
        var result = store.Run("print y = dynamic([3, 9, 19, 33, 51]), x = dynamic([1, 2, 3, 4, 5]) | extend (rsquare, coefficients) = series_fit_poly(y, x, 2) | extend (line_rsquare, line) = series_fit_poly(y)");

        Assert.Equal(1.0, (double)result.Single("rsquare")!, 9);
        Assert.Equal([2.0, 0.0, 1.0], Numbers(result.Single("coefficients")).Select(v => Math.Round(v, 9)));
        Assert.Equal(12.0, Numbers(result.Single("line"))[0], 9);
    }

    [Fact]
    public void Outliers_ScoreTukeysFences()
    {
        var ctukey = Numbers(store.Print("series_outliers(dynamic([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100]))"));
        var tukey = Numbers(store.Print("series_outliers(dynamic([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100]), 'tukey')"));

        Assert.Equal(11.25, ctukey[10], 12);
        Assert.Equal(-0.125, ctukey[0], 12);
        Assert.Equal(0.0, ctukey[5]);
        Assert.Equal(18.3, tukey[10], 12);
        Assert.Equal("[0.0,0.0,0.0]", Json("series_outliers(dynamic([null, 7, 7]))"));
    }

    [Fact]
    public void Outliers_PercentileOutOfRange_IsAnErrorAtTheArgument()
    {
        var e = Assert.Throws<KqlException>(() => store.Run("print series_outliers(dynamic([1, 2]), 'ctukey', 0, 1, 90)"));
        Assert.Contains("percentile between 2 and 98", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 53), (e.Line, e.Column));

        var kind = Assert.Throws<KqlException>(() => store.Run("print series_outliers(dynamic([1, 2]), 'fence')"));
        Assert.Contains("one of 'ctukey', 'tukey'", kind.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PeriodsDetectAndValidate_MatchKustosDocumentedExamples()
    {
        var detected = store.Run($"print y = {Traffic} | project series_periods_detect(y, 0.0, 50.0, 2)");
        var validated = store.Run($"print y = {Traffic} | project series_periods_validate(y, 14.0, 10.0)");

        Assert.Equal([14.0, 0.0], Numbers(detected.Single("series_periods_detect_y_periods")));
        Assert.Equal([0.84, 0.0], Numbers(detected.Single("series_periods_detect_y_scores")).Select(v => Math.Round(v, 2)));
        Assert.Equal([14.0, 10.0], Numbers(validated.Single("series_periods_validate_y_periods")));
        Assert.Equal([0.84, 0.0], Numbers(validated.Single("series_periods_validate_y_scores")).Select(v => Math.Round(v, 2)));
    }

    [Fact]
    public void Seasonal_MatchesKustosDocumentedExamples()
    {
        var detected = store.Run("""
            print s = dynamic([2, 5, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1])
            | union (print s = dynamic([8, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10]))
            | union (print s = dynamic([1, 3, 5, 2, 4, 6, 1, 3, 5, 2, 4, 6]))
            | extend s_seasonal = series_seasonal(s)
            """).Column("s_seasonal").Select(Numbers).ToList();

        Assert.Equal([1.0, 2, 3, 4, 3, 2], detected[0].Take(6));
        Assert.Equal([10.0, 12, 14, 12, 10, 10], detected[1].Take(6));
        Assert.All(detected[2], v => Assert.Equal(0.0, v));
        Assert.Equal([1.0, 3, 5, 1, 3, 5, 1, 3, 5], Numbers(store.Print("series_seasonal(dynamic([1, 3, 5, 1, 3, 5, 2, 4, 6]), 3)")));
        Assert.Equal([1.5, 3.5, 5.5], Numbers(store.Print("series_seasonal(dynamic([1, 3, 5, 2, 4, 6, 1, 3, 5, 2, 4, 6]), 3)")).Take(3));
    }

    [Fact]
    public void Decompose_SplitsSeasonalTrendAndResidual()
    {
        // A period of 4, one point off by 5: the seasonal medians ignore it, the mean trend takes 5/24 of it.
        var result = store.Run("""
            range i from 0 to 23 step 1
            | extend y = case(i % 4 == 0, 10.0, i % 4 == 1, 20.0, i % 4 == 2, 30.0, 40.0) + iff(i == 13, 5.0, 0.0)
            | summarize y = make_list(y)
            | extend (baseline, seasonal, trend, residual) = series_decompose(y, 4)
            | extend none = series_decompose(y, 0, 'none')
            """);

        Assert.Equal([10.0, 20, 30, 40, 10], Numbers(result.Single("seasonal")).Take(5));
        Assert.All(Numbers(result.Single("trend")), t => Assert.Equal(5.0 / 24, t, 12));
        var residual = Numbers(result.Single("residual"));
        Assert.Equal(5 - (5.0 / 24), residual[13], 12);
        Assert.Equal(-5.0 / 24, residual[12], 12);
        Assert.All(Numbers(result.Single("none")), b => Assert.Equal(0.0, b));
    }

    [Fact]
    public void Decompose_LineFitTrend_IsTheLine()
    {
        var result = store.Run("print y = dynamic([3, 5, 7, 9, 11, 13]) | extend (baseline, seasonal, trend, residual) = series_decompose(y, 0, 'linefit')");

        Assert.Equal([3.0, 5, 7, 9, 11, 13], Numbers(result.Single("baseline")).Select(v => Math.Round(v, 9)));
        Assert.All(Numbers(result.Single("residual")), r => Assert.Equal(0.0, r, 9));
    }

    [Fact]
    public void DecomposeAnomalies_FlagsTheSpikeOfAMakeSeries_AndNamesItsColumnsAsKusto()
    {
        var result = store.Run("""
            range i from 0 to 167 step 1
            | extend T = datetime(2024-01-01) + i * 1h, n = 100 + 50 * (i % 24 / 12) + hash(i, 7) + iff(i == 100, 400, 0)
            | make-series n = sum(n) on T from datetime(2024-01-01) to datetime(2024-01-08) step 1h
            | extend series_decompose_anomalies(n)
            | extend flagged = series_equals(series_decompose_anomalies_n_ad_flag, 1)
            """);

        Assert.Contains("series_decompose_anomalies_n_ad_score", result.Names());
        Assert.Contains("series_decompose_anomalies_n_baseline", result.Names());
        var flags = Numbers(result.Single("series_decompose_anomalies_n_ad_flag"));
        Assert.Equal([100], flags.Select((f, i) => (f, i)).Where(p => p.f != 0).Select(p => p.i));
    }

    [Fact]
    public void DecomposeAnomalies_UnderOneName_IsTheFlagColumn()
    {
        var result = store.Run("print y = dynamic([1, 1, 1, 1, 1, 1, 1, 9, 1, 1, 1, 1]) | extend anomalies = series_decompose_anomalies(y, 1.5, 0)");

        Assert.Equal("[0,0,0,0,0,0,0,1,0,0,0,0]", QueryResultExtensions.Json(result.Single("anomalies")));
    }

    [Fact]
    public void DecomposeForecast_ExtendsTheSeasonOverTheTestPoints()
    {
        var forecast = Numbers(store.Print("series_decompose_forecast(dynamic([10, 20, 30, 40, 10, 20, 30, 40, 10, 20, 30, 40, 0, 0, 0, 0]), 4, 4, 'none')"));

        Assert.Equal([10.0, 20, 30, 40], forecast.Skip(12));
    }

    [Fact]
    public void Fir_MovingAverageAndDifference_MatchKustosDocumentedExamples()
    {
        var values = "dynamic([0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 20, 40, 100, 40, 20, 10, 0, 0, 0, 0, 0, 0, 0, 0])";
        var moving = Numbers(store.Print($"series_fir({values}, dynamic([1, 1, 1, 1, 1]))"));
        var centered = Numbers(store.Print($"series_fir({values}, dynamic([1, 1, 1, 1, 1]), true, true)"));

        Assert.Equal(14, Array.IndexOf(moving, moving.Max()));
        Assert.Equal(12, Array.IndexOf(centered, centered.Max()));
        Assert.Equal(44.0, moving[14]);
        Assert.Equal(44.0, centered[12]);
        Assert.Equal("[0.0,0.0,2.0,0.0,1.0,0.0]", Json("series_fir(dynamic([0, 0, 2, 2, 3, 3]), dynamic([1, -1]), false, false)"));
        Assert.Null(store.Print("series_fir(dynamic([1, 2]), dynamic([1, -1]), true)"));
    }

    [Fact]
    public void Iir_CumulativeSum_MatchesKustosDocumentedExample()
    {
        Assert.Equal("[1.0,3.0,6.0,10.0]", Json("series_iir(dynamic([1.0, 2.0, 3.0, 4.0]), dynamic([1]), dynamic([1, -1]))"));
        Assert.Null(store.Print("series_iir(dynamic([1.0]), dynamic([1]), dynamic([0, 1]))"));
    }

    [Fact]
    public void Fft_OfAKnownSeries_AndIfftGivesItBack()
    {
        var result = store.Run("print y = dynamic([1, 2, 3, 4, 5]) | extend (re, im) = series_fft(y) | extend (y2, y2i) = series_ifft(re, im) | extend (p, q) = series_fft(dynamic([1, 2, 3, 4]))");

        Assert.Equal([10.0, -2, -2, -2], Numbers(result.Single("p")).Select(v => Math.Round(v, 9)));
        Assert.Equal([0.0, 2, 0, -2], Numbers(result.Single("q")).Select(v => Math.Round(v, 9) + 0.0));
        Assert.Equal(15.0, Numbers(result.Single("re"))[0], 9);
        Assert.Equal([1.0, 2, 3, 4, 5], Numbers(result.Single("y2")).Select(v => Math.Round(v, 9)));
    }

    [Fact]
    public void SeveralColumns_NamesAndErrors()
    {
        var projected = store.Run("print y = dynamic([1, 2, 4]) | project (r, s) = series_fit_line(y)");
        Assert.Equal(["r", "s", "series_fit_line_y_variance", "series_fit_line_y_rvariance", "series_fit_line_y_interception", "series_fit_line_y_line_fit"], projected.Names());
        Assert.Equal(["series_stats__min"], store.Run("print y = dynamic([1, 2]) | extend series_stats(series_add(y, 0)) | project series_stats__min").Names());

        var tooMany = Assert.Throws<KqlException>(() => store.Run("print y = dynamic([1]) | extend (a, b, c) = series_fft(y)"));
        Assert.Contains("3 names for 2 columns", tooMany.Message, StringComparison.Ordinal);
        var notSeveral = Assert.Throws<KqlException>(() => store.Run("print y = 1 | extend (a, b) = y + 1"));
        Assert.Contains("needs a function that returns several columns", notSeveral.Message, StringComparison.Ordinal);
        var inSummarize = Assert.Throws<KqlException>(() => store.Run("print y = 1 | summarize (a, b) = count()"));
        Assert.Contains("only allowed in extend and project", inSummarize.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadArguments_AreErrorsAtTheArgument()
    {
        var trend = Assert.Throws<KqlException>(() => store.Run("print series_decompose(dynamic([1, 2]), -1, 'straight')"));
        Assert.Contains("one of 'none', 'avg', 'linefit'", trend.Message, StringComparison.Ordinal);
        Assert.Equal((1, 45), (trend.Line, trend.Column));

        var points = Assert.Throws<KqlException>(() => store.Run("print series_decompose_forecast(dynamic([1, 2]), -3)"));
        Assert.Contains("test_points of 0 or more, not -3", points.Message, StringComparison.Ordinal);

        var ignore = Assert.Throws<KqlException>(() => store.Run("print b = true | project series_stats(dynamic([1]), b)"));
        Assert.Contains("constant bool", ignore.Message, StringComparison.Ordinal);
    }
}
