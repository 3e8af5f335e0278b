namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// Conversions between types, with Kusto's rules: text that does not parse gives null, a dynamic gives its value
/// when it holds one of the type, <c>tostring</c> never gives null.
/// </summary>
internal static class ConversionFunctions
{
    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("tostring", Arity.Exactly(1), "tostring(value: any): string", "The value as text (\"\" for null).", c => c.Binder.ToStringValue(c.Arg(0))),
        new("toint", Arity.Exactly(1), "toint(value: any): int", "The value as an int, or null.", c => c.Convert(c.Arg(0), KqlType.Int)),
        new("tolong", Arity.Exactly(1), "tolong(value: any): long", "The value as a long, or null.", c => c.Convert(c.Arg(0), KqlType.Long)),
        new("todouble", Arity.Exactly(1), "todouble(value: any): real", "The value as a real, or null.", c => c.Convert(c.Arg(0), KqlType.Real))
        {
            Aliases = ["toreal"],
        },
        new("todecimal", Arity.Exactly(1), "todecimal(value: any): decimal", "The value as a decimal, or null.", c => c.Convert(c.Arg(0), KqlType.Decimal)),
        new("tobool", Arity.Exactly(1), "tobool(value: any): bool", "The value as a bool (\"true\"/\"false\", numbers other than 0 are true), or null.", c => c.Convert(c.Arg(0), KqlType.Bool))
        {
            Aliases = ["toboolean"],
        },
        new("todatetime", Arity.Exactly(1), "todatetime(value: any): datetime", "The value as a datetime, or null.", c => c.Convert(c.Arg(0), KqlType.DateTime)),
        new("totimespan", Arity.Exactly(1), "totimespan(value: any): timespan", "The value as a timespan, or null.", c => c.Convert(c.Arg(0), KqlType.TimeSpan))
        {
            Aliases = ["totime"],
        },
        new("toguid", Arity.Exactly(1), "toguid(value: any): guid", "The value as a guid, or null.", c => c.Convert(c.Arg(0), KqlType.Guid)),
        new("tohex", Arity.Between(1, 2), "tohex(value: int|long [, minLength: long]): string", "The value in lower-case hex (two's complement of 32 bits for an int, 64 for a long), padded with zeros to minLength (at most 16).", ToHex),
        new("new_guid", Arity.Exactly(0), "new_guid(): guid", "A random guid; each row draws its own.", _ => new SqlValue("gen_random_uuid()", KqlType.Guid)),
        new("gettype", Arity.Exactly(1), "gettype(value: any): string", "The name of the value's type (int, long, real, string, datetime …).", c => SqlValue.Literal(KqlTypes.Name(c.Arg(0).Type), KqlType.String))
        {
            Difference = "gives the static type: \"dynamic\" for every dynamic value, where Kusto names the type of what it holds",
        },
    ];

    private static SqlValue ToHex(FunctionCall c)
    {
        var value = c.WholeSql(0);
        var hex = c.Arg(0).Type == KqlType.Int ? $"lower(hex({value} & 4294967295))" : $"lower(hex({value}))";
        if (c.Count == 2)
        {
            hex = $"lpad({hex}, CAST(greatest(length({hex}), least({c.WholeSql(1)}, 16)) AS INTEGER), '0')";
        }

        return ExpressionBinder.Derived($"coalesce({hex}, '')", KqlType.String, [.. c.Args]);
    }
}
