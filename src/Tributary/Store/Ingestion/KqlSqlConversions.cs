using Tributary.Kql.Binding;
using Tributary.Kql;

namespace Tributary.Store.Ingestion;

/// <summary>
/// Vectorized DuckDB SQL that turns the text of a Kusto value into its stored value, by the same rules as
/// <see cref="Kql.Values.KqlValueParser"/> (a test runs both on a shared corpus).
/// </summary>
/// <remarks>
/// A conversion is two steps over named columns of nested SELECTs, so that DuckDB evaluates each
/// expression once per row: <see cref="Convert"/> gives a candidate value <c>v</c> of the raw text
/// <c>r</c> (NULL when blank or invalid); <see cref="Validate"/> gives the final value (NULL when
/// invalid). A raw value failed when it is not blank but the final value is NULL (<see cref="Failed"/>). Strings never fail (NULL becomes
/// <c>''</c>) and neither does dynamic (text that is not JSON becomes a JSON string).
/// </remarks>
internal static class KqlSqlConversions
{
    // Implementation note: the common ISO shapes with seconds go through DuckDB's own casts
    // (Sql.IsoTextToTicks: to the tick), which is several times faster than picking groups apart; the regex restricts the cast to what KqlValueParser accepts
    // (DuckDB alone would also take time zone names, 24:00, 'epoch' …).
    private const string IsoFast =
        @"\d{4}-\d\d-\d\d(?:[T ](?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,7})?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?)?";

    private const string IsoGeneral =
        @"^(\d{4})-(\d\d)-(\d\d)(?:[T ]([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,7}))?)?(?:Z|([+-])([01]\d|2[0-3]):?([0-5]\d))?)?$";

    private const string Rfc =
        @"^(?:(?i:mon|tue|wed|thu|fri|sat|sun), ?)?(\d{1,2}) ((?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)) (\d{4}|\d{2}) ([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))? (?:(?i:gmt|utc|ut|z)|([+-])([01]\d|2[0-3])([0-5]\d))$";

    private const string TimeSpanPattern =
        @"^(-)?(?:(?:(\d{1,8})\.)?([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,7}))?)?|(\d{1,18})(?:\.(\d{1,18}))?((?i:days?|d|hours?|hrs?|h|minutes?|min|m|seconds?|sec|s|milliseconds?|millis?|ms|microseconds?|ticks?)))$";

    private const string TimeSpanClock = @"(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,7})?";

    private const string Integer = @"[+-]?\d+(?:\.0*)?";
    private const string Number = @"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?";
    private const string GuidD = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
    private const string GuidAny = "[0-9a-fA-F]{32}|" + GuidD + @"|\{" + GuidD + @"\}|\(" + GuidD + @"\)";

    /// <summary>The raw text with leading and trailing space, tab, CR and LF removed (NULL stays NULL).</summary>
    public static string Trim(string r) => $"trim({r}, E' \\t\\r\\n')";

    /// <summary>
    /// The candidate stored value of raw text <paramref name="r"/>, typed as the column's storage type;
    /// NULL when the text is empty or not a value of the type.
    /// </summary>
    /// <remarks>
    /// Implementation note: trimming every value costs more than converting it, and the patterns below
    /// never match text with surrounding whitespace, so the conversion runs on the raw text first and
    /// only the rows where that gave NULL are trimmed and converted again (DuckDB's coalesce evaluates
    /// its second argument only for those rows). Each subexpression appears once: DuckDB hoists repeated
    /// ones into a projection evaluated for every row, which would defeat that laziness; the lambda
    /// names the trimmed text once.
    /// </remarks>
    public static string Convert(KqlType type, string r) => type switch
    {
        KqlType.String => $"coalesce({r}, '')",
        KqlType.Dynamic =>
            $"CASE WHEN json_valid({r}) THEN (CASE WHEN json_type({r}) = 'NULL' THEN NULL ELSE {r}::JSON END) " +
            $"ELSE list_transform([{Trim(r)}], lambda __t: CASE WHEN __t = '' THEN NULL ELSE to_json({r}) END)[1] END",
        _ => $"coalesce({ConvertTrimmed(type, r)}, list_transform([{Trim(r)}], lambda __t: {ConvertTrimmed(type, "__t")})[1])",
    };

    /// <summary>
    /// The candidate stored value of text <paramref name="t"/> that has no surrounding whitespace (text
    /// that has some converts to NULL); NULL when empty or not a value of the type. Not for string or dynamic.
    /// </summary>
    public static string ConvertTrimmed(KqlType type, string t) => type switch
    {
        KqlType.Int => $"CASE WHEN regexp_full_match({t}, {Lit(Integer)}) THEN TRY_CAST(regexp_replace({t}, '\\.0*$', '') AS INTEGER) END",
        KqlType.Long => $"CASE WHEN regexp_full_match({t}, {Lit(Integer)}) THEN TRY_CAST(regexp_replace({t}, '\\.0*$', '') AS BIGINT) END",
        KqlType.Real =>
            $"CASE WHEN regexp_full_match({t}, {Lit(Number)}) THEN TRY_CAST({t} AS DOUBLE) ELSE CASE lower({t}) " +
            "WHEN 'nan' THEN 'NaN'::DOUBLE WHEN '+nan' THEN 'NaN'::DOUBLE WHEN '-nan' THEN 'NaN'::DOUBLE " +
            "WHEN 'inf' THEN 'Infinity'::DOUBLE WHEN '+inf' THEN 'Infinity'::DOUBLE WHEN 'infinity' THEN 'Infinity'::DOUBLE " +
            "WHEN '+infinity' THEN 'Infinity'::DOUBLE WHEN '-inf' THEN '-Infinity'::DOUBLE WHEN '-infinity' THEN '-Infinity'::DOUBLE END END",
        KqlType.Decimal => $"CASE WHEN regexp_full_match({t}, {Lit(Number)}) THEN TRY_CAST({t} AS DECIMAL(38,18)) END",
        KqlType.Bool => $"CASE lower({t}) WHEN 'true' THEN true WHEN '1' THEN true WHEN 'false' THEN false WHEN '0' THEN false END",
        KqlType.Guid => $"CASE WHEN regexp_full_match({t}, {Lit(GuidAny)}) THEN TRY_CAST(regexp_replace({t}, '[{{}}()]', '', 'g') AS UUID) END",
        KqlType.DateTime => DateTimeSql(t),
        KqlType.TimeSpan => TimeSpanSql(t),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>A boolean: raw text <paramref name="r"/> is NULL or only whitespace.</summary>
    public static string IsBlank(string r) => $"({r} IS NULL OR {Trim(r)} = '')";

    /// <summary>The final stored value from candidate <paramref name="v"/>: datetimes outside years 1–9999 become NULL.</summary>
    public static string Validate(KqlType type, string v) => type == KqlType.DateTime
        ? $"CASE WHEN {v} BETWEEN 0 AND {DateTime.MaxValue.Ticks} THEN {v} END"
        : v;

    /// <summary>True for types whose conversion can fail (all but string and dynamic).</summary>
    public static bool CanFail(KqlType type) => type is not (KqlType.String or KqlType.Dynamic);

    /// <summary>A boolean: raw text <paramref name="r"/> is not blank but the final value <paramref name="value"/> is NULL.</summary>
    public static string Failed(string r, string value) => $"(NOT {IsBlank(r)} AND {value} IS NULL)";

    /// <summary>
    /// The conversion of a column that is already typed in the file (Parquet) when DuckDB can cast it
    /// directly, or null when it should go through its text (<c>CAST(r AS VARCHAR)</c>).
    /// </summary>
    public static string? ConvertTyped(KqlType type, string duckType, string r)
    {
        var nested = duckType.EndsWith(']') || duckType.StartsWith("STRUCT", StringComparison.Ordinal)
            || duckType.StartsWith("MAP", StringComparison.Ordinal) || duckType.StartsWith("UNION", StringComparison.Ordinal);
        var numeric = duckType is "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" or "HUGEINT" or "UTINYINT" or "USMALLINT"
            or "UINTEGER" or "UBIGINT" or "UHUGEINT" or "FLOAT" or "DOUBLE" || duckType.StartsWith("DECIMAL", StringComparison.Ordinal);
        var integral = numeric && duckType is not ("FLOAT" or "DOUBLE") && !duckType.StartsWith("DECIMAL", StringComparison.Ordinal);
        return type switch
        {
            KqlType.String when nested => $"coalesce(to_json({r})::VARCHAR, '')",
            KqlType.Dynamic when duckType != "VARCHAR" => $"to_json({r})",
            // Nanoseconds floored to ticks (epoch_ns is negative before 1970, and // truncates).
            KqlType.DateTime when duckType == "TIMESTAMP_NS" => $"((epoch_ns({r}) - ((epoch_ns({r}) % 100) + 100) % 100) // 100 + {Sql.UnixEpochTicks})",
            KqlType.DateTime when duckType.StartsWith("TIMESTAMP", StringComparison.Ordinal) || duckType == "DATE" => Sql.TimestampToTicks($"TRY_CAST({r} AS TIMESTAMP)"),
            KqlType.TimeSpan when duckType == "INTERVAL" => $"TRY_CAST(epoch_us({r}) * 10 AS BIGINT)",
            KqlType.TimeSpan when integral => $"TRY_CAST({r} AS BIGINT)",
            KqlType.Int or KqlType.Long or KqlType.Real or KqlType.Decimal when numeric || duckType == "BOOLEAN" =>
                $"TRY_CAST({r} AS {KqlTypes.SqlType(type)})",
            KqlType.Bool when duckType == "BOOLEAN" || integral => $"TRY_CAST({r} AS BOOLEAN)",
            KqlType.Guid when duckType == "UUID" => r,
            _ => null,
        };
    }

    private static string DateTimeSql(string t)
    {
        const string offset = " - to_minutes(CASE WHEN p.os = '-' THEN -1 ELSE 1 END * (('0' || p.oh)::BIGINT * 60 + ('0' || p.om)::BIGINT))";
        var iso = Sql.TimestampToTicks(
            "try(make_timestamp(p.y::BIGINT, p.mo::BIGINT, p.d::BIGINT, ('0' || p.h)::BIGINT, ('0' || p.mi)::BIGINT, ('0' || p.s)::DOUBLE))" + offset) +
            " + rpad(p.f, 7, '0')::BIGINT";
        var rfc = Sql.TimestampToTicks(
            "try(make_timestamp(CASE WHEN length(p.y) = 2 THEN p.y::BIGINT + CASE WHEN p.y::BIGINT < 50 THEN 2000 ELSE 1900 END ELSE p.y::BIGINT END," +
            " (strpos('janfebmaraprmayjunjulaugsepoctnovdec', lower(p.mon)) + 2) // 3, p.d::BIGINT, p.h::BIGINT, p.mi::BIGINT, ('0' || p.s)::DOUBLE))" + offset);
        return $"CASE WHEN regexp_full_match({t}, {Lit(IsoFast)}) THEN {Sql.IsoTextToTicks(t)} ELSE coalesce(" +
            $"list_transform([regexp_extract({t}, {Lit(IsoGeneral)}, ['y', 'mo', 'd', 'h', 'mi', 's', 'f', 'os', 'oh', 'om'])], lambda p: CASE WHEN p.y <> '' THEN {iso} END)[1], " +
            $"list_transform([regexp_extract({t}, {Lit(Rfc)}, ['d', 'mon', 'y', 'h', 'mi', 's', 'os', 'oh', 'om'])], lambda p: CASE WHEN p.y <> '' THEN {rfc} END)[1]) END";
    }

    private static string TimeSpanSql(string t)
    {
        const string unit =
            "CASE lower(p.u) WHEN 'd' THEN 864000000000 WHEN 'day' THEN 864000000000 WHEN 'days' THEN 864000000000 " +
            "WHEN 'h' THEN 36000000000 WHEN 'hr' THEN 36000000000 WHEN 'hrs' THEN 36000000000 WHEN 'hour' THEN 36000000000 WHEN 'hours' THEN 36000000000 " +
            "WHEN 'm' THEN 600000000 WHEN 'min' THEN 600000000 WHEN 'minute' THEN 600000000 WHEN 'minutes' THEN 600000000 " +
            "WHEN 's' THEN 10000000 WHEN 'sec' THEN 10000000 WHEN 'second' THEN 10000000 WHEN 'seconds' THEN 10000000 " +
            "WHEN 'ms' THEN 10000 WHEN 'milli' THEN 10000 WHEN 'millis' THEN 10000 WHEN 'millisecond' THEN 10000 WHEN 'milliseconds' THEN 10000 " +
            "WHEN 'microsecond' THEN 10 WHEN 'microseconds' THEN 10 ELSE 1 END";
        const string clock =
            "('0' || p.d)::HUGEINT * 864000000000 + p.h::HUGEINT * 36000000000 + p.mi::HUGEINT * 600000000" +
            " + ('0' || p.s)::HUGEINT * 10000000 + rpad(p.f, 7, '0')::HUGEINT";
        const string literal =
            "p.ip::HUGEINT * (" + unit + ") + rpad(p.fp, 18, '0')::HUGEINT * (" + unit + ") // 1000000000000000000";
        // Implementation note: hh:mm:ss[.fffffff] is by far the most common form in files; slicing it is
        // several times faster than extracting regex groups.
        return $"CASE WHEN regexp_full_match({t}, {Lit(TimeSpanClock)}) THEN substr({t}, 1, 2)::BIGINT * 36000000000 + " +
            $"substr({t}, 4, 2)::BIGINT * 600000000 + substr({t}, 7, 2)::BIGINT * 10000000 + rpad(substr({t}, 10), 7, '0')::BIGINT ELSE " +
            $"list_transform([regexp_extract({t}, {Lit(TimeSpanPattern)}, ['neg', 'd', 'h', 'mi', 's', 'f', 'ip', 'fp', 'u'])], lambda p: " +
            $"TRY_CAST(CASE WHEN p.h <> '' THEN {clock} WHEN p.u <> '' THEN {literal} END * CASE WHEN p.neg = '-' THEN -1 ELSE 1 END AS BIGINT))[1] END";
    }

    private static string Lit(string s) => Sql.String(s);
}
