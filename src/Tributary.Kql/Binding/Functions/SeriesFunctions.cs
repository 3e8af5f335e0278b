namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// Element-wise arithmetic over series (dynamic arrays of numbers, as make-series builds them) and the numbers a
/// series reduces to (sum, magnitude, dot product …), all as DuckDB list functions. A series that make-series or
/// another series function built stays a DuckDB list, so a chain of these never goes through JSON.
/// </summary>
/// <remarks>
/// Elements that are not numbers, and the missing elements of the shorter of two arrays, give null elements, as in
/// Kusto. Where Kusto keeps whole numbers whole (series_add of two arrays of longs), so does Tributary: for arrays of
/// unknown elements the choice is made per array when the query runs, not per element.
/// </remarks>
internal static class SeriesFunctions
{
    private const string ElementsDifference = "whole numbers stay whole only when every element of the arrays is one (Kusto decides element by element)";

    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        Arithmetic("series_add", "sum", (a, b) => $"TRY_CAST(CAST({a} AS HUGEINT) + {b} AS BIGINT)", (a, b) => $"{a} + {b}"),
        Arithmetic("series_subtract", "difference", (a, b) => $"TRY_CAST(CAST({a} AS HUGEINT) - {b} AS BIGINT)", (a, b) => $"{a} - {b}"),
        Arithmetic("series_multiply", "product", (a, b) => $"TRY_CAST(CAST({a} AS HUGEINT) * {b} AS BIGINT)", (a, b) => $"{a} * {b}"),
        Arithmetic("series_divide", "quotient (a real; x/0 is ±infinity)", null, (a, b) => $"{a} / {b}"),
        Arithmetic("series_pow", "power (a real)", null, (a, b) => $"pow({a}, {b})"),
        Comparison("series_greater", ">"),
        Comparison("series_greater_equals", ">="),
        Comparison("series_less", "<"),
        Comparison("series_less_equals", "<="),
        Comparison("series_equals", "="),
        Comparison("series_not_equals", "<>"),
        new("series_abs", Arity.Exactly(1), "series_abs(series: dynamic): dynamic", "The absolute value of each element.", c => Unary(c, e => $"TRY_CAST(abs(CAST({e} AS HUGEINT)) AS BIGINT)", e => $"abs({e})"))
        {
            Difference = ElementsDifference,
        },
        new("series_sign", Arity.Exactly(1), "series_sign(series: dynamic): dynamic", "The sign of each element: -1, 0 or 1 (a long).", Sign),
        RealUnary("series_floor", "The largest whole number not above each element (a real).", e => $"floor({e})"),
        RealUnary("series_ceiling", "The smallest whole number not below each element (a real).", e => $"ceil({e})"),
        RealUnary("series_exp", "Euler's number e raised to each element.", e => $"exp({e})"),
        RealUnary("series_log", "The natural logarithm of each element (NaN below 0, -infinity at 0).", e => $"CASE WHEN {e} > 0 THEN ln({e}) WHEN {e} = 0 THEN '-Infinity'::DOUBLE WHEN {e} < 0 THEN 'NaN'::DOUBLE END"),
        RealUnary("series_sin", "The sine of each element (radians).", e => Finite(e, "sin")),
        RealUnary("series_cos", "The cosine of each element (radians).", e => Finite(e, "cos")),
        RealUnary("series_tan", "The tangent of each element (radians).", e => Finite(e, "tan")),
        RealUnary("series_asin", "The arcsine of each element (NaN outside [-1, 1]).", e => UnitInterval(e, "asin")),
        RealUnary("series_acos", "The arccosine of each element (NaN outside [-1, 1]).", e => UnitInterval(e, "acos")),
        RealUnary("series_atan", "The arctangent of each element.", e => $"atan({e})"),
        new("series_sum", Arity.Exactly(1), "series_sum(series: dynamic): real", "The sum of the elements (elements that are not numbers are skipped; 0 for an empty array).", c => Reduce(c, d => $"coalesce(list_sum({d}), 0.0)")),
        new("series_product", Arity.Exactly(1), "series_product(series: dynamic): real", "The product of the elements (elements that are not numbers are skipped; 1 for an empty array).", c => Reduce(c, d => $"coalesce(list_product({d}), 1.0)")),
        new("series_magnitude", Arity.Exactly(1), "series_magnitude(series: dynamic): real", "The square root of the sum of the squared elements.", c => Reduce(c, d => $"sqrt({SumOfSquares(d)})")),
        new("series_dot_product", Arity.Exactly(2), "series_dot_product(series1: dynamic|number, series2: dynamic|number): real", "The sum of the products of the elements, over the length of the shorter array (null when one is empty).", DotProduct),
        new("series_cosine_similarity", Arity.Between(2, 4), "series_cosine_similarity(series1: dynamic, series2: dynamic [, magnitude1: real, magnitude2: real]): real", "The cosine of the angle between the arrays, over the length of the shorter one (null when one is empty).", CosineSimilarity),
        new("series_pearson_correlation", Arity.Exactly(2), "series_pearson_correlation(series1: dynamic, series2: dynamic): real", "The Pearson correlation coefficient of the arrays (null when their lengths differ or an element is not a number).", Pearson),
    ];

    private static ScalarFunction Arithmetic(string name, string what, Func<string, string, string>? longs, Func<string, string, string> doubles) =>
        new(name, Arity.Exactly(2), $"{name}(series1: dynamic|number, series2: dynamic|number): dynamic", $"The element-wise {what} of two arrays, or of an array and a number.", c => ElementWise(c, longs, doubles))
        {
            Difference = longs is null ? null : ElementsDifference,
        };

    private static ScalarFunction Comparison(string name, string op) =>
        new(name, Arity.Exactly(2), $"{name}(series1: dynamic|number, series2: dynamic|number): dynamic", $"An array of bools: each element of the first {op} the element of the second.", c => ElementWise(c, null, (a, b) => $"{a} {op} {b}", KqlType.Bool));

    private static ScalarFunction RealUnary(string name, string summary, Func<string, string> element) =>
        new(name, Arity.Exactly(1), $"{name}(series: dynamic): dynamic", summary, c => Unary(c, null, element));

    /// <summary>
    /// An element-wise operation of two series, or of a series and a number. <paramref name="longs"/> (null when the
    /// result is never whole) gives the element of two whole numbers, <paramref name="doubles"/> that of two reals.
    /// </summary>
    private static SqlValue ElementWise(FunctionCall c, Func<string, string, string>? longs, Func<string, string, string> doubles, KqlType result = KqlType.Real)
    {
        var a = SeriesOperand.Of(c, 0, allowScalar: true);
        var b = SeriesOperand.Of(c, 1, allowScalar: true);
        if (a.IsScalar && b.IsScalar)
        {
            throw c.Error($"{c.Name}() needs at least one dynamic array");
        }

        var real = Pairwise(a, b, a.Doubles, b.Doubles, doubles);
        return longs is null
            ? SeriesOperand.List(real, result, a.Value, b.Value)
            : SeriesOperand.Result(Pairwise(a, b, a.Longs, b.Longs, longs), real, [a, b]);
    }

    private static string Pairwise(SeriesOperand a, SeriesOperand b, string left, string right, Func<string, string, string> op) =>
        a.IsScalar ? $"list_transform({right}, __e -> {op(left, "__e")})"
        : b.IsScalar ? $"list_transform({left}, __e -> {op("__e", right)})"
        : $"list_transform(list_zip({left}, {right}), __p -> {op("__p[1]", "__p[2]")})";

    /// <summary>An element-wise function of one series: <paramref name="doubles"/> per real element, <paramref name="longs"/> (null when the result is always real) per whole one.</summary>
    private static SqlValue Unary(FunctionCall c, Func<string, string>? longs, Func<string, string> doubles)
    {
        var s = SeriesOperand.Of(c, 0);
        var real = $"list_transform({s.Doubles}, __e -> {doubles("__e")})";
        return longs is null
            ? SeriesOperand.List(real, KqlType.Real, s.Value)
            : SeriesOperand.Result($"list_transform({s.Longs}, __e -> {longs("__e")})", real, [s]);
    }

    private static SqlValue Sign(FunctionCall c)
    {
        var s = SeriesOperand.Of(c, 0);
        return SeriesOperand.List($"list_transform({s.Doubles}, __e -> CAST(sign(__e) AS BIGINT))", KqlType.Long, s.Value);
    }

    // A function DuckDB refuses for infinities: NaN there, as in .NET.
    private static string Finite(string e, string function) => $"CASE WHEN isfinite({e}) THEN {function}({e}) WHEN {e} IS NOT NULL THEN 'NaN'::DOUBLE END";

    // A function DuckDB refuses outside [-1, 1]: NaN there.
    private static string UnitInterval(string e, string function) => $"CASE WHEN {e} >= -1 AND {e} <= 1 THEN {function}({e}) WHEN {e} IS NOT NULL THEN 'NaN'::DOUBLE END";

    private static string SumOfSquares(string list) => $"coalesce(list_sum(list_transform({list}, __e -> __e * __e)), 0.0)";

    // A number from the series' elements; null when the argument is not an array.
    private static SqlValue Reduce(FunctionCall c, Func<string, string> reduce)
    {
        var s = SeriesOperand.Of(c, 0);
        return ExpressionBinder.Derived($"list_transform([{s.Doubles}], __d -> CASE WHEN __d IS NOT NULL THEN {reduce("__d")} END)[1]", KqlType.Real, s.Value);
    }

    private static SqlValue DotProduct(FunctionCall c)
    {
        var a = SeriesOperand.Of(c, 0, allowScalar: true);
        var b = SeriesOperand.Of(c, 1, allowScalar: true);
        if (a.IsScalar && b.IsScalar)
        {
            throw c.Error($"{c.Name}() needs at least one dynamic array");
        }

        // A number multiplies every element of the array; two arrays pair up to the shorter one's length.
        var (list, product) = a.IsScalar ? (b.Doubles, $"__e * {a.Doubles}")
            : b.IsScalar ? (a.Doubles, $"__e * {b.Doubles}")
            : ($"list_zip({a.Doubles}, {b.Doubles}, true)", "__e[1] * __e[2]");
        return ExpressionBinder.Derived(
            $"list_transform([{list}], __z -> CASE WHEN len(__z) > 0 THEN coalesce(list_sum(list_transform(__z, __e -> {product})), 0.0) END)[1]",
            KqlType.Real,
            a.Value,
            b.Value);
    }

    private static SqlValue CosineSimilarity(FunctionCall c)
    {
        var a = SeriesOperand.Of(c, 0);
        var b = SeriesOperand.Of(c, 1);
        var magnitudeA = c.Count > 2 ? c.ConvertArg(2, KqlType.Real).Sql : $"sqrt({SumOfSquares("list_transform(__z, __p -> __p[1])")})";
        var magnitudeB = c.Count > 3 ? c.ConvertArg(3, KqlType.Real).Sql : $"sqrt({SumOfSquares("list_transform(__z, __p -> __p[2])")})";
        var dot = "coalesce(list_sum(list_transform(__z, __p -> __p[1] * __p[2])), 0.0)";
        return ExpressionBinder.Derived(
            $"list_transform([list_zip({a.Doubles}, {b.Doubles}, true)], __z -> CASE WHEN len(__z) > 0 THEN {dot} / ({magnitudeA} * {magnitudeB}) END)[1]",
            KqlType.Real,
            [.. c.Args]);
    }

    private static SqlValue Pearson(FunctionCall c)
    {
        var a = SeriesOperand.Of(c, 0);
        var b = SeriesOperand.Of(c, 1);
        return ExpressionBinder.Derived($"kql_series_pearson({a.Doubles}, {b.Doubles})", KqlType.Real, a.Value, b.Value);
    }
}
