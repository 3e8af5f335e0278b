namespace Tributary.Kql.Binding;

/// <summary>
/// DuckDB macros the translated SQL relies on. The store runs <see cref="Statements"/> on every
/// connection before it executes translated queries.
/// </summary>
public static class SqlMacros
{
    /// <summary>CREATE MACRO statements, idempotent.</summary>
    public static IReadOnlyList<string> Statements { get; } =
    [
        // Ticks (100 ns) to Kusto's [-][d.]hh:mm:ss[.fffffff]; '' for NULL (tostring semantics).
        """
        CREATE OR REPLACE TEMP MACRO kql_timespan_str(t) AS CASE WHEN t IS NULL THEN '' ELSE
          (CASE WHEN t < 0 THEN '-' ELSE '' END) ||
          (CASE WHEN abs(t) >= 864000000000 THEN CAST(abs(t) // 864000000000 AS VARCHAR) || '.' ELSE '' END) ||
          lpad(CAST((abs(t) // 36000000000) % 24 AS VARCHAR), 2, '0') || ':' ||
          lpad(CAST((abs(t) // 600000000) % 60 AS VARCHAR), 2, '0') || ':' ||
          lpad(CAST((abs(t) // 10000000) % 60 AS VARCHAR), 2, '0') ||
          (CASE WHEN abs(t) % 10000000 <> 0 THEN '.' || lpad(CAST(abs(t) % 10000000 AS VARCHAR), 7, '0') ELSE '' END)
        END
        """,
        // Ticks in one unit of a timespan literal (10m, 1.5h, 100ms …).
        """
        CREATE OR REPLACE TEMP MACRO kql_timespan_unit_ticks(u) AS CASE u
          WHEN 'd' THEN 864000000000 WHEN 'day' THEN 864000000000 WHEN 'days' THEN 864000000000
          WHEN 'h' THEN 36000000000 WHEN 'hr' THEN 36000000000 WHEN 'hrs' THEN 36000000000 WHEN 'hour' THEN 36000000000 WHEN 'hours' THEN 36000000000
          WHEN 'm' THEN 600000000 WHEN 'min' THEN 600000000 WHEN 'minute' THEN 600000000 WHEN 'minutes' THEN 600000000
          WHEN 's' THEN 10000000 WHEN 'sec' THEN 10000000 WHEN 'second' THEN 10000000 WHEN 'seconds' THEN 10000000
          WHEN 'ms' THEN 10000 WHEN 'milli' THEN 10000 WHEN 'millis' THEN 10000 WHEN 'millisecond' THEN 10000 WHEN 'milliseconds' THEN 10000
          WHEN 'microsecond' THEN 10 WHEN 'microseconds' THEN 10
          ELSE 1 END
        """,
        // v units of f ticks each, rounded; NULL when that is beyond a timespan (the check in DOUBLE cannot overflow).
        """
        CREATE OR REPLACE TEMP MACRO kql_scaled_ticks(v, f) AS CASE
          WHEN abs(CAST(v AS DOUBLE) * f) < 9.2e18 THEN CAST(round(v * f) AS BIGINT) END
        """,
        // Kusto's [-][d.]hh:mm[:ss[.fffffff]] or a literal like 10m / 1.5h / 100ms to ticks; NULL when it is neither or too large for a timespan.
        """
        CREATE OR REPLACE TEMP MACRO kql_parse_timespan(s) AS CASE
          WHEN s IS NULL OR trim(s) = '' THEN NULL
          WHEN regexp_full_match(trim(s), '-?(\d+\.)?\d+:\d+(:\d+(\.\d{1,7})?)?') THEN
            TRY_CAST((CASE WHEN starts_with(trim(s), '-') THEN -1 ELSE 1 END) * (
              coalesce(TRY_CAST(nullif(regexp_extract(trim(s), '^-?(\d+)\.\d+:', 1), '') AS HUGEINT), 0) * 864000000000 +
              CAST(regexp_extract(trim(s), '^-?(?:\d+\.)?(\d+):', 1) AS BIGINT) * 36000000000 +
              CAST(regexp_extract(trim(s), '^-?(?:\d+\.)?\d+:(\d+)', 1) AS BIGINT) * 600000000 +
              coalesce(TRY_CAST(nullif(regexp_extract(trim(s), '^-?(?:\d+\.)?\d+:\d+:(\d+)', 1), '') AS BIGINT), 0) * 10000000 +
              coalesce(TRY_CAST(nullif(rpad(regexp_extract(trim(s), ':\d+\.(\d{1,7})$', 1), 7, '0'), '0000000') AS BIGINT), 0)) AS BIGINT)
          WHEN regexp_full_match(trim(s), '-?\d+(\.\d+)?(d|day|days|h|hr|hrs|hour|hours|m|min|minute|minutes|s|sec|second|seconds|ms|milli|millis|millisecond|milliseconds|microsecond|microseconds|tick|ticks)') THEN
            kql_scaled_ticks(TRY_CAST(regexp_extract(trim(s), '^(-?\d+(?:\.\d+)?)', 1) AS DECIMAL(38,9)), kql_timespan_unit_ticks(regexp_extract(trim(s), '([a-z]+)$', 1)))
          ELSE NULL END
        """,
        // A datetime (100 ns ticks since 0001-01-01) as Kusto prints it: ISO 8601 UTC with 7 fractional digits.
        $"""
        CREATE OR REPLACE TEMP MACRO kql_datetime_str(t) AS coalesce(strftime({Sql.TicksToTimestamp("t")}, '%Y-%m-%dT%H:%M:%S.') || lpad(CAST(t % 10000000 AS VARCHAR), 7, '0') || 'Z', '')
        """,
        .. DynamicMacros.Statements,
    ];
}
