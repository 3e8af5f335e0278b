using Tributary.Kql.Binding.Udfs;
using static Tributary.Kql.Binding.ExpressionBinder;

namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// Date and time functions. Datetimes are 100 ns ticks since 0001-01-01 (BIGINT, as .NET counts them) and timespans
/// 100 ns ticks too, so arithmetic, truncation to days and shorter, and sub-second parts are integer arithmetic; months
/// and years go through DuckDB's calendar functions on a TIMESTAMP (exact: their boundaries are whole seconds).
/// Weeks start on Sunday, as in Kusto. <c>now()</c> and <c>ago()</c> read the one instant of the query.
/// </summary>
internal static class DateTimeFunctions
{
    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("now", Arity.Between(0, 1), "now([offset: timespan]): datetime", "The query's current instant (the same for the whole query), shifted by the offset.", Now),
        new("ago", Arity.Exactly(1), "ago(span: timespan): datetime", "The query's current instant minus the span.", Ago),
        new("startofday", Arity.Between(1, 2), "startofday(date: datetime [, offset: long]): datetime", "Midnight at the start of the day, offset by whole days.", c => Shifted(c, Floor(c, TicksPerDay), "days", 1)),
        new("startofhour", Arity.Exactly(1), "startofhour(date: datetime): datetime", "The start of the hour.", c => Floor(c, TicksPerHour))
        {
            Origin = FunctionOrigin.Extension,
        },
        new("startofweek", Arity.Between(1, 2), "startofweek(date: datetime [, offset: long]): datetime", "Midnight at the start of the week (Sunday), offset by whole weeks.", c => Shifted(c, WeekStart(c), "days", 7)),
        new("startofmonth", Arity.Between(1, 2), "startofmonth(date: datetime [, offset: long]): datetime", "The start of the month, offset by whole months.", c => Shifted(c, DateTrunc(c, "month"), "months", 1)),
        new("startofyear", Arity.Between(1, 2), "startofyear(date: datetime [, offset: long]): datetime", "The start of the year, offset by whole years.", c => Shifted(c, DateTrunc(c, "year"), "years", 1)),
        new("endofday", Arity.Between(1, 2), "endofday(date: datetime [, offset: long]): datetime", "The last instant of the day, offset by whole days.", c => EndOf(Shifted(c, Floor(c, TicksPerDay), "days", 1), "1 DAY")),
        new("endofweek", Arity.Between(1, 2), "endofweek(date: datetime [, offset: long]): datetime", "The last instant of the week (Saturday), offset by whole weeks.", c => EndOf(Shifted(c, WeekStart(c), "days", 7), "7 DAY")),
        new("endofmonth", Arity.Between(1, 2), "endofmonth(date: datetime [, offset: long]): datetime", "The last instant of the month, offset by whole months.", c => EndOf(Shifted(c, DateTrunc(c, "month"), "months", 1), "1 MONTH")),
        new("endofyear", Arity.Between(1, 2), "endofyear(date: datetime [, offset: long]): datetime", "The last instant of the year, offset by whole years.", c => EndOf(Shifted(c, DateTrunc(c, "year"), "years", 1), "1 YEAR")),
        new("datetime_diff", Arity.Exactly(3), "datetime_diff(unit: string, date1: datetime, date2: datetime): long", "How many unit boundaries lie between date2 and date1 (negative when date1 is earlier).", DateTimeDiff),
        new("datetime_add", Arity.Exactly(3), "datetime_add(unit: string, amount: long, date: datetime): datetime", "The date plus amount units.", DateTimeAdd),
        new("datetime_part", Arity.Exactly(2), "datetime_part(part: string, date: datetime): int", "One part of the date (year, quarter, month, week_of_year, day, dayofyear, hour … nanosecond).", DateTimePart)
        {
            Aliases = ["datepart"],
        },
        new("format_datetime", Arity.Exactly(2), "format_datetime(date: datetime, format: string): string", "The date formatted with .NET-style specifiers (yyyy-MM-dd HH:mm:ss.fff).", FormatDateTime)
        {
            Difference = "the format must be a constant",
        },
        new("dayofweek", Arity.Exactly(1), "dayofweek(date: datetime): timespan", "Days since the preceding Sunday, as a timespan.", c => Derived($"({DayOfWeek(c.DateTime(c.Arg(0)).Sql)} * {TicksPerDay})", KqlType.TimeSpan, c.Arg(0))),
        new("dayofmonth", Arity.Exactly(1), "dayofmonth(date: datetime): int", "The day of the month (1 to 31).", c => Part(c, "dayofmonth")),
        new("dayofyear", Arity.Exactly(1), "dayofyear(date: datetime): int", "The day of the year (1 to 366).", c => Part(c, "dayofyear")),
        new("hourofday", Arity.Exactly(1), "hourofday(date: datetime): int", "The hour (0 to 23).", c => Part(c, "hour")),
        new("getyear", Arity.Exactly(1), "getyear(date: datetime): int", "The year.", c => Part(c, "year")),
        new("getmonth", Arity.Exactly(1), "getmonth(date: datetime): int", "The month (1 to 12).", c => Part(c, "month"))
        {
            Aliases = ["monthofyear"],
        },
        new("week_of_year", Arity.Exactly(1), "week_of_year(date: datetime): int", "The ISO 8601 week number (weeks start on Monday; week 1 holds the year's first Thursday).", WeekOfYear),
        new("unixtime_seconds_todatetime", Arity.Exactly(1), "unixtime_seconds_todatetime(seconds: real): datetime", "The datetime that many seconds after 1970-01-01, or null out of range.", c => FromUnixTime(c, 10000000)),
        new("unixtime_milliseconds_todatetime", Arity.Exactly(1), "unixtime_milliseconds_todatetime(milliseconds: real): datetime", "The datetime that many milliseconds after 1970-01-01, or null out of range.", c => FromUnixTime(c, 10000)),
        new("unixtime_microseconds_todatetime", Arity.Exactly(1), "unixtime_microseconds_todatetime(microseconds: real): datetime", "The datetime that many microseconds after 1970-01-01, or null out of range.", c => FromUnixTime(c, 10)),
        new("unixtime_nanoseconds_todatetime", Arity.Exactly(1), "unixtime_nanoseconds_todatetime(nanoseconds: real): datetime", "The datetime that many nanoseconds after 1970-01-01 (to the 100 ns tick), or null out of range.", c => FromUnixTime(c, 1, 100)),
        new("make_datetime", Arity.Between(3, 6), "make_datetime(year: int, month: int, day: int [, hour: int [, minute: int [, second: real]]]): datetime", "The datetime of the parts, or null when a part is out of its range.", MakeDateTime),
        new("make_timespan", Arity.Between(2, 4), "make_timespan([days: int,] hours: int, minutes: int [, seconds: real]): timespan", "The timespan of the parts; days only with all four (three are hours, minutes, seconds).", MakeTimeSpan),
        new("format_timespan", Arity.Exactly(2), "format_timespan(span: timespan, format: string): string", "The span formatted with .NET-style specifiers (d…dddddddd, hh, mm, ss, f…fffffff, F…FFFFFFF).", FormatTimeSpan)
        {
            Difference = "the format must be a constant",
        },
        new("datetime_utc_to_local", Arity.Exactly(2), "datetime_utc_to_local(date: datetime, timezone: string): datetime", "The wall clock time in the IANA time zone at the UTC date.", c => ConvertZone(c, "kql_utc_to_local")),
        new("datetime_local_to_utc", Arity.Exactly(2), "datetime_local_to_utc(date: datetime, timezone: string): datetime", "The UTC instant of the wall clock time in the IANA time zone (a skipped time uses the offset after the skip).", c => ConvertZone(c, "kql_local_to_utc")),
        new("datetime_list_timezones", Arity.Exactly(0), "datetime_list_timezones(): dynamic", "The IANA time zone names datetime_utc_to_local and datetime_local_to_utc accept.", ListTimeZones)
        {
            Difference = "lists the zones of the host's time zone database",
        },
    ];

    private const long TicksPerDay = 864000000000;
    private const long TicksPerHour = 36000000000;

    // The ticks of 1970-01-01 and of the last instant of 9999: Kusto's datetime range is 0 to LastTick.
    private const string LastTick = "3155378975999999999";

    private static SqlValue Now(FunctionCall c)
    {
        if (c.Count == 0)
        {
            return SqlValue.Literal(c.Query.Now, KqlType.DateTime);
        }

        var offset = c.Typed(c.Arg(0), KqlType.TimeSpan, "a timespan");
        return Derived($"({Sql.DateTimeTicks(c.Query.Now)} + {offset.Sql})", KqlType.DateTime, c.Arg(0));
    }

    private static SqlValue Ago(FunctionCall c)
    {
        var span = c.Typed(c.Arg(0), KqlType.TimeSpan, "a timespan");
        if (span is { IsConstant: true, Constant: TimeSpan ts })
        {
            return SqlValue.Literal(c.Query.Now - ts, KqlType.DateTime);
        }

        return Derived($"({Sql.DateTimeTicks(c.Query.Now)} - {span.Sql})", KqlType.DateTime, span);
    }

    // The start of the day or hour: ticks are never negative, so integer division floors.
    private static SqlValue Floor(FunctionCall c, long unitTicks) =>
        Derived($"(({c.DateTime(c.Arg(0)).Sql} // {unitTicks}) * {unitTicks})", KqlType.DateTime, c.Arg(0));

    private static SqlValue DateTrunc(FunctionCall c, string unit) =>
        Derived(Sql.TimestampToTicks($"date_trunc('{unit}', {Sql.TicksToTimestamp(c.DateTime(c.Arg(0)).Sql)})"), KqlType.DateTime, c.Arg(0));

    // Days since the preceding Sunday: 0001-01-01 was a Monday.
    private static string DayOfWeek(string ticks) => $"(({ticks} // {TicksPerDay} + 1) % 7)";

    // Kusto weeks start on Sunday.
    private static SqlValue WeekStart(FunctionCall c) =>
        Derived(Sunday(c.DateTime(c.Arg(0)).Sql), KqlType.DateTime, c.Arg(0));

    private static string Sunday(string ticks) => $"(({ticks} // {TicksPerDay} - {DayOfWeek(ticks)}) * {TicksPerDay})";

    // startofday(d, offset) and friends: the optional second argument shifts by whole periods.
    private static SqlValue Shifted(FunctionCall c, SqlValue start, string unit, int multiplier)
    {
        if (c.Count < 2)
        {
            return start;
        }

        var offset = c.Typed(c.Arg(1), KqlType.Long, "a whole number offset");
        return Derived(Sql.TimestampToTicks($"({Sql.TicksToTimestamp(start.Sql)} + to_{unit}(CAST({offset.Sql} * {multiplier} AS INTEGER)))"), KqlType.DateTime, start, offset);
    }

    // The last instant (one tick before the next period) of the period that starts at start.
    private static SqlValue EndOf(SqlValue start, string period) =>
        Derived($"({Sql.TimestampToTicks($"({Sql.TicksToTimestamp(start.Sql)} + INTERVAL {period})")} - 1)", KqlType.DateTime, start);

    private static SqlValue Part(FunctionCall c, string sqlFunction) =>
        Derived($"CAST({sqlFunction}({Sql.TicksToTimestamp(c.DateTime(c.Arg(0)).Sql)}) AS INTEGER)", KqlType.Int, c.Arg(0));

    // A number out of the datetime range gives null. Whole numbers convert exactly; a real's whole part and fraction
    // are scaled apart, so the fraction survives (a double near 1.5e16 keeps only even numbers).
    private static SqlValue FromUnixTime(FunctionCall c, long ticksPerUnit, long unitsPerTick = 1)
    {
        var number = c.Arg(0).Type is KqlType.Int or KqlType.Long ? c.Arg(0) : c.Typed(c.Arg(0), KqlType.Real, "a number");
        var x = $"CAST({number.Sql} AS {(number.Type == KqlType.Real ? "DOUBLE" : "HUGEINT")})";
        string ticks;
        if (number.Type != KqlType.Real)
        {
            // Floored, also before 1970.
            ticks = unitsPerTick == 1 ? $"({x} * {ticksPerUnit})" : $"(({x} - (({x} % {unitsPerTick}) + {unitsPerTick}) % {unitsPerTick}) // {unitsPerTick})";
        }
        else if (unitsPerTick == 1)
        {
            ticks = $"(CASE WHEN abs({x} * {ticksPerUnit}) < 1e19 THEN CAST(trunc({x}) AS HUGEINT) * {ticksPerUnit} + CAST(round(({x} - trunc({x})) * {ticksPerUnit}) AS HUGEINT) END)";
        }
        else
        {
            // A real count of nanoseconds in the datetime range is already coarser than a tick.
            ticks = $"(CASE WHEN abs({x}) < 1e21 THEN CAST(round({x} / {unitsPerTick}) AS HUGEINT) END)";
        }

        return Derived($"(CASE WHEN {ticks} BETWEEN -{Sql.UnixEpochTicks} AND {LastTick} - {Sql.UnixEpochTicks} THEN CAST({ticks} + {Sql.UnixEpochTicks} AS BIGINT) END)", KqlType.DateTime, number);
    }

    // make_datetime(year, month, day [, hour [, minute [, second]]]): null unless every part is in its range.
    private static SqlValue MakeDateTime(FunctionCall c)
    {
        var parts = Enumerable.Range(0, c.Count).Select(i => c.Typed(c.Arg(i), i < 5 ? KqlType.Long : KqlType.Real, "a number").Sql).ToList();
        string Part(int i, string absent) => i < parts.Count ? parts[i] : absent;
        var (year, second) = (parts[0], Part(5, "0"));
        var (month, day) = (parts[1], parts[2]);

        // The day is checked against the month's last day only once year and month are known to be valid; the seconds
        // keep their seven fraction digits.
        var minute = Sql.TimestampToTicks($"make_timestamp({year}, {month}, {day}, {Part(3, "0")}, {Part(4, "0")}, 0)");
        var sql = $"(CASE WHEN {year} BETWEEN 1 AND 9999 AND {month} BETWEEN 1 AND 12 AND {Part(3, "0")} BETWEEN 0 AND 23 AND {Part(4, "0")} BETWEEN 0 AND 59 " +
            $"AND {second} >= 0 AND {second} < 60 THEN (CASE WHEN {day} BETWEEN 1 AND dayofmonth(last_day(make_date({year}, {month}, 1))) " +
            $"THEN {minute} + CAST(round(({second}) * 10000000) AS BIGINT) END) END)";
        return Derived(sql, KqlType.DateTime, [.. c.Args]);
    }

    // make_timespan(hours, minutes [, seconds]) or (days, hours, minutes, seconds).
    private static SqlValue MakeTimeSpan(FunctionCall c)
    {
        var parts = Enumerable.Range(0, c.Count).Select(i => c.Typed(c.Arg(i), i == c.Count - 1 && c.Count > 2 ? KqlType.Real : KqlType.Long, "a number").Sql).ToList();
        var (days, hours, minutes, seconds) = c.Count switch
        {
            2 => ("0", parts[0], parts[1], "0"),
            3 => ("0", parts[0], parts[1], parts[2]),
            _ => (parts[0], parts[1], parts[2], parts[3]),
        };
        // HUGEINT cannot overflow here; a span out of the timespan range is null.
        var ticks = $"(((CAST({days} AS HUGEINT) * 24 + ({hours})) * 60 + ({minutes})) * 600000000 + TRY_CAST(round(({seconds}) * 10000000) AS HUGEINT))";
        return Derived($"TRY_CAST({ticks} AS BIGINT)", KqlType.TimeSpan, [.. c.Args]);
    }

    private static SqlValue FormatTimeSpan(FunctionCall c)
    {
        if (c.Arg(1) is not { IsConstant: true, Constant: string format } || format.Length == 0)
        {
            throw c.ArgError(1, "format_timespan needs a constant, non-empty format string");
        }

        var span = c.Typed(c.Arg(0), KqlType.TimeSpan, "a timespan");
        return Derived($"coalesce({TimeFormats.TimeSpanSql(span.Sql, format, c.ArgPos(1))}, '')", KqlType.String, span);
    }

    private static SqlValue WeekOfYear(FunctionCall c) =>
        Derived($"CAST(weekofyear({Sql.TicksToTimestamp(c.DateTime(c.Arg(0)).Sql)}) AS INTEGER)", KqlType.Int, c.Arg(0));

    /// <summary>datetime_utc_to_local and datetime_local_to_utc: a constant zone must be one the host knows.</summary>
    private static SqlValue ConvertZone(FunctionCall c, string udf)
    {
        var zone = c.Text(1);
        if (zone is { IsConstant: true, Constant: string name } && DateTimeUdfs.FindZone(name) is null)
        {
            throw c.ArgError(1, $"unknown time zone '{name}' (datetime_list_timezones() lists the IANA names this host knows)");
        }

        return Derived($"{udf}({c.DateTime(c.Arg(0)).Sql}, {zone.Sql})", KqlType.DateTime, c.Arg(0), zone);
    }

    private static SqlValue ListTimeZones(FunctionCall c)
    {
        var names = TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Order(StringComparer.Ordinal);
        return Derived($"[{string.Join(", ", names.Select(Sql.String))}]", KqlType.Dynamic) with { ListElement = KqlType.String };
    }

    private static SqlValue DateTimeDiff(FunctionCall c)
    {
        var unit = Unit(c, DiffUnits);
        var (date1, date2) = (c.DateTime(c.Arg(1)), c.DateTime(c.Arg(2)));

        // Boundaries of a fixed-length unit: the difference of the floored tick counts (ticks are never negative).
        string Boundaries(long unitTicks) => $"({date1.Sql} // {unitTicks} - {date2.Sql} // {unitTicks})";
        var sql = unit switch
        {
            // Kusto counts Sunday-based week boundaries.
            "week" => $"(({Sunday(date1.Sql)} - {Sunday(date2.Sql)}) // {TicksPerDay * 7})",
            "day" => Boundaries(TicksPerDay),
            "hour" => Boundaries(TicksPerHour),
            "minute" => Boundaries(600000000),
            "second" => Boundaries(10000000),
            "millisecond" => Boundaries(10000),
            "microsecond" => Boundaries(10),
            "nanosecond" => $"TRY_CAST(CAST({date1.Sql} - {date2.Sql} AS HUGEINT) * 100 AS BIGINT)",
            _ => $"date_diff({Sql.String(unit)}, {Sql.TicksToTimestamp(date2.Sql)}, {Sql.TicksToTimestamp(date1.Sql)})",
        };
        return Derived($"CAST({sql} AS BIGINT)", KqlType.Long, date1, date2);
    }

    private static SqlValue DateTimeAdd(FunctionCall c)
    {
        var unit = Unit(c, DiffUnits);
        var amount = c.Typed(c.Arg(1), KqlType.Long, "a whole number");
        var date = c.DateTime(c.Arg(2)).Sql;

        // Months move on the calendar (keeping the ticks below the microsecond); fixed units are ticks. The sum is
        // computed in HUGEINT, so it cannot overflow; out of the datetime range it is null.
        var sum = unit switch
        {
            "year" or "quarter" or "month" =>
                $"(CASE WHEN {amount.Sql} BETWEEN -120000 AND 120000 THEN {Sql.TimestampToTicks($"({Sql.TicksToTimestamp(date)} + to_months(CAST({amount.Sql} * {(unit == "year" ? 12 : unit == "quarter" ? 3 : 1)} AS INTEGER)))")} + {date} % 10 END)",
            "nanosecond" => $"(CAST({date} AS HUGEINT) + CAST({amount.Sql} AS HUGEINT) // 100)",
            _ => $"(CAST({date} AS HUGEINT) + CAST({amount.Sql} AS HUGEINT) * {UnitTicks(unit)})",
        };
        return Derived($"(CASE WHEN {sum} BETWEEN 0 AND {LastTick} THEN CAST({sum} AS BIGINT) END)", KqlType.DateTime, c.Arg(1), c.Arg(2));
    }

    private static long UnitTicks(string unit) => unit switch
    {
        "week" => TicksPerDay * 7,
        "day" => TicksPerDay,
        "hour" => TicksPerHour,
        "minute" => 600000000,
        "second" => 10000000,
        "millisecond" => 10000,
        _ => 10,
    };

    private static SqlValue DateTimePart(FunctionCall c)
    {
        var part = Unit(c, PartNames);
        var date = c.DateTime(c.Arg(1)).Sql;
        var sql = part switch
        {
            // Kusto's sub-second parts count from the start of the second.
            "millisecond" => $"({date} // 10000) % 1000",
            "microsecond" => $"({date} // 10) % 1000000",
            "nanosecond" => $"({date} % 10000000) * 100",
            _ => $"date_part({Sql.String(part)}, {Sql.TicksToTimestamp(date)})",
        };
        return Derived($"CAST({sql} AS INTEGER)", KqlType.Int, c.Arg(1));
    }

    // Units of datetime_diff and datetime_add, and the parts of datetime_part: Kusto's names (any case) to DuckDB's.
    private static readonly Dictionary<string, string> DiffUnits = new(StringComparer.OrdinalIgnoreCase)
    {
        ["year"] = "year", ["quarter"] = "quarter", ["month"] = "month", ["week"] = "week", ["day"] = "day",
        ["hour"] = "hour", ["minute"] = "minute", ["second"] = "second",
        ["millisecond"] = "millisecond", ["microsecond"] = "microsecond", ["nanosecond"] = "nanosecond",
    };

    private static readonly Dictionary<string, string> PartNames = new(DiffUnits, StringComparer.OrdinalIgnoreCase)
    {
        ["week_of_year"] = "week", ["weekofyear"] = "week", ["dayofyear"] = "dayofyear",
    };

    /// <summary>The constant unit or part name of the first argument, as DuckDB spells it.</summary>
    private static string Unit(FunctionCall c, Dictionary<string, string> names)
    {
        if (c.Arg(0) is not { IsConstant: true, Constant: string s })
        {
            throw c.ArgError(0, $"{c.Name} needs a constant unit ('day', 'hour' …)");
        }

        return names.TryGetValue(s, out var unit)
            ? unit
            : throw c.ArgError(0, $"unknown datetime {(names == PartNames ? "part" : "unit")} '{s}' ({string.Join(", ", names.Keys)})");
    }

    private static SqlValue FormatDateTime(FunctionCall c)
    {
        if (c.Arg(1) is not { IsConstant: true, Constant: string format })
        {
            throw c.ArgError(1, "format_datetime needs a constant format string");
        }

        return Derived($"coalesce({TimeFormats.DateTimeSql(c.DateTime(c.Arg(0)).Sql, format, c.ArgPos(1))}, '')", KqlType.String, c.Arg(0));
    }
}
