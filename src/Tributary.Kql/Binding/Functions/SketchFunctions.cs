using Tributary.Kql.Syntax;
using static Tributary.Kql.Binding.ExpressionBinder;

namespace Tributary.Kql.Binding.Functions;

/// <summary>Reading and merging the values of tdigest() and hll() (<see cref="SketchAggregates"/>) in a row.</summary>
internal static class SketchFunctions
{
    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("tdigest_merge", Arity.AtLeast(2), "tdigest_merge(digest: dynamic, digest: dynamic, ...): dynamic", "The digests merged into one.", MergeDigests)
        {
            Aliases = ["merge_tdigest"],
        },
        new("percentile_tdigest", Arity.Between(2, 3), "percentile_tdigest(digest: dynamic, percentage: real [, type: typeof(T)]): dynamic (or T)", "The digest's value at the percentage (nearest rank).", Percentile),
        new("percentiles_array_tdigest", Arity.AtLeast(2), "percentiles_array_tdigest(digest: dynamic, percentages: real|dynamic, ...): dynamic", "The digest's values at the percentages (numbers, or one dynamic array, then optionally typeof(T)), as an array.", PercentilesArray),
        new("rank_tdigest", Arity.Exactly(2), "rank_tdigest(digest: dynamic, value: same kind): real", "The total weight of the digest's values not above the value (its rank).", c => Rank(c, "kql_tdigest_rank")),
        new("percentrank_tdigest", Arity.Exactly(2), "percentrank_tdigest(digest: dynamic, value: same kind): real", "The rank of the value as a percentage of the digest's total weight.", c => Rank(c, "kql_tdigest_percentrank")),
        new("hll_merge", Arity.AtLeast(2), "hll_merge(hll: dynamic, hll: dynamic, ...): dynamic", "The hll values merged into one.", MergeHll),
        new("dcount_hll", Arity.Exactly(1), "dcount_hll(hll: dynamic): long", "The number of distinct values an hll value holds.", c => Derived($"CAST(len({Hll.Hashes(Dynamic(c, 0))}) AS BIGINT)", KqlType.Long, c.Arg(0))),
    ];

    // Kusto's upper limit on the arguments: null when within it.
    private static SqlValue? AtMost(FunctionCall c, int max, string what) =>
        c.Count > max ? throw c.Error($"{c.Name}() merges at most {max} {what}, not {c.Count}") : null;

    private static string Dynamic(FunctionCall c, int i) => c.Convert(c.Arg(i), KqlType.Dynamic).JsonSql;

    private static string DigestText(FunctionCall c, int i) => $"CAST({Dynamic(c, i)} AS VARCHAR)";

    private static SqlValue MergeDigests(FunctionCall c) =>
        AtMost(c, 16, "digests") ?? Derived($"CAST(kql_tdigest_merge([{string.Join(", ", Enumerable.Range(0, c.Count).Select(i => DigestText(c, i)))}]) AS JSON)", KqlType.Dynamic, [.. c.Args]);

    private static SqlValue MergeHll(FunctionCall c) =>
        AtMost(c, 64, "hll values") ?? Derived(Hll.Of($"flatten([{string.Join(", ", Enumerable.Range(0, c.Count).Select(i => Hll.Hashes(Dynamic(c, i))))}])"), KqlType.Dynamic, [.. c.Args]);

    private static SqlValue Percentile(FunctionCall c)
    {
        var type = c.Count == 3 ? TypeArgument(c, 2) : KqlType.Dynamic;
        var percent = c.Typed(c.Arg(1), KqlType.Real, "a percentage").Sql;
        return TDigestSql.Percentile(c, DigestText(c, 0), percent, type, [.. c.Args]);
    }

    private static SqlValue PercentilesArray(FunctionCall c)
    {
        var last = c.Syntax.Args[^1] is TypeOfExpr ? c.Count - 2 : c.Count - 1;
        var percents = last == 1 && c.Arg(1).Type == KqlType.Dynamic
            ? $"TRY_CAST({c.Arg(1).JsonSql} AS DOUBLE[])"
            : $"[{string.Join(", ", Enumerable.Range(1, last).Select(i => $"CAST({c.Typed(c.Arg(i), KqlType.Real, "a percentage").Sql} AS DOUBLE)"))}]";
        return Derived(TDigestSql.Percentiles(DigestText(c, 0), percents), KqlType.Dynamic, [.. c.Args]);
    }

    // The value as the digest holds it: a whole number, a real, or a datetime's or timespan's ticks, as text.
    private static SqlValue Rank(FunctionCall c, string udf)
    {
        var v = c.Arg(1);
        var text = v.Type switch
        {
            KqlType.Int or KqlType.Long or KqlType.TimeSpan => $"CAST(CAST({v.Sql} AS BIGINT) AS VARCHAR)",
            KqlType.Real or KqlType.Decimal => $"CAST(CAST({v.Sql} AS DOUBLE) AS VARCHAR)",
            KqlType.DateTime => $"CAST({v.Sql} AS VARCHAR)",
            KqlType.Dynamic => $"json_extract_string({v.JsonSql}, '$')",
            _ => throw c.ArgError(1, $"{c.Name}() needs a number, datetime or timespan, not {KqlTypes.Name(v.Type)}"),
        };
        return Derived($"{udf}({DigestText(c, 0)}, {text})", KqlType.Real, [.. c.Args]);
    }

    private static KqlType TypeArgument(FunctionCall c, int i) =>
        c.Syntax.Args[i] is TypeOfExpr t ? t.Type : throw c.ArgError(i, $"{c.Name}() needs typeof(…) here");
}
