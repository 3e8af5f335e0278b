using static Tributary.Kql.Binding.ExpressionBinder;

namespace Tributary.Kql.Binding.Functions;

/// <summary>Hash functions. The cryptographic ones hash the UTF-8 bytes of the value's text (<c>tostring()</c>), as Kusto does.</summary>
internal static class HashFunctions
{
    private const string XxHashDifference = "int, real, bool, guid and dynamic values are hashed as their text (a string's UTF-8 bytes, a long's, datetime's or timespan's ticks as in Kusto)";

    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("hash", Arity.Between(1, 2), "hash(value: any [, modulo: long]): long", "The value's xxhash64, modulo the second argument when given.", XxHash64)
        {
            Difference = XxHashDifference,
        },
        new("hash_xxhash64", Arity.Between(1, 2), "hash_xxhash64(value: any [, modulo: long]): long", "The value's xxhash64, modulo the second argument when given.", XxHash64)
        {
            Difference = XxHashDifference,
        },
        new("hash_md5", Arity.Exactly(1), "hash_md5(value: any): string", "The MD5 hash of the value's text, in lower-case hex.", c => Cryptographic(c, "md5")),
        new("hash_sha1", Arity.Exactly(1), "hash_sha1(value: any): string", "The SHA-1 hash of the value's text, in lower-case hex.", c => Cryptographic(c, "sha1")),
        new("hash_sha256", Arity.Exactly(1), "hash_sha256(value: any): string", "The SHA-256 hash of the value's text, in lower-case hex.", c => Cryptographic(c, "sha256")),
    ];

    private static SqlValue Cryptographic(FunctionCall c, string sqlFunction)
    {
        if (c.Arg(0).Type == KqlType.Dynamic)
        {
            throw c.ArgError(0, $"{c.Name}() cannot hash a dynamic value: convert it with tostring() first");
        }

        return Derived($"{sqlFunction}({c.Text(0).Sql})", KqlType.String, c.Arg(0));
    }

    /// <summary>Kusto's xxhash64 through the <c>kql_xxhash64_*</c> UDFs; a modulo that is not positive gives null (a constant one is an error).</summary>
    private static SqlValue XxHash64(FunctionCall c)
    {
        var value = c.Arg(0);
        var (udf, arg) = HashInput(c);
        if (c.Count == 1)
        {
            return Derived($"{udf}({arg})", KqlType.Long, value);
        }

        var modulo = c.Typed(c.Arg(1), KqlType.Long, "a whole number modulo");
        if (modulo is { IsConstant: true, Constant: long m } && m <= 0)
        {
            throw c.ArgError(1, $"the modulo of a hash must be positive, not {m}");
        }

        return Derived($"{udf}_mod({arg}, CAST({modulo.Sql} AS BIGINT))", KqlType.Long, value, modulo);
    }

    /// <summary>
    /// The <c>kql_xxhash64_*</c> UDF for argument 0 and the SQL it hashes: a long's, datetime's or timespan's ticks,
    /// else the text (hll() hashes its values the same way).
    /// </summary>
    internal static (string Udf, string Argument) HashInput(FunctionCall c)
    {
        var value = c.Arg(0);
        return value.Type switch
        {
            KqlType.Long or KqlType.TimeSpan => ("kql_xxhash64_long", $"CAST({value.Sql} AS BIGINT)"),
            KqlType.DateTime => ("kql_xxhash64_long", value.Sql),
            _ => ("kql_xxhash64_text", c.Text(0).Sql),
        };
    }
}
