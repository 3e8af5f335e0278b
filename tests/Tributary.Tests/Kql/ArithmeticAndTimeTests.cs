using static Tributary.Tests.Kql.QueryResultExtensions;

namespace Tributary.Tests.Kql;

/// <summary>bin(), integer and real arithmetic, timespan arithmetic and the datetime functions.</summary>
public sealed class ArithmeticAndTimeTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    // ---- bin ----------------------------------------------------------------------------------------

    [Fact]
    public void Bin_NegativeLong_FloorsTowardNegativeInfinity()
    {
        Assert.Equal(-10L, store.Print("bin(-1, 10)"));
        Assert.Equal(-10L, store.Print("bin(-10, 10)"));
        Assert.Equal(-20L, store.Print("bin(-11, 10)"));
        Assert.Equal(-10L, store.OnColumn("long", "-1", "bin(v, 10)"));
    }

    [Fact]
    public void Bin_PositiveNumbers_RoundDown()
    {
        Assert.Equal(4.0, store.Print("bin(4.5, 1)"));
        Assert.Equal(5L, store.Print("bin(7, 5)"));
        Assert.Equal(0L, store.OnColumn("long", "9", "bin(v, 10)"));
        Assert.Equal(24.0, store.OnColumn("real", "25.73", "bin(v, 4)"));
    }

    [Fact]
    public void Bin_Timespan_FloorsToMultipleOfSize()
    {
        Assert.Equal(TimeSpan.FromDays(14), store.Print("bin(time(16d), 7d)"));
        Assert.Equal(TimeSpan.FromMinutes(50), store.OnColumn("timespan", "time(59min)", "bin(v, 25min)"));
        Assert.Equal(TimeSpan.FromHours(-1), store.OnColumn("timespan", "time(-1min)", "bin(v, 1h)"));
    }

    [Fact]
    public void Bin_Datetime_DocumentedExample()
    {
        Assert.Equal(Utc(1970, 5, 11), store.Print("bin(datetime(1970-05-11 13:45:07), 1d)"));
    }

    [Fact]
    public void Bin_Datetime_MinutesHoursDaysFloor()
    {
        const string t = "datetime(2024-03-15 12:34:56.789)";
        Assert.Equal(Utc(2024, 3, 15, 12, 30, 0), store.OnColumn("datetime", t, "bin(v, 10min)"));
        Assert.Equal(Utc(2024, 3, 15, 12, 0, 0), store.OnColumn("datetime", t, "bin(v, 1h)"));
        Assert.Equal(Utc(2024, 3, 15), store.OnColumn("datetime", t, "bin(v, 1d)"));
        Assert.Equal(Utc(2024, 3, 15, 12, 34, 56), store.OnColumn("datetime", t, "bin(v, 1s)"));
    }

    [Fact]
    public void Bin_DatetimeSevenDays_AlignedToWeeksFromYearOne()
    {
        // Kusto bins datetimes on ticks counted from 0001-01-01 (a Monday), so 7d bins start on Mondays.
        var value = Utc(2024, 3, 15, 12, 34, 56);
        var week = TimeSpan.FromDays(7).Ticks;
        var expected = new DateTime(value.Ticks - value.Ticks % week, DateTimeKind.Utc);
        Assert.Equal(Utc(2024, 3, 11), expected);
        Assert.Equal(expected, store.OnColumn("datetime", "datetime(2024-03-15 12:34:56)", "bin(v, 7d)"));
        Assert.Equal(expected, store.Print("bin(datetime(2024-03-15 12:34:56), 7d)"));
    }

    [Fact]
    public void Bin_DatetimeBeforeEpoch_FloorsToEarlierDay() =>
        Assert.Equal(Utc(1969, 12, 31), store.OnColumn("datetime", "datetime(1969-12-31 23:59:59)", "bin(v, 1d)"));

    // ---- integer and real arithmetic ------------------------------------------------------------

    [Fact]
    public void Divide_LongByLong_Truncates()
    {
        Assert.Equal(3L, store.Print("7 / 2"));
        Assert.Equal(0L, store.Print("1 / 2"));
        Assert.Equal(3L, store.OnColumn("long", "7", "v / 2"));
        Assert.Equal(-3L, store.OnColumn("long", "-7", "v / 2"));
    }

    [Fact]
    public void LongLiterals_BeyondInt32Range_DoNotOverflow()
    {
        var result = store.Run("print a = 2147483647 + 1, b = 2000000000 * 2, c = -2147483648 - 1");
        Assert.Equal<object?>([2147483648L, 4000000000L, -2147483649L], Assert.Single(result.Rows));
    }

    [Fact]
    public void UnixtimeSecondsTodatetime_LongLiteral_GivesTheInstant()
    {
        var result = store.Run("print s = unixtime_seconds_todatetime(1700000000), ms = unixtime_milliseconds_todatetime(1700000000123)");
        Assert.Equal(Utc(2023, 11, 14, 22, 13, 20), result.Single("s"));
        Assert.Equal(Utc(2023, 11, 14, 22, 13, 20).AddMilliseconds(123), result.Single("ms"));
    }

    [Fact]
    public void Divide_WithARealOperand_IsRealDivision()
    {
        Assert.Equal(0.5, store.Print("1.0 / 2"));
        Assert.Equal(0.5, store.Print("1 / 2.0"));
        Assert.Equal(0.5, store.Print("real(1) / 2"));
        Assert.Equal(3.5, store.OnColumn("long", "7", "todouble(v) / 2"));
    }

    [Fact]
    public void Modulo_NegativeOperands_IsNonNegative()
    {
        // Kusto's modulo is always in [0, abs(D)).
        var result = store.Run("print plusPlus = 14 % 12, minusPlus = -14 % 12, plusMinus = 14 % -12, minusMinus = -14 % -12");
        Assert.Equal([2L], result.Column("plusPlus"));
        Assert.Equal([10L], result.Column("minusPlus"));
        Assert.Equal([2L], result.Column("plusMinus"));
        Assert.Equal([10L], result.Column("minusMinus"));
        Assert.Equal(10L, store.OnColumn("long", "-14", "v % 12"));
    }

    // ---- timespan arithmetic ----------------------------------------------------------------------

    [Fact]
    public void Subtract_DatetimeFromDatetime_IsTimespan()
    {
        Assert.Equal(TimeSpan.FromHours(25.5), store.Print("datetime(2024-01-02 01:30) - datetime(2024-01-01)"));
        Assert.Equal(TimeSpan.FromHours(-1), store.OnColumn("datetime", "datetime(2024-01-01)", "v - datetime(2024-01-01 01:00)"));
    }

    [Fact]
    public void Divide_TimespanByReal_ScalesTheTimespan()
    {
        Assert.Equal(TimeSpan.FromMinutes(30), store.Print("1h / 2.0"));
        Assert.Equal(TimeSpan.FromMinutes(45), store.OnColumn("timespan", "time(01:30:00)", "v / 2.0"));
    }

    [Fact]
    public void Multiply_NumberByTimespan_ScalesTheTimespan()
    {
        Assert.Equal(TimeSpan.FromHours(2), store.Print("2 * 1h"));
        Assert.Equal(TimeSpan.FromHours(2), store.Print("1h * 2"));
        Assert.Equal(TimeSpan.FromMinutes(90), store.OnColumn("long", "3", "v * 30min"));
    }

    [Fact]
    public void Divide_TimespanByTimespan_IsReal()
    {
        Assert.Equal(2.0, store.Print("1h / 30min"));
        Assert.Equal(600.0, store.Print("10m / 1s"));
        Assert.Equal(4.0, store.OnColumn("timespan", "time(02:00:00)", "v / 30min"));
    }

    [Fact]
    public void Add_TimespanToDatetime_MovesTheDatetime()
    {
        Assert.Equal(Utc(2024, 1, 1, 1, 30, 0), store.Print("datetime(2024-01-01) + 90m"));
        Assert.Equal(Utc(2023, 12, 31), store.OnColumn("datetime", "datetime(2024-01-01)", "v - 1d"));
    }

    [Fact]
    public void TimespanLiterals_AllUnits_HaveTheirValues()
    {
        var result = store.Run("print a = 10min, b = 1h, c = 2d, d = 1.5h, e = 100ms, f = 30s, g = 10m, h = 1tick, i = 5microseconds");
        Assert.Equal([TimeSpan.FromMinutes(10)], result.Column("a"));
        Assert.Equal([TimeSpan.FromHours(1)], result.Column("b"));
        Assert.Equal([TimeSpan.FromDays(2)], result.Column("c"));
        Assert.Equal([TimeSpan.FromMinutes(90)], result.Column("d"));
        Assert.Equal([TimeSpan.FromMilliseconds(100)], result.Column("e"));
        Assert.Equal([TimeSpan.FromSeconds(30)], result.Column("f"));
        Assert.Equal([TimeSpan.FromMinutes(10)], result.Column("g"));
        Assert.Equal([TimeSpan.FromTicks(1)], result.Column("h"));
        Assert.Equal([TimeSpan.FromTicks(50)], result.Column("i"));
    }

    [Fact]
    public void TimespanLiteralForms_DocumentedTable_HaveTheirValues()
    {
        var result = store.Run("print a = time(15 seconds), b = time(2), c = time(0.12:34:56.7), d = 0.1s, e = 10microsecond, f = isnull(time(null))");
        Assert.Equal([TimeSpan.FromSeconds(15)], result.Column("a"));
        Assert.Equal([TimeSpan.FromDays(2)], result.Column("b"));
        Assert.Equal([new TimeSpan(0, 12, 34, 56, 700)], result.Column("c"));
        Assert.Equal([TimeSpan.FromMilliseconds(100)], result.Column("d"));
        Assert.Equal([TimeSpan.FromTicks(100)], result.Column("e"));
        Assert.Equal([true], result.Column("f"));
    }

    [Fact]
    public void Divide_SecondsInADay_DocumentedExample()
    {
        var result = store.Run("print result1 = 1d / 1s, result2 = time(1d) / time(1s), result3 = 24 * 60 * time(00:01:00) / time(1s)");
        Assert.Equal<object?>([86400.0, 86400.0, 86400.0], Assert.Single(result.Rows));
    }

    [Fact]
    public void Tostring_Timespan_ConstantAndColumnPrintAlike()
    {
        var result = store.Run("""
            datatable(t:timespan)[1h, 1d, 1500ms, -90m]
            | extend s = tostring(t), c = case(t == 1h, tostring(1h), t == 1d, tostring(1d), t == 1500ms, tostring(1500ms), tostring(-90m))
            """);
        Assert.Equal(["01:00:00", "1.00:00:00", "00:00:01.5000000", "-01:30:00"], result.Column("s"));
        Assert.Equal(result.Column("s"), result.Column("c"));
    }

    // ---- now and ago ------------------------------------------------------------------------------

    [Fact]
    public void Now_TwiceInOneQuery_IsTheSameInstant()
    {
        var result = store.Run("print a = now(), b = now()");
        Assert.Equal(KqlStoreFixture.Now, result.Single("a"));
        Assert.Equal(result.Single("a"), result.Single("b"));
    }

    [Fact]
    public void Now_SameInEveryRow()
    {
        var result = store.Run("range x from 1 to 3 step 1 | extend t = now() | distinct t");
        Assert.Equal([KqlStoreFixture.Now], result.Column("t"));
    }

    [Fact]
    public void Now_WithOffset_AddsIt() =>
        Assert.Equal(KqlStoreFixture.Now.AddDays(-1), store.Print("now(-1d)"));

    [Fact]
    public void Ago_Timespan_IsNowMinusIt()
    {
        Assert.Equal(KqlStoreFixture.Now.AddHours(-1), store.Print("ago(1h)"));
        Assert.Equal(KqlStoreFixture.Now.AddMinutes(10), store.Print("ago(-10m)"));
        Assert.Equal(KqlStoreFixture.Now.AddMinutes(-30), store.OnColumn("timespan", "time(00:30:00)", "ago(v)"));
    }

    // ---- datetime functions -------------------------------------------------------------------------

    [Fact]
    public void DatetimeDiff_DocumentedExamples_CountPeriodBoundaries()
    {
        var result = store.Run("""
            print
            year = datetime_diff('year',datetime(2017-01-01),datetime(2000-12-31)),
            quarter = datetime_diff('quarter',datetime(2017-07-01),datetime(2017-03-30)),
            month = datetime_diff('month',datetime(2017-01-01),datetime(2015-12-30)),
            week = datetime_diff('week',datetime(2017-10-29 00:00),datetime(2017-09-30 23:59)),
            day = datetime_diff('day',datetime(2017-10-29 00:00),datetime(2017-09-30 23:59)),
            hour = datetime_diff('hour',datetime(2017-10-31 01:00),datetime(2017-10-30 23:59)),
            minute = datetime_diff('minute',datetime(2017-10-30 23:05:01),datetime(2017-10-30 23:00:59)),
            second = datetime_diff('second',datetime(2017-10-30 23:00:10.100),datetime(2017-10-30 23:00:00.900)),
            millisecond = datetime_diff('millisecond',datetime(2017-10-30 23:00:00.200100),datetime(2017-10-30 23:00:00.100900))
            """);
        Assert.Equal([17L], result.Column("year"));
        Assert.Equal([2L], result.Column("quarter"));
        Assert.Equal([13L], result.Column("month"));
        Assert.Equal([5L], result.Column("week"));
        Assert.Equal([29L], result.Column("day"));
        Assert.Equal([2L], result.Column("hour"));
        Assert.Equal([5L], result.Column("minute"));
        Assert.Equal([10L], result.Column("second"));
        Assert.Equal([100L], result.Column("millisecond"));
    }

    [Fact]
    public void DatetimeAdd_DocumentedExamples_AddCalendarPeriods()
    {
        var result = store.Run("""
            let d = datetime(2017-01-01);
            print year = datetime_add('year',1,d), quarter = datetime_add('quarter',1,d),
              month = datetime_add('month',1,d), week = datetime_add('week',1,d), day = datetime_add('day',1,d),
              hour = datetime_add('hour',1,d), minute = datetime_add('minute',1,d), second = datetime_add('second',1,d),
              year5 = datetime_add('year',-5,d), quarter12 = datetime_add('quarter',12,d),
              month15 = datetime_add('month',-15,d), week100 = datetime_add('week',100,d)
            """);
        Assert.Equal([Utc(2018, 1, 1)], result.Column("year"));
        Assert.Equal([Utc(2017, 4, 1)], result.Column("quarter"));
        Assert.Equal([Utc(2017, 2, 1)], result.Column("month"));
        Assert.Equal([Utc(2017, 1, 8)], result.Column("week"));
        Assert.Equal([Utc(2017, 1, 2)], result.Column("day"));
        Assert.Equal([Utc(2017, 1, 1, 1, 0, 0)], result.Column("hour"));
        Assert.Equal([Utc(2017, 1, 1, 0, 1, 0)], result.Column("minute"));
        Assert.Equal([Utc(2017, 1, 1, 0, 0, 1)], result.Column("second"));
        Assert.Equal([Utc(2012, 1, 1)], result.Column("year5"));
        Assert.Equal([Utc(2020, 1, 1)], result.Column("quarter12"));
        Assert.Equal([Utc(2015, 10, 1)], result.Column("month15"));
        Assert.Equal([Utc(2018, 12, 2)], result.Column("week100"));
    }

    [Fact]
    public void StartOfDay_WithOffset_ShiftsByDays()
    {
        var result = store.Run("""
            range offset from -1 to 1 step 1
            | project dayStart = startofday(datetime(2017-01-01 10:10:17), offset)
            """);
        Assert.Equal([Utc(2016, 12, 31), Utc(2017, 1, 1), Utc(2017, 1, 2)], result.Column("dayStart"));
    }

    [Fact]
    public void EndOfDay_WithOffset_IsLastInstantOfTheShiftedDay()
    {
        var result = store.Run("""
            range offset from -1 to 1 step 1
            | project dayEnd = endofday(datetime(2017-01-01 10:10:17), offset)
            """);
        // As Kusto answers: 23:59:59.9999999, one 100 ns tick before midnight.
        var expected = new[] { Utc(2017, 1, 1), Utc(2017, 1, 2), Utc(2017, 1, 3) }.Select(d => (object?)d.AddTicks(-1)).ToList();
        Assert.Equal(expected, result.Column("dayEnd"));
    }

    [Fact]
    public void FormatDatetime_DocumentedExamples_FormatAsDocumented()
    {
        var result = store.Run("""
            let dt = datetime(2017-01-29 09:00:05);
            print v1 = format_datetime(dt,'yy-MM-dd [HH:mm:ss]'),
                  v2 = format_datetime(dt, 'yyyy-M-dd [H:mm:ss]'),
                  v3 = format_datetime(dt, 'yy-MM-dd [hh:mm:ss tt]')
            """);
        Assert.Equal(["17-01-29 [09:00:05]"], result.Column("v1"));
        Assert.Equal(["2017-1-29 [9:00:05]"], result.Column("v2"));
        Assert.Equal(["17-01-29 [09:00:05 AM]"], result.Column("v3"));
    }

    [Fact]
    public void FormatDatetime_Milliseconds_ThreeDigits() =>
        Assert.Equal("13:45:30.617", store.OnColumn("datetime", "datetime(2009-06-15 13:45:30.617)", "format_datetime(v, 'HH:mm:ss.fff')"));

    [Fact]
    public void FormatDatetime_FractionSpecifiers_DocumentedExamples()
    {
        const string t = "datetime(2009-06-15 13:45:30.6175425)";
        Assert.Equal("6", store.OnColumn("datetime", t, "format_datetime(v, 'f')"));
        Assert.Equal("61", store.OnColumn("datetime", t, "format_datetime(v, 'ff')"));
        Assert.Equal("6175", store.OnColumn("datetime", t, "format_datetime(v, 'ffff')"));
        Assert.Equal("61754", store.OnColumn("datetime", t, "format_datetime(v, 'fffff')"));
        Assert.Equal("13:45:30.6", store.OnColumn("datetime", "datetime(2009-06-15 13:45:30.6)", "format_datetime(v, 'HH:mm:ss.FFF')"));
        Assert.Equal("13:45:30", store.OnColumn("datetime", "datetime(2009-06-15 13:45:30)", "format_datetime(v, 'HH:mm:ss.FFF')"));
    }

    [Fact]
    public void DayOfWeek_IsTimespanOfDaysSinceSunday()
    {
        Assert.Equal(TimeSpan.Zero, store.Print("dayofweek(datetime(1947-11-30 10:00:05))"));
        Assert.Equal(TimeSpan.FromDays(1), store.Print("dayofweek(datetime(1970-05-11))"));
        Assert.Equal(TimeSpan.FromDays(6), store.OnColumn("datetime", "datetime(2024-03-16)", "dayofweek(v)"));
    }

    [Fact]
    public void DatetimeParts_OfAKnownInstant_AreItsCalendarFields()
    {
        var result = store.Run("""
            datatable(d:datetime)[datetime(2024-03-15 12:34:56)]
            | project y = getyear(d), m = getmonth(d), dom = dayofmonth(d), h = hourofday(d), sm = startofmonth(d), sy = startofyear(d)
            """);
        Assert.Equal([2024], result.Column("y"));
        Assert.Equal([3], result.Column("m"));
        Assert.Equal([15], result.Column("dom"));
        Assert.Equal([12], result.Column("h"));
        Assert.Equal([Utc(2024, 3, 1)], result.Column("sm"));
        Assert.Equal([Utc(2024, 1, 1)], result.Column("sy"));
    }
}
