using static Tributary.Kql.Binding.ExpressionBinder;

namespace Tributary.Kql.Binding.Functions;

/// <summary>Arithmetic functions. Functions of real analysis (sqrt, log …) compute in double and return real.</summary>
internal static class MathFunctions
{
    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("abs", Arity.Exactly(1), "abs(value: number): same type", "The absolute value.", c => Derived($"abs({c.Arg(0).Sql})", c.Arg(0).Type, c.Arg(0))),
        new("round", Arity.Between(1, 2), "round(value: number [, digits: long]): same type", "The value rounded to the digits after the point (default 0).", Round),
        new("ceiling", Arity.Exactly(1), "ceiling(value: number): same type", "The smallest whole number not below the value.", c => Derived($"ceil({c.Arg(0).Sql})", c.Arg(0).Type, c.Arg(0))),
        new("sqrt", Arity.Exactly(1), "sqrt(value: number): real", "The square root.", c => RealFunction(c, "sqrt")),
        new("exp", Arity.Exactly(1), "exp(value: number): real", "Euler's number e raised to the value.", c => RealFunction(c, "exp")),
        new("log", Arity.Exactly(1), "log(value: number): real", "The natural logarithm.", c => RealFunction(c, "ln")),
        new("log10", Arity.Exactly(1), "log10(value: number): real", "The base-10 logarithm.", c => RealFunction(c, "log10")),
        new("log2", Arity.Exactly(1), "log2(value: number): real", "The base-2 logarithm.", c => RealFunction(c, "log2")),
        new("pow", Arity.Exactly(2), "pow(base: number, exponent: number): real", "The base raised to the exponent.", c => Derived($"pow(CAST({c.Arg(0).Sql} AS DOUBLE), {c.Arg(1).Sql})", KqlType.Real, c.Arg(0), c.Arg(1))),
        new("isnan", Arity.Exactly(1), "isnan(value: real): bool", "True when the value is NaN (not a number).", c => Derived($"isnan({c.Arg(0).Sql})", KqlType.Bool, c.Arg(0))),
        new("min_of", Arity.AtLeast(2), "min_of(value: any, value: any, ...): any", "The smallest of the values.", c => Extreme(c, "least")),
        new("max_of", Arity.AtLeast(2), "max_of(value: any, value: any, ...): any", "The largest of the values.", c => Extreme(c, "greatest")),
    ];

    private static SqlValue Round(FunctionCall c) =>
        Derived(c.Count == 2 ? $"round({c.Arg(0).Sql}, CAST({c.Arg(1).Sql} AS INTEGER))" : $"round({c.Arg(0).Sql})", c.Arg(0).Type, [.. c.Args]);

    private static SqlValue RealFunction(FunctionCall c, string sqlFunction) =>
        Derived($"{sqlFunction}(CAST({c.Arg(0).Sql} AS DOUBLE))", KqlType.Real, c.Arg(0));

    private static SqlValue Extreme(FunctionCall c, string sqlFunction)
    {
        var a = c.Args;
        var type = c.UnifyAll(a);
        return Derived($"{sqlFunction}({string.Join(", ", a.Select((_, i) => c.ConvertArg(i, type).Sql))})", type, [.. a]);
    }
}
