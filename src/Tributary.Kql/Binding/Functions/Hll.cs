namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// SQL for hll values: <c>[[1024,14],["hash", …],[]]</c>, the distinct xxhash64 hashes of the values as decimal strings
/// — the sparse form Kusto's hll() prints, with the same hashes (a long, int, datetime or timespan hashed as its
/// 8-byte value, other values as their text). Tributary keeps every hash, so dcount_hll is exact.
/// </summary>
internal static class Hll
{
    /// <summary>hll(value) or hll_if(value, condition): the hashes of the group's non-null values.</summary>
    public static SqlValue Aggregate(FunctionCall c, bool conditional)
    {
        var v = c.Arg(0);
        var (udf, argument) = v.Type == KqlType.Int ? ("kql_xxhash64_long", $"CAST({v.Sql} AS BIGINT)") : HashFunctions.HashInput(c);
        var present = v.Type == KqlType.String ? $"{v.Sql} <> ''" : $"{v.JsonSql} IS NOT NULL";
        var where = present + (conditional ? $" AND {c.Predicate(1).Sql}" : "");
        return SqlValue.Aggregated(Of($"list(DISTINCT CAST({udf}({argument}) AS VARCHAR)) FILTER (WHERE {where})"), KqlType.Dynamic);
    }

    /// <summary>The hashes of an hll value (SQL of a dynamic), as a VARCHAR[]; null when it is not one.</summary>
    public static string Hashes(string hll) => $"TRY_CAST(json_extract({hll}, '$[1]') AS VARCHAR[])";

    /// <summary>An hll value from the SQL of a VARCHAR[] of hashes (duplicates and nulls dropped, sorted).</summary>
    public static string Of(string hashes) =>
        $"json_array('[1024,14]'::JSON, to_json(coalesce(list_sort(list_distinct({hashes})), []::VARCHAR[])), '[]'::JSON)";
}
