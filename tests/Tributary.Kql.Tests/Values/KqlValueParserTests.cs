using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Tributary.Kql.Values;

namespace Tributary.Kql.Tests.Values;

public sealed class KqlValueParserTests
{
    private static DateTime Utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0, long extraTicks = 0) =>
        new DateTime(y, mo, d, h, mi, s, DateTimeKind.Utc).AddTicks(extraTicks);

    public static TheoryData<string, DateTime> ValidDateTimes => new()
    {
        { "2019-05-21T19:25:39Z", Utc(2019, 5, 21, 19, 25, 39) },
        { "2019-05-21T19:25:39", Utc(2019, 5, 21, 19, 25, 39) },
        { "2019-05-21 19:25:39", Utc(2019, 5, 21, 19, 25, 39) },
        { "2019-05-21T19:25:39.5Z", Utc(2019, 5, 21, 19, 25, 39, 5_000_000) },
        { "2019-05-21T19:25:39.1234567Z", Utc(2019, 5, 21, 19, 25, 39, 1_234_567) },
        { "2019-05-21T19:25:39+02:00", Utc(2019, 5, 21, 17, 25, 39) },
        { "2019-05-21T19:25:39-0130", Utc(2019, 5, 21, 20, 55, 39) },
        { "2019-05-21", Utc(2019, 5, 21) },
        { "2014-11-08 15:05", Utc(2014, 11, 8, 15, 5) },
        { "2014-11-08T15:05Z", Utc(2014, 11, 8, 15, 5) },
        { "  2019-05-21T19:25:39Z\t", Utc(2019, 5, 21, 19, 25, 39) },
        { "2020-02-29", Utc(2020, 2, 29) },
        { "2019-01-01T00:30:00+01:00", Utc(2018, 12, 31, 23, 30) },
        { "Sat, 8 Nov 2014 15:05:02 GMT", Utc(2014, 11, 8, 15, 5, 2) },
        { "Sat, 08 Nov 2014 15:05:02 UTC", Utc(2014, 11, 8, 15, 5, 2) },
        { "Sat, 8 Nov 2014 15:05:02 +0200", Utc(2014, 11, 8, 13, 5, 2) },
        { "8 Nov 14 15:05 GMT", Utc(2014, 11, 8, 15, 5) },
        { "8 nov 99 15:05 gmt", Utc(1999, 11, 8, 15, 5) },
        { "Mon,8 Nov 2014 15:05:02 -0030", Utc(2014, 11, 8, 15, 35, 2) },
        { "0001-01-01", DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc) },
        { "9999-12-31T23:59:59.9999999Z", DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc) },
    };

    [Theory]
    [MemberData(nameof(ValidDateTimes))]
    public void TryParseDateTime_AcceptedForm_ReturnsUtcInstant(string text, DateTime expected)
    {
        Assert.True(KqlValueParser.TryParseDateTime(text, out var actual));
        Assert.Equal(expected, actual);
        Assert.Equal(DateTimeKind.Utc, actual.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("2019-02-29")]
    [InlineData("2019-13-01")]
    [InlineData("2019-05-21T24:00:00")]
    [InlineData("2019-05-21T19:60:00")]
    [InlineData("2019-05-21T19:25:60")]
    [InlineData("2019-05-21T19:25:39.12345678Z")]
    [InlineData("2019-05-21T19:25:39.Z")]
    [InlineData("2019-5-21")]
    [InlineData("19-05-21")]
    [InlineData("2019-05-21T")]
    [InlineData("2019-05-21t19:25:39")]
    [InlineData("2019-05-21T19:25:39 Europe/Paris")]
    [InlineData("2019-05-21T19:25:39+2")]
    [InlineData("2019-05-21T19:25:39+24:00")]
    [InlineData("0000-01-01")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("9999-12-31T23:00:00-01:00")]
    [InlineData("Sat, 8 Nov 2014 15:05:02")]
    [InlineData("Sat, 8 Foo 2014 15:05:02 GMT")]
    [InlineData("Sat, 8 Nov 214 15:05:02 GMT")]
    [InlineData("Sat, 31 Nov 2014 15:05:02 GMT")]
    [InlineData("Sat, 8 Nov 2014 15:05:02 +02:00")]
    [InlineData("Sat, 8 Nov 2014 15:05:02 PST")]
    [InlineData("yesterday")]
    [InlineData("12 minutes")]
    public void TryParseDateTime_InvalidText_ReturnsFalse(string text)
    {
        Assert.False(KqlValueParser.TryParseDateTime(text, out var value));
        Assert.Equal(default, value);
    }

    public static TheoryData<string, TimeSpan> ValidTimeSpans => new()
    {
        { "00:10:00", TimeSpan.FromMinutes(10) },
        { "1.02:03:04.5", new TimeSpan(1, 2, 3, 4, 500) },
        { "-1.02:03:04.5", -new TimeSpan(1, 2, 3, 4, 500) },
        { "02:03", new TimeSpan(2, 3, 0) },
        { "2:03:04", new TimeSpan(2, 3, 4) },
        { "00:00:00.0000001", TimeSpan.FromTicks(1) },
        { "10675199.02:48:05.4775807", TimeSpan.MaxValue },
        { "-10675199.02:48:05.4775808", TimeSpan.MinValue },
        { "10m", TimeSpan.FromMinutes(10) },
        { "10min", TimeSpan.FromMinutes(10) },
        { "2d", TimeSpan.FromDays(2) },
        { "365d", TimeSpan.FromDays(365) },
        { "100ms", TimeSpan.FromMilliseconds(100) },
        { "1.5h", TimeSpan.FromMinutes(90) },
        { "-1.5h", TimeSpan.FromMinutes(-90) },
        { "1hr", TimeSpan.FromHours(1) },
        { "2hrs", TimeSpan.FromHours(2) },
        { "1hour", TimeSpan.FromHours(1) },
        { "2HOURS", TimeSpan.FromHours(2) },
        { "1day", TimeSpan.FromDays(1) },
        { "30s", TimeSpan.FromSeconds(30) },
        { "30sec", TimeSpan.FromSeconds(30) },
        { "1second", TimeSpan.FromSeconds(1) },
        { "2seconds", TimeSpan.FromSeconds(2) },
        { "1minute", TimeSpan.FromMinutes(1) },
        { "5milli", TimeSpan.FromMilliseconds(5) },
        { "5millis", TimeSpan.FromMilliseconds(5) },
        { "5millisecond", TimeSpan.FromMilliseconds(5) },
        { "7microseconds", TimeSpan.FromTicks(70) },
        { "1microsecond", TimeSpan.FromTicks(10) },
        { "42ticks", TimeSpan.FromTicks(42) },
        { "1tick", TimeSpan.FromTicks(1) },
        { "0.00000015s", TimeSpan.FromTicks(1) },
        { "-0.00000015s", TimeSpan.FromTicks(-1) },
    };

    [Theory]
    [MemberData(nameof(ValidTimeSpans))]
    public void TryParseTimeSpan_AcceptedForm_ReturnsValue(string text, TimeSpan expected)
    {
        Assert.True(KqlValueParser.TryParseTimeSpan(text, out var actual));
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("12 minutes")]
    [InlineData("10 m")]
    [InlineData("10")]
    [InlineData("1.5")]
    [InlineData(".5h")]
    [InlineData("1.h")]
    [InlineData("10w")]
    [InlineData("10mins")]
    [InlineData("24:00:00")]
    [InlineData("00:60:00")]
    [InlineData("00:00:60")]
    [InlineData("00:00:00.12345678")]
    [InlineData("123:00")]
    [InlineData("123456789.00:00:00")]
    [InlineData("--1h")]
    [InlineData("+1h")]
    [InlineData("10675200d")]
    [InlineData("10675199.02:48:05.4775808")]
    public void TryParseTimeSpan_InvalidText_ReturnsFalse(string text)
    {
        Assert.False(KqlValueParser.TryParseTimeSpan(text, out var value));
        Assert.Equal(TimeSpan.Zero, value);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("False", false)]
    [InlineData("1", true)]
    [InlineData(" 0 ", false)]
    public void TryParseBool_AcceptedForm_ReturnsValue(string text, bool expected)
    {
        Assert.True(KqlValueParser.TryParseBool(text, out var b));
        Assert.Equal(expected, b);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("2")]
    [InlineData("")]
    [InlineData("t")]
    public void TryParseBool_InvalidText_ReturnsFalse(string text) =>
        Assert.False(KqlValueParser.TryParseBool(text, out _));

    [Fact]
    public void TryParse_EachType_ReturnsClrValue()
    {
        AssertParsed(KqlType.String, " x ", " x ");
        AssertParsed(KqlType.Int, "-42", -42);
        AssertParsed(KqlType.Int, "+7", 7);
        AssertParsed(KqlType.Long, "9223372036854775807", long.MaxValue);
        AssertParsed(KqlType.Real, "1.5e3", 1500.0);
        AssertParsed(KqlType.Real, ".5", 0.5);
        AssertParsed(KqlType.Real, "-inf", double.NegativeInfinity);
        AssertParsed(KqlType.Real, "inf", double.PositiveInfinity);
        AssertParsed(KqlType.Real, "Infinity", double.PositiveInfinity);
        AssertParsed(KqlType.Decimal, "123.456", 123.456m);
        AssertParsed(KqlType.Bool, "True", true);
        AssertParsed(KqlType.DateTime, "2019-05-21", Utc(2019, 5, 21));
        AssertParsed(KqlType.TimeSpan, "10m", TimeSpan.FromMinutes(10));
        AssertParsed(KqlType.Guid, "0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f", Guid.Parse("0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f"));
        AssertParsed(KqlType.Guid, "{0A1B2C3D-0A1B-0A1B-0A1B-0A1B2C3D4E5F}", Guid.Parse("0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f"));
        AssertParsed(KqlType.Guid, "0a1b2c3d0a1b0a1b0a1b0a1b2c3d4e5f", Guid.Parse("0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f"));
        AssertParsed(KqlType.Dynamic, "{\"a\":[1,2]}", "{\"a\":[1,2]}");
        AssertParsed(KqlType.Dynamic, " 12 ", "12");
        AssertParsed(KqlType.Dynamic, "hello \"world\"", "\"hello \\\"world\\\"\"");
    }

    [Fact]
    public void TryParse_RealNaN_ReturnsNaN()
    {
        Assert.True(KqlValueParser.TryParse("NaN", KqlType.Real, out var v));
        Assert.True(double.IsNaN((double)v!));
    }

    [Theory]
    [InlineData(KqlType.Int)]
    [InlineData(KqlType.Long)]
    [InlineData(KqlType.Real)]
    [InlineData(KqlType.Decimal)]
    [InlineData(KqlType.Bool)]
    [InlineData(KqlType.DateTime)]
    [InlineData(KqlType.TimeSpan)]
    [InlineData(KqlType.Guid)]
    [InlineData(KqlType.Dynamic)]
    public void TryParse_EmptyText_ReturnsNull(KqlType type)
    {
        Assert.True(KqlValueParser.TryParse("", type, out var v));
        Assert.Null(v);
        Assert.True(KqlValueParser.TryParse("  ", type, out v));
        Assert.Null(v);
    }

    [Fact]
    public void TryParse_EmptyString_ReturnsEmptyString()
    {
        Assert.True(KqlValueParser.TryParse("", KqlType.String, out var v));
        Assert.Equal("", v);
    }

    [Theory]
    [InlineData(KqlType.Int, "1.5")]
    [InlineData(KqlType.Int, "2147483648")]
    [InlineData(KqlType.Int, "0x10")]
    [InlineData(KqlType.Int, "1_000")]
    [InlineData(KqlType.Long, "1e3")]
    [InlineData(KqlType.Long, "9223372036854775808")]
    [InlineData(KqlType.Real, "1,5")]
    [InlineData(KqlType.Real, "abc")]
    [InlineData(KqlType.Real, "1e")]
    [InlineData(KqlType.Decimal, "nan")]
    [InlineData(KqlType.Decimal, "100000000000000000000")]
    [InlineData(KqlType.Bool, "yes")]
    [InlineData(KqlType.Guid, "not-a-guid")]
    [InlineData(KqlType.Guid, "0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5")]
    [InlineData(KqlType.DateTime, "not a date")]
    [InlineData(KqlType.TimeSpan, "12 minutes")]
    public void TryParse_InvalidText_ReturnsFalse(KqlType type, string text)
    {
        Assert.False(KqlValueParser.TryParse(text, type, out var v));
        Assert.Null(v);
    }

    [Fact]
    public void TryParse_DynamicJsonNull_ReturnsNull()
    {
        Assert.True(KqlValueParser.TryParse("null", KqlType.Dynamic, out var v));
        Assert.Null(v);
    }

    [Property(MaxTest = 500)]
    public Property TryParseTimeSpan_FormattedClock_RoundTrips() =>
        Prop.ForAll(AnyTicks().ToArbitrary(), ticks =>
        {
            var ts = new TimeSpan(ticks);
            return KqlValueParser.TryParseTimeSpan(FormatClock(ts), out var parsed) && parsed == ts;
        });

    [Property(MaxTest = 500)]
    public Property TryParseDateTime_IsoRoundTrip_ReturnsSameInstant() =>
        Prop.ForAll(AnyTicks().Select(t => (long)((ulong)t % (ulong)(DateTime.MaxValue.Ticks + 1))).ToArbitrary(), ticks =>
        {
            var dt = new DateTime(ticks, DateTimeKind.Utc);
            var text = dt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
            return KqlValueParser.TryParseDateTime(text, out var parsed) && parsed == dt && parsed.Kind == DateTimeKind.Utc;
        });

    [Property(MaxTest = 200)]
    public Property TryParseDateTime_OffsetForm_EqualsUtcMinusOffset() =>
        Prop.ForAll(
            Gen.Choose(0, 3_000_000).Select(d => new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(d * 7L)).ToArbitrary(),
            Gen.Choose(-23 * 60 - 59, 23 * 60 + 59).ToArbitrary(),
            (local, offsetMinutes) =>
            {
                var offset = TimeSpan.FromMinutes(offsetMinutes);
                var sign = offsetMinutes < 0 ? "-" : "+";
                var text = local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + sign + offset.Duration().ToString("hh\\:mm", CultureInfo.InvariantCulture);
                return KqlValueParser.TryParseDateTime(text, out var parsed) && parsed == local - offset;
            });

    private static Gen<long> AnyTicks() =>
        Gen.Choose(int.MinValue, int.MaxValue).Zip(Gen.Choose(int.MinValue, int.MaxValue), (hi, lo) => ((long)hi << 32) | (uint)lo);

    // [-][d.]hh:mm:ss.fffffff
    private static string FormatClock(TimeSpan ts)
    {
        var ticks = (Int128)ts.Ticks;
        var sign = ticks < 0 ? "-" : "";
        var abs = ticks < 0 ? -ticks : ticks;
        var days = (long)(abs / TimeSpan.TicksPerDay);
        var rest = (long)(abs % TimeSpan.TicksPerDay);
        var clock = string.Create(CultureInfo.InvariantCulture,
            $"{rest / TimeSpan.TicksPerHour:00}:{rest / TimeSpan.TicksPerMinute % 60:00}:{rest / TimeSpan.TicksPerSecond % 60:00}.{rest % TimeSpan.TicksPerSecond:0000000}");
        return days > 0 ? $"{sign}{days.ToString(CultureInfo.InvariantCulture)}.{clock}" : sign + clock;
    }

    private static void AssertParsed(KqlType type, string text, object expected)
    {
        Assert.True(KqlValueParser.TryParse(text, type, out var v), $"{text} as {type}");
        Assert.Equal(expected, v);
    }
}

public sealed class KqlValueParserWholeNumberTests
{
    [Theory]
    [InlineData("1586371994743.0", 1586371994743L)]
    [InlineData("-7.000", -7L)]
    [InlineData("42.", 42L)]
    public void TryParse_LongWithZeroFraction_Accepted(string text, long expected)
    {
        Assert.True(Tributary.Kql.Values.KqlValueParser.TryParse(text, KqlType.Long, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("1.05")]
    public void TryParse_LongWithFraction_Rejected(string text) =>
        Assert.False(Tributary.Kql.Values.KqlValueParser.TryParse(text, KqlType.Long, out _));
}
