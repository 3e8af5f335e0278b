using System.Text;
using Tributary.Kql.Syntax;
using static Tributary.Kql.Binding.ExpressionBinder;

namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// Date and time functions. Datetimes carry microseconds (DuckDB's TIMESTAMP) and timespans 100 ns ticks (BIGINT);
/// weeks start on Sunday, as in Kusto. <c>now()</c> and <c>ago()</c> read the one instant of the query.
/// </summary>
internal static class DateTimeFunctions
{
    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("now", Arity.Between(0, 1), "now([offset: timespan]): datetime", "The query's current instant (the same for the whole query), shifted by the offset.", Now),
        new("ago", Arity.Exactly(1), "ago(span: timespan): datetime", "The query's current instant minus the span.", Ago),
        new("startofday", Arity.Between(1, 2), "startofday(date: datetime [, offset: long]): datetime", "Midnight at the start of the day, offset by whole days.", c => Shifted(c, DateTrunc(c, "day"), "days", 1)),
        new("startofhour", Arity.Exactly(1), "startofhour(date: datetime): datetime", "The start of the hour.", c => DateTrunc(c, "hour"))
        {
            Origin = FunctionOrigin.Extension,
        },
        new("startofweek", Arity.Between(1, 2), "startofweek(date: datetime [, offset: long]): datetime", "Midnight at the start of the week (Sunday), offset by whole weeks.", c => Shifted(c, WeekStart(c), "days", 7)),
        new("startofmonth", Arity.Between(1, 2), "startofmonth(date: datetime [, offset: long]): datetime", "The start of the month, offset by whole months.", c => Shifted(c, DateTrunc(c, "month"), "months", 1)),
        new("startofyear", Arity.Between(1, 2), "startofyear(date: datetime [, offset: long]): datetime", "The start of the year, offset by whole years.", c => Shifted(c, DateTrunc(c, "year"), "years", 1)),
        new("endofday", Arity.Between(1, 2), "endofday(date: datetime [, offset: long]): datetime", "The last instant of the day, offset by whole days.", c => EndOf(Shifted(c, DateTrunc(c, "day"), "days", 1), "1 DAY")),
        new("endofweek", Arity.Between(1, 2), "endofweek(date: datetime [, offset: long]): datetime", "The last instant of the week (Saturday), offset by whole weeks.", c => EndOf(Shifted(c, WeekStart(c), "days", 7), "7 DAY")),
        new("endofmonth", Arity.Between(1, 2), "endofmonth(date: datetime [, offset: long]): datetime", "The last instant of the month, offset by whole months.", c => EndOf(Shifted(c, DateTrunc(c, "month"), "months", 1), "1 MONTH")),
        new("endofyear", Arity.Between(1, 2), "endofyear(date: datetime [, offset: long]): datetime", "The last instant of the year, offset by whole years.", c => EndOf(Shifted(c, DateTrunc(c, "year"), "years", 1), "1 YEAR")),
        new("datetime_diff", Arity.Exactly(3), "datetime_diff(unit: string, date1: datetime, date2: datetime): long", "How many unit boundaries lie between date2 and date1 (negative when date1 is earlier).", DateTimeDiff),
        new("datetime_add", Arity.Exactly(3), "datetime_add(unit: string, amount: long, date: datetime): datetime", "The date plus amount units.", DateTimeAdd),
        new("datetime_part", Arity.Exactly(2), "datetime_part(part: string, date: datetime): int", "One part of the date (year, quarter, month, week, day, dayofyear, hour … nanosecond).", DateTimePart),
        new("format_datetime", Arity.Exactly(2), "format_datetime(date: datetime, format: string): string", "The date formatted with .NET-style specifiers (yyyy-MM-dd HH:mm:ss.fff).", FormatDateTime)
        {
            Difference = "supports the specifiers yyyy yy MM M dd d HH H hh h mm m ss s f…fffffff F…FFFFFFF tt; the format must be a constant",
        },
        new("dayofweek", Arity.Exactly(1), "dayofweek(date: datetime): timespan", "Days since the preceding Sunday, as a timespan.", c => Derived($"(CAST(dayofweek({c.DateTime(c.Arg(0)).Sql}) AS BIGINT) * 864000000000)", KqlType.TimeSpan, c.Arg(0))),
        new("dayofmonth", Arity.Exactly(1), "dayofmonth(date: datetime): int", "The day of the month (1 to 31).", c => Part(c, "dayofmonth")),
        new("dayofyear", Arity.Exactly(1), "dayofyear(date: datetime): int", "The day of the year (1 to 366).", c => Part(c, "dayofyear")),
        new("hourofday", Arity.Exactly(1), "hourofday(date: datetime): int", "The hour (0 to 23).", c => Part(c, "hour")),
        new("getyear", Arity.Exactly(1), "getyear(date: datetime): int", "The year.", c => Part(c, "year")),
        new("getmonth", Arity.Exactly(1), "getmonth(date: datetime): int", "The month (1 to 12).", c => Part(c, "month"))
        {
            Aliases = ["monthofyear"],
        },
        new("unixtime_seconds_todatetime", Arity.Exactly(1), "unixtime_seconds_todatetime(seconds: real): datetime", "The datetime that many seconds after 1970-01-01.", c => FromUnixTime(c, 1000000)),
        new("unixtime_milliseconds_todatetime", Arity.Exactly(1), "unixtime_milliseconds_todatetime(milliseconds: real): datetime", "The datetime that many milliseconds after 1970-01-01.", c => FromUnixTime(c, 1000)),
    ];

    private static SqlValue Now(FunctionCall c)
    {
        if (c.Count == 0)
        {
            return SqlValue.Literal(c.Query.Now, KqlType.DateTime);
        }

        var offset = c.Typed(c.Arg(0), KqlType.TimeSpan, "a timespan");
        return Derived($"({Sql.Timestamp(c.Query.Now)} + to_microseconds(CAST({offset.Sql} // 10 AS BIGINT)))", KqlType.DateTime, c.Arg(0));
    }

    private static SqlValue Ago(FunctionCall c)
    {
        var span = c.Typed(c.Arg(0), KqlType.TimeSpan, "a timespan");
        if (span is { IsConstant: true, Constant: TimeSpan ts })
        {
            return SqlValue.Literal(c.Query.Now - ts, KqlType.DateTime);
        }

        return Derived($"({Sql.Timestamp(c.Query.Now)} - to_microseconds(CAST({span.Sql} // 10 AS BIGINT)))", KqlType.DateTime, span);
    }

    private static SqlValue DateTrunc(FunctionCall c, string unit) =>
        Derived($"date_trunc('{unit}', {c.DateTime(c.Arg(0)).Sql})", KqlType.DateTime, c.Arg(0));

    // Kusto weeks start on Sunday.
    private static SqlValue WeekStart(FunctionCall c) =>
        Derived($"(date_trunc('day', {c.DateTime(c.Arg(0)).Sql}) - to_days(CAST(dayofweek({c.Arg(0).Sql}) AS INTEGER)))", KqlType.DateTime, c.Arg(0));

    // startofday(d, offset) and friends: the optional second argument shifts by whole periods.
    private static SqlValue Shifted(FunctionCall c, SqlValue start, string unit, int multiplier)
    {
        if (c.Count < 2)
        {
            return start;
        }

        var offset = c.Typed(c.Arg(1), KqlType.Long, "a whole number offset");
        return Derived($"({start.Sql} + to_{unit}(CAST({offset.Sql} * {multiplier} AS INTEGER)))", KqlType.DateTime, start, offset);
    }

    // The last representable instant (microseconds) of the period that starts at start.
    private static SqlValue EndOf(SqlValue start, string period) =>
        Derived($"({start.Sql} + INTERVAL {period} - INTERVAL 1 MICROSECOND)", KqlType.DateTime, start);

    private static SqlValue Part(FunctionCall c, string sqlFunction) =>
        Derived($"CAST({sqlFunction}({c.DateTime(c.Arg(0)).Sql}) AS INTEGER)", KqlType.Int, c.Arg(0));

    private static SqlValue FromUnixTime(FunctionCall c, int microsecondsPerUnit) =>
        Derived($"make_timestamp(CAST(round({c.Arg(0).Sql} * {microsecondsPerUnit}) AS BIGINT))", KqlType.DateTime, c.Arg(0));

    private static SqlValue DateTimeDiff(FunctionCall c)
    {
        var unit = DatePart(c);
        var (date1, date2) = (c.Arg(1), c.Arg(2));
        if (unit == "week")
        {
            // Kusto counts Sunday-based week boundaries; DuckDB's weeks differ, so count the days between the weeks' Sundays.
            static string Sunday(string d) => $"(date_trunc('day', {d}) - to_days(CAST(dayofweek({d}) AS INTEGER)))";
            return Derived($"(date_diff('day', {Sunday(c.DateTime(date2).Sql)}, {Sunday(c.DateTime(date1).Sql)}) // 7)", KqlType.Long, date1, date2);
        }

        return Derived($"date_diff({Sql.String(unit)}, {c.DateTime(date2).Sql}, {c.DateTime(date1).Sql})", KqlType.Long, date1, date2);
    }

    private static SqlValue DateTimeAdd(FunctionCall c)
    {
        var unit = DatePart(c);
        var amount = c.Typed(c.Arg(1), KqlType.Long, "a whole number");
        var interval = unit switch
        {
            "quarter" => $"to_months(CAST({amount.Sql} * 3 AS INTEGER))",
            "week" => $"to_days(CAST({amount.Sql} * 7 AS INTEGER))",
            "millisecond" => $"to_microseconds(CAST({amount.Sql} * 1000 AS BIGINT))",
            "nanosecond" => $"to_microseconds(CAST({amount.Sql} // 1000 AS BIGINT))",
            "year" or "month" or "day" => $"to_{unit}s(CAST({amount.Sql} AS INTEGER))",
            _ => $"to_{unit}s(CAST({amount.Sql} AS BIGINT))",
        };
        return Derived($"({c.DateTime(c.Arg(2)).Sql} + {interval})", KqlType.DateTime, c.Arg(1), c.Arg(2));
    }

    private static SqlValue DateTimePart(FunctionCall c)
    {
        var part = DatePart(c);
        return Derived($"CAST(date_part({Sql.String(part)}, {c.DateTime(c.Arg(1)).Sql}) AS INTEGER)", KqlType.Int, c.Arg(1));
    }

    /// <summary>The constant unit or part name of the first argument, as DuckDB spells it.</summary>
    private static string DatePart(FunctionCall c)
    {
        if (c.Arg(0) is not { IsConstant: true, Constant: string s })
        {
            throw c.ArgError(0, $"{c.Name} needs a constant unit ('day', 'hour' …)");
        }

        return s.ToLowerInvariant() switch
        {
            "year" => "year",
            "quarter" => "quarter",
            "month" => "month",
            "week" or "weekofyear" => "week",
            "day" => "day",
            "dayofyear" => "dayofyear",
            "hour" => "hour",
            "minute" => "minute",
            "second" => "second",
            "millisecond" => "millisecond",
            "microsecond" => "microsecond",
            "nanosecond" => "nanosecond",
            _ => throw c.ArgError(0, $"unknown datetime unit '{s}' (year, quarter, month, week, day, hour, minute, second, millisecond, microsecond, nanosecond)"),
        };
    }

    private static SqlValue FormatDateTime(FunctionCall c)
    {
        if (c.Arg(1) is not { IsConstant: true, Constant: string format })
        {
            throw c.ArgError(1, "format_datetime needs a constant format string");
        }

        return Derived($"coalesce({FormatDateTimeSql(c.DateTime(c.Arg(0)).Sql, format, c.ArgPos(1))}, '')", KqlType.String, c.Arg(0));
    }

    /// <summary>
    /// Translates a .NET-style datetime format (yyyy-MM-dd HH:mm:ss.fff) into SQL: strftime for the
    /// fields, and slices of the microseconds for fractions (f… keeps digits, F… drops trailing zeros;
    /// the seventh digit is always 0 because the store keeps microseconds).
    /// </summary>
    private static string FormatDateTimeSql(string value, string format, SourcePosition pos)
    {
        var parts = new List<string>();
        var pending = new StringBuilder();
        void Flush()
        {
            if (pending.Length > 0)
            {
                parts.Add($"strftime({value}, {Sql.String(pending.ToString())})");
                pending.Clear();
            }
        }

        var i = 0;
        while (i < format.Length)
        {
            var c = format[i];
            var run = 1;
            while (i + run < format.Length && format[i + run] == c)
            {
                run++;
            }

            if (c is 'f' or 'F' && run <= 7)
            {
                // As in .NET, an F fraction that is all zeros disappears with the '.' before it.
                var dot = c == 'F' && pending.Length > 0 && pending[^1] == '.';
                if (dot)
                {
                    pending.Length--;
                }

                Flush();
                var digits = $"substr(strftime({value}, '%f') || '0', 1, {run})";
                parts.Add(c == 'f' ? digits
                    : dot ? $"(CASE WHEN rtrim({digits}, '0') = '' THEN '' ELSE '.' || rtrim({digits}, '0') END)"
                    : $"rtrim({digits}, '0')");
                i += run;
                continue;
            }

            string? piece = (c, run) switch
            {
                ('y', 4) => "%Y",
                ('y', 2) => "%y",
                ('M', 2) => "%m",
                ('M', 1) => "%-m",
                ('d', 2) => "%d",
                ('d', 1) => "%-d",
                ('H', 2) => "%H",
                ('H', 1) => "%-H",
                ('h', 2) => "%I",
                ('h', 1) => "%-I",
                ('m', 2) => "%M",
                ('m', 1) => "%-M",
                ('s', 2) => "%S",
                ('s', 1) => "%-S",
                ('t', 2) => "%p",
                _ => null,
            };
            if (piece is not null)
            {
                pending.Append(piece);
            }
            else if (char.IsLetter(c))
            {
                throw pos.Error($"format_datetime: unsupported format '{new string(c, run)}' (supported: yyyy yy MM M dd d HH H hh h mm m ss s f…fffffff F…FFFFFFF tt)");
            }
            else
            {
                pending.Append(c == '%' ? "%%" : new string(c, run));
            }

            i += run;
        }

        Flush();
        return parts.Count == 0 ? "''" : parts.Count == 1 ? parts[0] : "concat(" + string.Join(", ", parts) + ")";
    }
}
