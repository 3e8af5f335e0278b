namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// Numeric arguments of math and bit functions, as Kusto types them: a number (int, long, real, decimal) or a
/// whole number (int, long); a dynamic is converted (null when it holds something else); any other type fails the
/// query at the argument, so the engine never sees a string where it computes.
/// </summary>
internal static class NumberArguments
{
    /// <summary>Argument <paramref name="i"/>, a number, as SQL of type DOUBLE.</summary>
    public static string RealSql(this FunctionCall c, int i) => $"CAST({c.Number(i).Sql} AS DOUBLE)";

    /// <summary>Argument <paramref name="i"/>, which must be a number; a dynamic becomes a real.</summary>
    public static SqlValue Number(this FunctionCall c, int i)
    {
        var value = c.Arg(i);
        return value.Type switch
        {
            _ when KqlTypes.IsNumeric(value.Type) => value,
            KqlType.Dynamic => c.ConvertArg(i, KqlType.Real),
            _ => throw NotA(c, i, "number (int, long, real or decimal)"),
        };
    }

    /// <summary>Argument <paramref name="i"/>, which must be an int or a long (a dynamic becomes a long), as SQL of type BIGINT.</summary>
    public static string WholeSql(this FunctionCall c, int i)
    {
        var value = c.Arg(i);
        return value.Type switch
        {
            KqlType.Int or KqlType.Long => $"CAST({value.Sql} AS BIGINT)",
            KqlType.Dynamic => c.ConvertArg(i, KqlType.Long).Sql,
            _ => throw NotA(c, i, "whole number (int or long)"),
        };
    }

    private static KqlException NotA(FunctionCall c, int i, string what) =>
        c.ArgError(i, $"{c.Name}() expects a {what} but argument {i + 1} is {KqlTypes.Name(c.Arg(i).Type)}");
}
