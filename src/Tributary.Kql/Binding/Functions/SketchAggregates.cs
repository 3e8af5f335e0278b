namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// Aggregates whose results are intermediate values to merge and read later: tdigest (for percentiles) and hll (for
/// distinct counts). Kusto's are estimates in an opaque form; Tributary's are exact and have the form Kusto prints for
/// small groups (see <see cref="Sketches.TDigest"/> and <see cref="Hll"/>), so merging and reading them give exact
/// answers.
/// </summary>
internal static class SketchAggregates
{
    private const string ExactDifference = "exact: holds every distinct value (Kusto keeps an estimate of bounded size); the accuracy argument is ignored";

    public static IReadOnlyList<AggregateFunction> All { get; } =
    [
        new("tdigest", Arity.Between(1, 2), "tdigest(value: number|datetime|timespan [, weight: long]): dynamic", "A digest of the values (with their weights) for percentile_tdigest and tdigest_merge.", c => SqlValue.Aggregated($"CAST({TDigestSql.Digest(c, 0, c.Count > 1 ? 1 : null)} AS JSON)", KqlType.Dynamic))
        {
            Difference = "exact: every distinct value with its weight, as [[kind],[values],[weights]] (Kusto compresses large groups)",
        },
        new("tdigest_merge", Arity.Exactly(1), "tdigest_merge(digest: dynamic): dynamic", "The group's digests merged into one.", c => SqlValue.Aggregated($"CAST(kql_tdigest_merge(list(CAST({c.Convert(c.Arg(0), KqlType.Dynamic).JsonSql} AS VARCHAR))) AS JSON)", KqlType.Dynamic))
        {
            Aliases = ["merge_tdigest"],
            ColumnName = (_, argument) => "merge_tdigests_" + argument,
        },
        new("hll", Arity.Between(1, 2), "hll(value: any [, accuracy: long]): dynamic", "The values' hashes, for dcount_hll and hll_merge.", c => Hll.Aggregate(c, conditional: false))
        {
            Difference = ExactDifference,
        },
        new("hll_if", Arity.Between(2, 3), "hll_if(value: any, condition: bool [, accuracy: long]): dynamic", "The hll of the values in the rows where the condition holds.", c => Hll.Aggregate(c, conditional: true))
        {
            Difference = ExactDifference,
        },
        new("hll_merge", Arity.Exactly(1), "hll_merge(hll: dynamic): dynamic", "The group's hll values merged into one.", c => SqlValue.Aggregated(Hll.Of($"flatten(list({Hll.Hashes(c.Convert(c.Arg(0), KqlType.Dynamic).JsonSql)}))"), KqlType.Dynamic)),
    ];
}
