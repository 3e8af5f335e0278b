using System.Text;
using System.Text.Json;
using Tributary.Kql.Values;

namespace Tributary.Kql.Tests.Values;

public sealed class KqlValueFormatterTests
{
    [Theory]
    [InlineData(KqlType.String)]
    [InlineData(KqlType.Int)]
    [InlineData(KqlType.Real)]
    [InlineData(KqlType.DateTime)]
    [InlineData(KqlType.TimeSpan)]
    [InlineData(KqlType.Dynamic)]
    public void Format_Null_IsEmpty(KqlType type) => Assert.Equal("", KqlValueFormatter.Format(null, type));

    [Fact]
    public void Format_DateTime_IsIsoUtcWithSevenDigits()
    {
        var value = new DateTime(2019, 5, 21, 19, 25, 39, DateTimeKind.Utc);
        Assert.Equal("2019-05-21T19:25:39.0000000Z", KqlValueFormatter.Format(value, KqlType.DateTime));
    }

    [Fact]
    public void Format_DateTimeWithTicks_KeepsAllDigits()
    {
        var value = new DateTime(2019, 5, 21, 19, 25, 39, DateTimeKind.Utc).AddTicks(1234567);
        Assert.Equal("2019-05-21T19:25:39.1234567Z", KqlValueFormatter.Format(value, KqlType.DateTime));
    }

    [Fact]
    public void Format_UnspecifiedDateTime_IsTakenAsUtc()
    {
        var value = new DateTime(2019, 5, 21, 0, 0, 0, DateTimeKind.Unspecified);
        Assert.Equal("2019-05-21T00:00:00.0000000Z", KqlValueFormatter.Format(value, KqlType.DateTime));
    }

    [Fact]
    public void Format_LocalDateTime_IsConvertedToUtc()
    {
        var utc = new DateTime(2019, 5, 21, 12, 0, 0, DateTimeKind.Utc);
        Assert.Equal("2019-05-21T12:00:00.0000000Z", KqlValueFormatter.Format(utc.ToLocalTime(), KqlType.DateTime));
    }

    [Theory]
    [InlineData(0, 0, 10, 0, "00:10:00.0000000")]
    [InlineData(0, 10, 0, 0, "10:00:00.0000000")]
    [InlineData(0, 0, 0, 0, "00:00:00.0000000")]
    [InlineData(1, 2, 3, 4.5, "1.02:03:04.5000000")]
    [InlineData(0, 0, 0, -1, "-00:00:01.0000000")]
    [InlineData(-3, 0, 0, 0, "-3.00:00:00.0000000")]
    [InlineData(0, 23, 59, 59.9999999, "23:59:59.9999999")]
    public void Format_TimeSpan_IsDaysHoursMinutesSecondsFraction(int days, int hours, int minutes, double seconds, string expected)
    {
        var value = new TimeSpan(days, hours, minutes, 0) + TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        Assert.Equal(expected, KqlValueFormatter.Format(value, KqlType.TimeSpan));
    }

    [Fact]
    public void Format_TimeSpanSingleTick_ShowsSeventhDigit() =>
        Assert.Equal("00:00:00.0000001", KqlValueFormatter.Format(TimeSpan.FromTicks(1), KqlType.TimeSpan));

    [Fact]
    public void Format_TimeSpanExtremes_DoNotOverflow()
    {
        Assert.Equal("10675199.02:48:05.4775807", KqlValueFormatter.Format(TimeSpan.MaxValue, KqlType.TimeSpan));
        Assert.Equal("-10675199.02:48:05.4775808", KqlValueFormatter.Format(TimeSpan.MinValue, KqlType.TimeSpan));
    }

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(1.0, "1")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(1e20, "1E+20")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Format_Real_IsShortestRoundTrip(double value, string expected) =>
        Assert.Equal(expected, KqlValueFormatter.Format(value, KqlType.Real));

    [Fact]
    public void Format_Real_RoundTrips()
    {
        foreach (var value in new[] { Math.PI, 1.0 / 3, double.Epsilon, double.MaxValue, -1e-300 })
        {
            var text = KqlValueFormatter.Format(value, KqlType.Real);
            Assert.Equal(value, double.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [InlineData("1.500000000000000000", "1.5")]
    [InlineData("-2.50", "-2.5")]
    [InlineData("0.000000000000000000", "0")]
    [InlineData("0.000010000000000000", "0.00001")]
    [InlineData("123456789012345678.25", "123456789012345678.25")]
    public void Format_Decimal_IsInvariantWithoutTrailingZeros(string value, string expected) =>
        Assert.Equal(expected, KqlValueFormatter.Format(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), KqlType.Decimal));

    [Fact]
    public void Format_Scalars_AreInvariant()
    {
        Assert.Equal("true", KqlValueFormatter.Format(true, KqlType.Bool));
        Assert.Equal("false", KqlValueFormatter.Format(false, KqlType.Bool));
        Assert.Equal("-42", KqlValueFormatter.Format(-42, KqlType.Int));
        Assert.Equal("9223372036854775807", KqlValueFormatter.Format(long.MaxValue, KqlType.Long));
        Assert.Equal("a,b\n\"c\"", KqlValueFormatter.Format("a,b\n\"c\"", KqlType.String));
    }

    [Fact]
    public void Format_Guid_IsLowercaseD()
    {
        var value = Guid.Parse("74BE27DE-1E4E-49D9-B579-FE0B331D3642");
        Assert.Equal("74be27de-1e4e-49d9-b579-fe0b331d3642", KqlValueFormatter.Format(value, KqlType.Guid));
    }

    [Fact]
    public void Format_Dynamic_IsJsonTextAsIs() =>
        Assert.Equal("{\"a\": [1, 2]}", KqlValueFormatter.Format("{\"a\": [1, 2]}", KqlType.Dynamic));

    [Fact]
    public void WriteJson_WritesTypedValues()
    {
        var json = WriteArray(
            (null, KqlType.String),
            (true, KqlType.Bool),
            (7, KqlType.Int),
            (-8L, KqlType.Long),
            (0.5, KqlType.Real),
            (1.500000000000000000m, KqlType.Decimal),
            ("x\"y", KqlType.String),
            (new DateTime(2019, 5, 21, 19, 25, 39, DateTimeKind.Utc), KqlType.DateTime),
            (TimeSpan.FromMinutes(10), KqlType.TimeSpan),
            (Guid.Parse("74be27de-1e4e-49d9-b579-fe0b331d3642"), KqlType.Guid),
            ("{\"a\":[1,2]}", KqlType.Dynamic));

        Assert.Equal(
            "[null,true,7,-8,0.5,1.5,\"x\\u0022y\",\"2019-05-21T19:25:39.0000000Z\",\"00:10:00.0000000\",\"74be27de-1e4e-49d9-b579-fe0b331d3642\",{\"a\":[1,2]}]",
            json);
    }

    [Fact]
    public void WriteJson_NonFiniteReal_IsString() =>
        Assert.Equal(
            "[\"NaN\",\"Infinity\",\"-Infinity\"]",
            WriteArray((double.NaN, KqlType.Real), (double.PositiveInfinity, KqlType.Real), (double.NegativeInfinity, KqlType.Real)));

    [Fact]
    public void WriteJson_DynamicScalarsAndNull_AreRawOrNull() =>
        Assert.Equal(
            "[42,\"s\",null,null,null]",
            WriteArray(("42", KqlType.Dynamic), ("\"s\"", KqlType.Dynamic), ("null", KqlType.Dynamic), ("", KqlType.Dynamic), (null, KqlType.Dynamic)));

    [Theory]
    [InlineData("{not json")]
    [InlineData("1 2")]
    [InlineData("[1] // comment")]
    public void WriteJson_InvalidDynamic_IsString(string text)
    {
        var json = WriteArray((text, KqlType.Dynamic));
        using var document = JsonDocument.Parse(json);
        Assert.Equal(text, document.RootElement[0].GetString());
    }

    [Fact]
    public void WriteJson_StringHoldingJson_IsNotRaw() =>
        Assert.Equal("[\"[1]\"]", WriteArray(("[1]", KqlType.String)));

    private static string WriteArray(params (object? Value, KqlType Type)[] cells)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            foreach (var (value, type) in cells)
            {
                KqlValueFormatter.WriteJson(writer, value, type);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
