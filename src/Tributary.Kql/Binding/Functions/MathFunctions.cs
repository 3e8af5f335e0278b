using static Tributary.Kql.Binding.ExpressionBinder;

namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// Arithmetic functions. Functions of real analysis (sqrt, log, sin …) compute in double and return real; outside
/// their domain they answer as Kusto does (null for the square root or logarithm of a negative number, -∞ for the
/// logarithm of 0, NaN for the sine of ∞) and never fail the query.
/// </summary>
internal static class MathFunctions
{
    private const string NaN = "'NaN'::DOUBLE";
    private const string NegativeInfinity = "'-Infinity'::DOUBLE";
    private const string Null = "NULL";

    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("abs", Arity.Exactly(1), "abs(value: number): same type", "The absolute value.", c => Derived($"abs({c.Number(0).Sql})", c.Arg(0).Type, c.Arg(0))),
        new("round", Arity.Between(1, 2), "round(value: number [, digits: long]): same type", "The value rounded to the digits after the point (default 0; negative digits round to tens, hundreds …).", Round),
        new("ceiling", Arity.Exactly(1), "ceiling(value: number): same type", "The smallest whole number not below the value.", c => Derived($"ceil({c.Number(0).Sql})", c.Arg(0).Type, c.Arg(0))),
        new("sign", Arity.Exactly(1), "sign(value: number): real", "The sign of the value: -1, 0 or 1 (NaN for NaN).", c => Real(c, x => $"CAST(sign({x}) AS DOUBLE)", (x => $"isnan({x})", x => x))),
        new("sqrt", Arity.Exactly(1), "sqrt(value: number): real", "The square root; null for a negative number.", c => Real(c, x => $"sqrt({x})", (x => $"{x} < 0", _ => Null))),
        new("exp", Arity.Exactly(1), "exp(value: number): real", "Euler's number e raised to the value.", c => Real(c, x => $"exp({x})")),
        new("exp2", Arity.Exactly(1), "exp2(value: number): real", "2 raised to the value.", c => Real(c, x => $"pow(2.0, {x})")),
        new("exp10", Arity.Exactly(1), "exp10(value: number): real", "10 raised to the value.", c => Real(c, x => $"pow(10.0, {x})")),
        new("log", Arity.Exactly(1), "log(value: number): real", "The natural logarithm; -∞ for 0, null for a negative number.", c => Logarithm(c, "ln")),
        new("log10", Arity.Exactly(1), "log10(value: number): real", "The base-10 logarithm; -∞ for 0, null for a negative number.", c => Logarithm(c, "log10")),
        new("log2", Arity.Exactly(1), "log2(value: number): real", "The base-2 logarithm; -∞ for 0, null for a negative number.", c => Logarithm(c, "log2")),
        new("pow", Arity.Exactly(2), "pow(base: number, exponent: number): real", "The base raised to the exponent (NaN for a negative base and a fractional exponent).", c => Derived($"pow({c.RealSql(0)}, {c.RealSql(1)})", KqlType.Real, c.Arg(0), c.Arg(1))),
        new("pi", Arity.Exactly(0), "pi(): real", "The constant π.", _ => SqlValue.Literal(Math.PI, KqlType.Real)),
        new("sin", Arity.Exactly(1), "sin(radians: number): real", "The sine (NaN for ±∞).", c => Trigonometric(c, "sin")),
        new("cos", Arity.Exactly(1), "cos(radians: number): real", "The cosine (NaN for ±∞).", c => Trigonometric(c, "cos")),
        new("tan", Arity.Exactly(1), "tan(radians: number): real", "The tangent (NaN for ±∞).", c => Trigonometric(c, "tan")),
        new("cot", Arity.Exactly(1), "cot(radians: number): real", "The cotangent: 1 / tan (∞ for 0, NaN for ±∞).", c => Real(c, x => $"(1.0 / tan({x}))", (x => $"isinf({x})", _ => NaN))),
        new("asin", Arity.Exactly(1), "asin(value: number): real", "The arc sine in radians; null outside [-1, 1].", c => InverseTrigonometric(c, "asin")),
        new("acos", Arity.Exactly(1), "acos(value: number): real", "The arc cosine in radians; null outside [-1, 1].", c => InverseTrigonometric(c, "acos")),
        new("atan", Arity.Exactly(1), "atan(value: number): real", "The arc tangent in radians.", c => Real(c, x => $"atan({x})")),
        new("atan2", Arity.Exactly(2), "atan2(y: number, x: number): real", "The angle in radians between the positive x-axis and the ray from the origin to (x, y).", c => Derived($"atan2({c.RealSql(0)}, {c.RealSql(1)})", KqlType.Real, c.Arg(0), c.Arg(1))),
        new("degrees", Arity.Exactly(1), "degrees(radians: number): real", "The angle in degrees.", c => Real(c, x => $"degrees({x})")),
        new("radians", Arity.Exactly(1), "radians(degrees: number): real", "The angle in radians.", c => Real(c, x => $"radians({x})")),
        new("gamma", Arity.Exactly(1), "gamma(value: number): real", "The gamma function (±∞ at ±0, NaN at the negative whole numbers).", c => Real(c, x => $"gamma({x})", (x => $"{x} = 0", x => $"(1.0 / {x})"))),
        new("loggamma", Arity.Exactly(1), "loggamma(value: number): real", "The natural logarithm of the absolute value of the gamma function (∞ at 0 and the negative whole numbers).", c => Real(c, x => $"lgamma({x})", (x => $"{x} = 0", _ => "'Infinity'::DOUBLE"))),
        new("erf", Arity.Exactly(1), "erf(value: number): real", "The error function.", c => Real(c, x => $"kql_erf({x})")),
        new("erfc", Arity.Exactly(1), "erfc(value: number): real", "The complementary error function, 1 - erf (precise where it is tiny).", c => Real(c, x => $"kql_erfc({x})")),
        new("beta_pdf", Arity.Exactly(3), "beta_pdf(x: number, alpha: number, beta: number): real", "The beta distribution's probability density at x (NaN unless 0 < x < 1 and alpha, beta > 0).", c => RealUdf(c, "kql_beta_pdf")),
        new("beta_cdf", Arity.Exactly(3), "beta_cdf(x: number, alpha: number, beta: number): real", "The beta distribution's cumulative probability at x (NaN unless 0 <= x <= 1 and 0 < alpha, beta <= 10000).", c => RealUdf(c, "kql_beta_cdf")),
        new("beta_inv", Arity.Exactly(3), "beta_inv(probability: number, alpha: number, beta: number): real", "The x at which beta_cdf reaches the probability (null unless 0 < probability <= 1; NaN for a bad alpha or beta).", c => RealUdf(c, "kql_beta_inv")),
        new("isnan", Arity.Exactly(1), "isnan(value: real): bool", "True when the value is NaN (not a number).", c => Derived($"isnan({c.RealSql(0)})", KqlType.Bool, c.Arg(0))),
        new("isinf", Arity.Exactly(1), "isinf(value: real): bool", "True when the value is +∞ or -∞.", c => Derived($"isinf({c.RealSql(0)})", KqlType.Bool, c.Arg(0))),
        new("isfinite", Arity.Exactly(1), "isfinite(value: real): bool", "True when the value is neither infinite nor NaN.", c => Derived($"isfinite({c.RealSql(0)})", KqlType.Bool, c.Arg(0))),
        new("rand", Arity.Between(0, 1), "rand([n: long]): real", "A random real in [0, 1); with n, a random whole number in {0, 1, …, n - 1} (as a real; null when n is not positive). Each row draws its own.", Rand),
        new("around", Arity.Exactly(3), "around(value: number|datetime|timespan, center: same kind, delta: number|timespan): bool", "True when the value is within delta of the center (both ends included).", Around),
        new("min_of", Arity.AtLeast(2), "min_of(value: any, value: any, ...): any", "The smallest of the values.", c => Extreme(c, "least")),
        new("max_of", Arity.AtLeast(2), "max_of(value: any, value: any, ...): any", "The largest of the values.", c => Extreme(c, "greatest")),
    ];

    private static SqlValue Round(FunctionCall c) =>
        Derived(c.Count == 2 ? $"round({c.Number(0).Sql}, CAST({c.WholeSql(1)} AS INTEGER))" : $"round({c.Number(0).Sql})", c.Arg(0).Type, [.. c.Args]);

    /// <summary>
    /// A function of one real: <paramref name="compute"/> of the argument as a double, except where an edge case
    /// (tested in order) gives another answer — for the inputs where the engine would fail or differ from Kusto.
    /// </summary>
    private static SqlValue Real(FunctionCall c, Func<string, string> compute, params (Func<string, string> When, Func<string, string> Then)[] edges)
    {
        var x = c.RealSql(0);
        var sql = edges.Length == 0
            ? compute(x)
            : $"(CASE {string.Concat(edges.Select(e => $"WHEN {e.When(x)} THEN {e.Then(x)} "))}ELSE {compute(x)} END)";
        return Derived(sql, KqlType.Real, c.Arg(0));
    }

    /// <summary>A C# function of every argument, each a number passed as a double.</summary>
    private static SqlValue RealUdf(FunctionCall c, string udf) =>
        Derived($"{udf}({string.Join(", ", Enumerable.Range(0, c.Count).Select(c.RealSql))})", KqlType.Real, [.. c.Args]);

    // The engine fails on log(0) and on a negative number; Kusto gives -∞ and null (and NaN for NaN, which is above 0 in DuckDB's order).
    private static SqlValue Logarithm(FunctionCall c, string sqlFunction) =>
        Real(c, x => $"{sqlFunction}({x})", (x => $"{x} < 0", _ => Null), (x => $"{x} = 0", _ => NegativeInfinity));

    private static SqlValue Trigonometric(FunctionCall c, string sqlFunction) =>
        Real(c, x => $"{sqlFunction}({x})", (x => $"isinf({x})", _ => NaN));

    // NaN is tested first: DuckDB orders NaN above every number, so it would fall outside [-1, 1].
    private static SqlValue InverseTrigonometric(FunctionCall c, string sqlFunction) =>
        Real(c, x => $"{sqlFunction}({x})", (x => $"isnan({x})", x => x), (x => $"({x} < -1 OR {x} > 1)", _ => Null));

    private static SqlValue Rand(FunctionCall c)
    {
        if (c.Count == 0)
        {
            return Derived("random()", KqlType.Real);
        }

        var n = c.WholeSql(0);
        return Derived($"(CASE WHEN {n} > 0 THEN floor(random() * {n}) END)", KqlType.Real, c.Arg(0));
    }

    /// <summary>around(value, center, delta): numbers compare as numbers, datetimes and timespans in ticks; wide enough never to overflow.</summary>
    private static SqlValue Around(FunctionCall c)
    {
        var (value, center) = (c.Arg(0), c.Arg(1));
        string v, m, d;
        if (value.Type is KqlType.DateTime or KqlType.TimeSpan || center.Type is KqlType.DateTime or KqlType.TimeSpan)
        {
            var kind = value.Type == KqlType.Dynamic ? center.Type : value.Type;
            v = Ticks(c, 0, kind);
            m = Ticks(c, 1, kind);
            d = Ticks(c, 2, KqlType.TimeSpan);
        }
        else
        {
            var wide = new[] { value.Type, center.Type, c.Arg(2).Type }.All(t => t is KqlType.Int or KqlType.Long) ? "HUGEINT" : "DOUBLE";
            (v, m, d) = ($"CAST({c.Number(0).Sql} AS {wide})", $"CAST({c.Number(1).Sql} AS {wide})", $"CAST({c.Number(2).Sql} AS {wide})");
        }

        return Derived($"({v} BETWEEN {m} - {d} AND {m} + {d})", KqlType.Bool, [.. c.Args]);
    }

    // A datetime or timespan argument of around() in ticks, as HUGEINT so adding the delta cannot overflow.
    private static string Ticks(FunctionCall c, int i, KqlType kind)
    {
        var value = c.Arg(i);
        if (value.Type == KqlType.Dynamic)
        {
            value = c.ConvertArg(i, kind);
        }

        return value.Type switch
        {
            _ when value.Type != kind => throw c.ArgError(i, $"around() expects a {KqlTypes.Name(kind)} but argument {i + 1} is {KqlTypes.Name(value.Type)}"),
            _ => $"CAST({value.Sql} AS HUGEINT)",
        };
    }

    private static SqlValue Extreme(FunctionCall c, string sqlFunction)
    {
        var a = c.Args;
        var type = c.UnifyAll(a);
        return Derived($"{sqlFunction}({string.Join(", ", a.Select((_, i) => c.ConvertArg(i, type).Sql))})", type, [.. a]);
    }
}
