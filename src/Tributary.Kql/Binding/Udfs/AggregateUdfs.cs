using System.Text;
using Tributary.Kql.Sketches;
using Tributary.Kql.Values;

namespace Tributary.Kql.Binding.Udfs;

/// <summary>
/// The C# halves of aggregates DuckDB has no match for: make_bag's merge and buildschema over a group's values
/// (collected with <c>list()</c>), and the tdigest functions (<see cref="TDigest"/>). Values and digests travel as
/// JSON text. Null in gives null out, except that an empty group's bag is <c>{}</c>.
/// </summary>
internal static class AggregateUdfs
{
    public static IReadOnlyList<ScalarUdf> All { get; } =
    [
        ScalarUdf.Create<List<string?>?, long?, string>("kql_bag_merge", (bags, maxSize) => PropertyBags.Merge(bags ?? [], maxSize ?? long.MaxValue)),
        ScalarUdf.Create<List<string?>?, string?>("kql_buildschema", values => values is null ? null : DynamicSchema.Of(values)),
        ScalarUdf.Create<long?, List<string?>?, List<double?>?, string?>("kql_tdigest", (kind, values, weights) =>
            kind is { } k && Enum.IsDefined((TDigestKind)k) ? TDigest.Build((TDigestKind)k, values ?? [], weights).ToJson() : null),
        ScalarUdf.Create<List<string?>?, string?>("kql_tdigest_merge", digests => digests is null ? null : TDigest.Merge(digests)?.ToJson()),
        ScalarUdf.Create<string?, List<double?>?, string?>("kql_tdigest_percentiles", Percentiles),
        ScalarUdf.Create<string?, string?, double?>("kql_tdigest_rank", (digest, value) => TDigest.TryParse(digest, out var d) && value is not null ? d.Rank(value) : null),
        ScalarUdf.Create<string?, string?, double?>("kql_tdigest_percentrank", (digest, value) =>
            TDigest.TryParse(digest, out var d) && value is not null && d.Rank(value) is { } rank && d.Total > 0 ? rank * 100.0 / d.Total : null),
    ];

    // A JSON array of the digest's value at each percentage.
    private static string? Percentiles(string? digest, List<double?>? percents)
    {
        if (!TDigest.TryParse(digest, out var d) || percents is null)
        {
            return null;
        }

        return new StringBuilder("[").AppendJoin(',', percents.Select(p => p is { } v ? d.Percentile(v) : "null")).Append(']').ToString();
    }
}
