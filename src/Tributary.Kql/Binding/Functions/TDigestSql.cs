using System.Globalization;
using System.Text.Json;
using Tributary.Kql.Sketches;

namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// SQL for <see cref="TDigest"/> digests, shared by tdigest(), the weighted percentiles (percentilew …, which are a
/// digest read at once) and the percentile_tdigest family: a group's values go to <c>kql_tdigest</c> as invariant
/// text with their weights, and digests travel as JSON text.
/// </summary>
internal static class TDigestSql
{
    /// <summary>
    /// The SQL (VARCHAR) of the digest of argument <paramref name="value"/>, weighted by argument
    /// <paramref name="weight"/> when given, over the rows where <paramref name="filter"/> holds.
    /// </summary>
    public static string Digest(FunctionCall c, int value, int? weight, string? filter = null)
    {
        var v = c.Arg(value);
        var (kind, text) = v.Type switch
        {
            KqlType.Int or KqlType.Long => (TDigestKind.Long, $"CAST(CAST({v.Sql} AS BIGINT) AS VARCHAR)"),
            KqlType.Real or KqlType.Decimal => (TDigestKind.Real, $"CAST(CAST({v.Sql} AS DOUBLE) AS VARCHAR)"),
            KqlType.DateTime => (TDigestKind.DateTime, $"CAST({v.Sql} AS VARCHAR)"),
            KqlType.TimeSpan => (TDigestKind.TimeSpan, $"CAST({v.Sql} AS VARCHAR)"),
            KqlType.Dynamic => (TDigestKind.Real, $"CAST(TRY_CAST(json_extract_string({v.JsonSql}, '$') AS DOUBLE) AS VARCHAR)"),
            _ => throw c.ArgError(value, $"{c.Name} needs numbers, datetimes or timespans, not {KqlTypes.Name(v.Type)}"),
        };
        var w = weight is { } i ? $"CAST({c.Typed(c.Arg(i), KqlType.Long, "a whole number weight").Sql} AS DOUBLE)" : "NULL::DOUBLE";
        var where = $"{v.Sql} IS NOT NULL" + (filter is null ? "" : $" AND {filter}");
        var pairs = $"list(struct_pack(v := {text}, w := {w})) FILTER (WHERE {where})";
        var weights = weight is null ? "NULL::DOUBLE[]" : $"list_transform({pairs}, __e -> __e.w)";
        return $"kql_tdigest({(int)kind}, list_transform({pairs}, __e -> __e.v), {weights})";
    }

    /// <summary>The digest's value at each of <paramref name="percents"/> (SQL of a DOUBLE[]), as a dynamic array.</summary>
    public static string Percentiles(string digest, string percents) =>
        $"CAST(kql_tdigest_percentiles({digest}, {percents}) AS JSON)";

    /// <summary>The digest's value at one percentage (SQL of a number), as a value of <paramref name="type"/> (dynamic: as the digest holds it).</summary>
    public static SqlValue Percentile(FunctionCall c, string digest, string percent, KqlType type, params SqlValue[] from)
    {
        var json = ExpressionBinder.Derived($"json_extract({Percentiles(digest, $"[CAST({percent} AS DOUBLE)]")}, '$[0]')", KqlType.Dynamic, from);
        return type == KqlType.Dynamic ? json : c.Convert(json, type);
    }

    /// <summary>
    /// Arguments <paramref name="first"/> onward as the SQL of a DOUBLE[] of percentages: constant numbers, or one
    /// constant dynamic array of them. Each must be from 0 to 100.
    /// </summary>
    public static string ConstantPercents(FunctionCall c, int first, int last) =>
        $"[{string.Join(", ", ConstantPercentValues(c, first, last).Select(v => $"CAST({v.ToString("R", CultureInfo.InvariantCulture)} AS DOUBLE)"))}]";

    /// <summary>The percentages of <see cref="ConstantPercents"/> as numbers.</summary>
    public static List<double> ConstantPercentValues(FunctionCall c, int first, int last)
    {
        var values = new List<double>();
        for (var i = first; i <= last; i++)
        {
            if (c.Syntax.Args[i] is Syntax.LiteralExpr { Value: string json } && c.Arg(i).Type == KqlType.Dynamic)
            {
                values.AddRange(ParseArray(c, i, json));
            }
            else if (c.Arg(i) is { IsConstant: true, Constant: long or double } p && System.Convert.ToDouble(p.Constant, CultureInfo.InvariantCulture) is var d && d is >= 0 and <= 100)
            {
                values.Add(d);
            }
            else
            {
                throw c.ArgError(i, $"{c.Name} needs a constant percentage between 0 and 100");
            }
        }

        return values;
    }

    private static IEnumerable<double> ParseArray(FunctionCall c, int i, string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var values = doc.RootElement.EnumerateArray().Select(e => e.GetDouble()).ToList();
            if (values.All(v => v is >= 0 and <= 100))
            {
                return values;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            // Reported below.
        }

        throw c.ArgError(i, $"{c.Name} needs an array of percentages between 0 and 100");
    }
}
