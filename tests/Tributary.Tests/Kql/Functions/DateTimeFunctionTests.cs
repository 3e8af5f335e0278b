using Tributary.Kql;
using static Tributary.Tests.Kql.QueryResultExtensions;

namespace Tributary.Tests.Kql.Functions;

/// <summary>
/// The date and time functions against the examples of Kusto's documentation: diff, part and add units, the formats,
/// make_datetime/make_timespan, ISO weeks, time zones, unix times and the text forms todatetime reads.
/// </summary>
public sealed class DateTimeFunctionTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    [Theory]
    [InlineData("datetime_diff('year',datetime(2017-01-01),datetime(2000-12-31))", 17L)]
    [InlineData("datetime_diff('quarter',datetime(2017-07-01),datetime(2017-03-30))", 2L)]
    [InlineData("datetime_diff('month',datetime(2017-01-01),datetime(2015-12-30))", 13L)]
    [InlineData("datetime_diff('week',datetime(2017-10-29 00:00),datetime(2017-09-30 23:59))", 5L)]
    [InlineData("datetime_diff('day',datetime(2017-10-29 00:00),datetime(2017-09-30 23:59))", 29L)]
    [InlineData("datetime_diff('hour',datetime(2017-10-31 01:00),datetime(2017-10-30 23:59))", 2L)]
    [InlineData("datetime_diff('minute',datetime(2017-10-30 23:05:01),datetime(2017-10-30 23:00:59))", 5L)]
    [InlineData("datetime_diff('second',datetime(2017-10-30 23:00:10.100),datetime(2017-10-30 23:00:00.900))", 10L)]
    [InlineData("datetime_diff('millisecond',datetime(2017-10-30 23:00:00.200100),datetime(2017-10-30 23:00:00.100900))", 100L)]
    [InlineData("datetime_diff('Microsecond',datetime(2017-10-30 23:00:00.1009001),datetime(2017-10-30 23:00:00.1008009))", 100L)]
    [InlineData("datetime_diff('nanosecond',datetime(2017-10-30 23:00:00.000002),datetime(2017-10-30 23:00:00.000009))", -7000L)]
    public void DateTimeDiff_EveryUnit_CountsBoundariesAsKustosExamples(string expression, long expected)
    {
        Assert.Equal(expected, store.Print(expression));
    }

    [Fact]
    public void DateTimePart_EveryPart_OfKustosExample()
    {
        var result = store.Run("""
            let dt = datetime(2017-10-30 01:02:03.7654321);
            print year = datetime_part("year", dt), quarter = datetime_part("quarter", dt), month = datetime_part("month", dt),
                weekOfYear = datetime_part("week_of_year", dt), day = datetime_part("day", dt), dayOfYear = datetime_part("dayOfYear", dt),
                hour = datetime_part("hour", dt), minute = datetime_part("minute", dt), second = datetime_part("second", dt),
                millisecond = datetime_part("millisecond", dt), microsecond = datetime_part("microsecond", dt),
                nanosecond = datetime_part("nanosecond", dt), old = datepart("day", dt)
            """);
        Assert.Equal<object?>([2017, 4, 10, 44, 30, 303, 1, 2, 3, 765, 765432, 765432100, 30], result.Rows[0]);
    }

    [Fact]
    public void DateTimeAdd_EveryUnit_OfKustosExamples()
    {
        var result = store.Run("""
            print year = datetime_add('year',1,make_datetime(2017,1,1)), quarter = datetime_add('quarter',1,make_datetime(2017,1,1)),
                month = datetime_add('month',-15,make_datetime(2017,1,1)), week = datetime_add('week',100,make_datetime(2017,1,1)),
                micro = datetime_add('microsecond',5,make_datetime(2017,1,1)), nano = datetime_add('nanosecond',3000,make_datetime(2017,1,1))
            """);
        Assert.Equal<object?>(
            [Utc(2018, 1, 1), Utc(2017, 4, 1), Utc(2015, 10, 1), Utc(2018, 12, 2), Utc(2017, 1, 1).AddTicks(50), Utc(2017, 1, 1).AddTicks(30)],
            result.Rows[0]);
    }

    [Fact]
    public void DateTimeUnits_UnknownOrNotConstant_AreErrorsAtTheUnit()
    {
        var e = Assert.Throws<KqlException>(() => store.Run("print datetime_diff('fortnight', now(), now())"));
        Assert.Contains("unknown datetime unit 'fortnight'", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 21), (e.Line, e.Column));
        e = Assert.Throws<KqlException>(() => store.Run("print datetime_part('dayofyear2', now())"));
        Assert.Contains("unknown datetime part", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<KqlException>(() => store.Run("print u = 'day' | extend d = datetime_add(u, 1, now())"));
        Assert.Contains("needs a constant unit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DateTimeFunctions_OutOfRange_GiveNullNotAnEngineError()
    {
        var result = store.Run("""
            print add = datetime_add('year', 100000000000, datetime(2020-01-01)), past = datetime_add('day', 1, datetime(9999-12-31)),
                span = make_timespan(9223372036854775807, 0, 0, 0), diff = datetime_diff('nanosecond', datetime(9999-01-01), datetime(0001-01-01)),
                month = make_datetime(2020, 99999999999, 1), widest = format_timespan(totimespan(-9223372036854775807-1), 'd')
            """);
        Assert.Equal<object?>([null, null, null, null, null, "10675199"], result.Rows[0]);
    }

    [Fact]
    public void DateTimeAdd_OfAWindowOrAnAggregate_Works()
    {
        Assert.Equal([Utc(2020, 1, 2), Utc(2020, 1, 3)], store.Run("range x from 1 to 2 step 1 | project d = datetime_add('day', x, prev(datetime(2020-01-01), 0, datetime(2020-01-01)))").Column("d"));
        Assert.Equal(Utc(2020, 1, 2), store.Run("datatable(t:datetime)[datetime(2020-01-01)] | summarize d = datetime_add('day', 1, max(t))").Single("d"));
    }

    [Fact]
    public void FormatDateTime_KustosExamples_AndOneDigitYear()
    {
        var result = store.Run("""
            let dt = datetime(2017-01-29 09:00:05);
            print v1 = format_datetime(dt,'yy-MM-dd [HH:mm:ss]'), v2 = format_datetime(dt, 'yyyy-M-dd [H:mm:ss]'),
                v3 = format_datetime(dt, 'yy-MM-dd [hh:mm:ss tt]'), v4 = format_datetime(datetime(2009-06-15), 'y')
            """);
        Assert.Equal<object?>(["17-01-29 [09:00:05]", "2017-1-29 [9:00:05]", "17-01-29 [09:00:05 AM]", "9"], result.Rows[0]);
    }

    [Fact]
    public void FormatTimeSpan_KustosExamples_AbsoluteFieldsAndColumns()
    {
        var result = store.Run("""
            let t = time(29.09:00:05.12345);
            print v1 = format_timespan(t, 'dd.hh:mm:ss:FF'), v2 = format_timespan(t, 'ddd.h:mm:ss [fffffff]'),
                negative = format_timespan(-90m, 'h:mm'), empty = format_timespan(timespan(null), 'hh')
            """);
        Assert.Equal<object?>(["29.09:00:05:12", "029.9:00:05 [1234500]", "1:30", ""], result.Rows[0]);
        Assert.Equal("00:00:07.5", store.OnColumn("timespan", "time(7.5s)", "format_timespan(v, 'hh:mm:ss.F')"));
    }

    [Fact]
    public void FormatTimeSpan_UnknownSpecifierOrVariableFormat_IsAnErrorAtTheFormat()
    {
        var e = Assert.Throws<KqlException>(() => store.Run("print format_timespan(1h, 'hh:MM')"));
        Assert.Contains("unsupported format 'MM'", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 27), (e.Line, e.Column));
        e = Assert.Throws<KqlException>(() => store.Run("print f = 'hh' | extend s = format_timespan(1h, f)"));
        Assert.Contains("constant, non-empty format", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MakeDateTime_KustosExamples_AndNullOutOfRange()
    {
        Assert.Equal(Utc(2017, 10, 1), store.Print("make_datetime(2017,10,01)"));
        Assert.Equal(Utc(2017, 10, 1, 12, 10), store.Print("make_datetime(2017,10,01,12,10)"));
        Assert.Equal(Utc(2017, 10, 1, 12, 11).AddTicks(1234567), store.Print("make_datetime(2017,10,01,12,11,0.1234567)"));
        Assert.Null(store.Print("make_datetime(2017,2,30)"));
        Assert.Null(store.Print("make_datetime(2017,1,1,24,0)"));
        Assert.Null(store.Print("make_datetime(2017,1,1,0,0,60)"));
        Assert.Equal(Utc(2024, 2, 29), store.OnColumn("int", "29", "make_datetime(2024, 2, v)"));
    }

    [Fact]
    public void MakeTimeSpan_TwoThreeAndFourParts()
    {
        Assert.Equal(new TimeSpan(1, 12, 30, 55, 123), store.Print("make_timespan(1,12,30,55.123)"));
        Assert.Equal(new TimeSpan(2, 30, 0), store.Print("make_timespan(2, 30)"));
        Assert.Equal(new TimeSpan(2, 30, 15), store.OnColumn("long", "15", "make_timespan(2, 30, v)"));
    }

    [Theory]
    [InlineData("2020-12-31", 53)]
    [InlineData("2020-06-15", 25)]
    [InlineData("1970-01-01", 1)]
    [InlineData("2000-01-01", 52)]
    public void WeekOfYear_IsTheIsoWeek(string date, int expected)
    {
        Assert.Equal(expected, store.OnColumn("datetime", $"datetime({date})", "week_of_year(v)"));
    }

    [Fact]
    public void DateTimeLocalToUtc_KustosExample_AndBackAgain()
    {
        var result = store.Run("""
            datatable(local_dt: datetime, tz: string)[datetime(2020-02-02 20:02:20), 'US/Pacific', datetime(2020-02-02 20:02:20), 'America/Chicago', datetime(2020-02-02 20:02:20), 'Europe/Paris']
            | extend utc_dt = datetime_local_to_utc(local_dt, tz)
            | extend back = datetime_utc_to_local(utc_dt, tz)
            """);
        Assert.Equal([Utc(2020, 2, 3, 4, 2, 20), Utc(2020, 2, 3, 2, 2, 20), Utc(2020, 2, 2, 19, 2, 20)], result.Column("utc_dt"));
        Assert.All(result.Column("back"), v => Assert.Equal(Utc(2020, 2, 2, 20, 2, 20), v));
    }

    [Fact]
    public void DateTimeLocalToUtc_TheHourDaylightSavingSkips_UsesTheOffsetAfterIt()
    {
        var result = store.Run("""
            range Local from datetime(2022-03-27 01:00:00) to datetime(2022-03-27 04:00:00) step 1h
            | extend UTC = datetime_local_to_utc(Local, 'Europe/Brussels')
            | extend diff = Local - datetime_utc_to_local(UTC, 'Europe/Brussels')
            """);
        Assert.Equal([Utc(2022, 3, 27, 0, 0, 0), Utc(2022, 3, 27, 0, 0, 0), Utc(2022, 3, 27, 1, 0, 0), Utc(2022, 3, 27, 2, 0, 0)], result.Column("UTC"));
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromHours(1), TimeSpan.Zero, TimeSpan.Zero], result.Column("diff"));
    }

    [Fact]
    public void DateTimeUtcToLocal_UnknownZone_IsAnErrorWhenConstantAndNullFromAColumn()
    {
        var e = Assert.Throws<KqlException>(() => store.Run("print datetime_utc_to_local(now(), 'Mars/Base')"));
        Assert.Contains("unknown time zone 'Mars/Base'", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 36), (e.Line, e.Column));
        Assert.Null(store.OnColumn("string", "'Mars/Base'", "datetime_utc_to_local(datetime(2020-01-01), v)"));
        Assert.Equal(Utc(2022, 7, 11, 15, 18, 48), store.OnColumn("string", "'US/Pacific'", "datetime_utc_to_local(datetime(2022-07-11 22:18:48), v)"));
    }

    [Fact]
    public void DateTimeListTimeZones_HoldsTheZonesTheConversionsAccept()
    {
        var zones = Json(store.Print("datetime_list_timezones()"));
        Assert.Contains("\"Europe/Brussels\"", zones, StringComparison.Ordinal);
        Assert.Contains("\"America/Chicago\"", zones, StringComparison.Ordinal);
    }

    [Fact]
    public void UnixTimes_EveryUnit_AndNullOutOfRange()
    {
        var result = store.Run("""
            print s = unixtime_seconds_todatetime(1546300800), ms = unixtime_milliseconds_todatetime(1546300800000),
                us = unixtime_microseconds_todatetime(1546300800000000), ns = unixtime_nanoseconds_todatetime(1546300800000000000),
                before = unixtime_seconds_todatetime(-1), huge = unixtime_seconds_todatetime(1e300)
            """);
        Assert.Equal<object?>([Utc(2019, 1, 1), Utc(2019, 1, 1), Utc(2019, 1, 1), Utc(2019, 1, 1), Utc(1969, 12, 31, 23, 59, 59), null], result.Rows[0]);
        // Datetimes keep 100 ns ticks: a microsecond and a half is 15 ticks, and a nanosecond count rounds to its tick.
        Assert.Equal(Utc(2019, 1, 1).AddTicks(15), store.OnColumn("real", "1546300800000001.5", "unixtime_microseconds_todatetime(v)"));
        Assert.Equal(Utc(2019, 1, 1).AddTicks(20), store.OnColumn("long", "1546300800000002000", "unixtime_nanoseconds_todatetime(v)"));
    }

    [Theory]
    [InlineData("2015-12-31 23:59:59.9", 900)]
    [InlineData("2015-12-31T23:59:59.9Z", 900)]
    [InlineData("Thu, 31 Dec 15 23:59:59 GMT", 0)]
    [InlineData("Thursday, 31-Dec-15 23:59:59 GMT", 0)]
    [InlineData("31-Dec-15 23:59:59", 0)]
    [InlineData("2015-12-31 23:59:59 GMT", 0)]
    public void Todatetime_KustosTextForms_FromAColumn(string text, int milliseconds)
    {
        Assert.Equal(Utc(2015, 12, 31, 23, 59, 59).AddMilliseconds(milliseconds), store.OnColumn("string", $"'{text}'", "todatetime(v)"));
    }

    [Fact]
    public void Todatetime_TextThatIsNoDate_IsNull()
    {
        Assert.Null(store.OnColumn("string", "'not a date'", "todatetime(v)"));
        Assert.Null(store.OnColumn("string", "''", "todatetime(v)"));
        Assert.Equal(Utc(2014, 11, 8, 15, 5, 2), store.OnColumn("dynamic", "dynamic('Sat, 8 Nov 14 15:05:02 GMT')", "todatetime(v)"));
    }
}
