using static Tributary.Kql.Binding.ExpressionBinder;

namespace Tributary.Kql.Binding.Functions;

/// <summary>Hash functions.</summary>
internal static class HashFunctions
{
    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("hash", Arity.Between(1, 2), "hash(value: any [, modulo: long]): long", "A non-negative hash of the value, modulo the second argument when given.", Hash)
        {
            Difference = "DuckDB's hash, not Kusto's xxhash64 (stable within Tributary, but different values)",
        },
    ];

    private static SqlValue Hash(FunctionCall c)
    {
        var h = $"CAST(hash({c.Arg(0).JsonSql}) >> 1 AS BIGINT)";
        return Derived(c.Count == 2 ? $"({h} % {c.Arg(1).Sql})" : h, KqlType.Long, [.. c.Args]);
    }
}
