using System.Globalization;
using System.Text;

namespace Tributary.Kql.Binding;

/// <summary>Quoting and literal rendering for DuckDB SQL. No user text reaches SQL except through these.</summary>
public static class Sql
{
    /// <summary>A double-quoted identifier with embedded quotes doubled.</summary>
    public static string Ident(string name)
    {
        if (name.Contains('\0'))
        {
            throw new ArgumentException("identifiers cannot contain NUL characters", nameof(name));
        }

        return "\"" + name.Replace("\"", "\"\"") + "\"";
    }

    /// <summary>A single-quoted string literal with embedded quotes doubled (DuckDB treats backslash literally).</summary>
    public static string String(string value)
    {
        if (value.Contains('\0'))
        {
            // DuckDB strings cannot hold NUL; keep the rest of the value intact.
            value = value.Replace("\0", "", StringComparison.Ordinal);
        }

        return "'" + value.Replace("'", "''") + "'";
    }

    internal static string Long(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Real(double value)
    {
        if (double.IsNaN(value))
        {
            return "'NaN'::DOUBLE";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "'Infinity'::DOUBLE" : "'-Infinity'::DOUBLE";
        }

        return value.ToString("R", CultureInfo.InvariantCulture) + "::DOUBLE";
    }

    /// <summary>A TIMESTAMP literal (UTC, microseconds).</summary>
    public static string Timestamp(DateTime value) =>
        "TIMESTAMP '" + value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "'";

    /// <summary>A datetime literal: its 100 ns ticks since 0001-01-01 UTC (how datetimes are stored and computed).</summary>
    public static string DateTimeTicks(DateTime value) => "(" + Long(value.ToUniversalTime().Ticks) + ")::BIGINT";

    /// <summary>The ticks of 1970-01-01 (DuckDB's epoch) counted from 0001-01-01, as a datetime's ticks are.</summary>
    public const long UnixEpochTicks = 621355968000000000;

    /// <summary>
    /// Ticks since 0001-01-01 (a datetime) as a DuckDB TIMESTAMP, to the microsecond, for the engine's date functions
    /// (ticks are never negative, so the division floors).
    /// </summary>
    public static string TicksToTimestamp(string ticks) => $"make_timestamp(({ticks}) // 10 - {UnixEpochTicks / 10})";

    /// <summary>
    /// ISO 8601 text as a datetime's ticks, or NULL when the engine's casts cannot read it: the nanosecond cast reads
    /// years 1678 to 2261 to the tick; outside them, the TIMESTAMPTZ cast's whole seconds plus the text's own fraction.
    /// </summary>
    public static string IsoTextToTicks(string text) =>
        $"coalesce(epoch_ns(TRY_CAST({text} AS TIMESTAMP_NS)) // 100 + {UnixEpochTicks}, " +
        $"{TimestampToTicks($"date_trunc('second', TRY_CAST(TRY_CAST({text} AS TIMESTAMPTZ) AS TIMESTAMP))")} + " +
        $"coalesce(TRY_CAST(rpad(regexp_extract({text}, '\\d:\\d\\d\\.(\\d{{1,7}})', 1), 7, '0') AS BIGINT), 0))";

    /// <summary>A DuckDB TIMESTAMP as a datetime's ticks.</summary>
    public static string TimestampToTicks(string timestamp) => $"(epoch_us({timestamp}) * 10 + {UnixEpochTicks})";

    /// <summary>A literal of a Kusto type holding a CLR value (null gives a typed NULL).</summary>
    public static string Literal(object? value, KqlType type)
    {
        if (value is null)
        {
            return type == KqlType.String ? "''" : $"CAST(NULL AS {KqlTypes.SqlType(type)})";
        }

        return type switch
        {
            KqlType.Bool => (bool)value ? "TRUE" : "FALSE",
            KqlType.Int => Convert.ToInt32(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + "::INTEGER",
            // Typed: DuckDB reads a small bare number as INTEGER, and 2147483647 + 1 would overflow.
            KqlType.Long => Long(Convert.ToInt64(value, CultureInfo.InvariantCulture)) + "::BIGINT",
            KqlType.Real => Real(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            KqlType.Decimal => Convert.ToDecimal(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + "::DECIMAL(38,18)",
            KqlType.String => String((string)value),
            KqlType.DateTime => DateTimeTicks((DateTime)value),
            KqlType.TimeSpan => "(" + Long(((TimeSpan)value).Ticks) + ")::BIGINT",
            KqlType.Guid => String(((Guid)value).ToString("D")) + "::UUID",
            KqlType.Dynamic => String((string)value) + "::JSON",
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }

    /// <summary>Escapes text for use inside a RE2 regular expression.</summary>
    internal static string RegexEscape(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if ("\\.^$|?*+()[]{}".Contains(c))
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>A JSON pointer path segment (RFC 6901) for a property name.</summary>
    internal static string PointerSegment(string name) => name.Replace("~", "~0").Replace("/", "~1");
}
