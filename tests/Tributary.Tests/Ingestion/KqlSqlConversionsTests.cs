using Tributary.Kql.Binding;
using System.Globalization;
using DuckDB.NET.Data;
using Tributary.Kql;
using Tributary.Kql.Values;
using Tributary.Store;
using Tributary.Store.Ingestion;

namespace Tributary.Tests.Ingestion;

/// <summary>The SQL conversions used by file ingestion agree with <see cref="KqlValueParser"/> on a shared corpus.</summary>
public sealed class KqlSqlConversionsTests : IDisposable
{
    private static readonly string[] DateTimeCorpus =
    [
        "2019-05-21T19:25:39Z", "2019-05-21T19:25:39", "2019-05-21 19:25:39", "2019-05-21T19:25:39.5Z",
        "2019-05-21T19:25:39.1234567Z", "2019-05-21T19:25:39.9999999", "2019-05-21T19:25:39+02:00", "2019-05-21T19:25:39-0130",
        "2019-05-21 19:25:39.123+05:45", "2019-05-21", "2014-11-08 15:05", "2014-11-08T15:05Z", "2014-11-08T15:05+01:00",
        "2014-11-08 15:05:07.1234567-02:00", "  2019-05-21T19:25:39Z\t", "2020-02-29", "2019-01-01T00:30:00+01:00",
        "0001-01-01", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.9999999",
        "Sat, 8 Nov 2014 15:05:02 GMT", "Sat, 08 Nov 2014 15:05:02 UTC", "Sat, 8 Nov 2014 15:05:02 +0200",
        "8 Nov 14 15:05 GMT", "8 nov 99 15:05 gmt", "Mon,8 Nov 2014 15:05:02 -0030", "Sun, 29 Feb 2004 23:59:59 Z",
        "1 Jan 2000 00:00 UT", "31 Dec 49 23:59:59 +2359",
        // invalid
        "", "2019-02-29", "2019-13-01", "2019-00-10", "2019-05-21T24:00:00", "2019-05-21T19:60:00", "2019-05-21T19:25:60",
        "2019-05-21T19:25:39.12345678Z", "2019-05-21T19:25:39.Z", "2019-5-21", "19-05-21", "2019-05-21T", "2019-05-21t19:25:39",
        "2019-05-21T19:25:39 Europe/Paris", "2019-05-21T19:25:39+2", "2019-05-21T19:25:39+24:00", "2019-05-21T19:25:39z",
        "0000-01-01", "0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-01:00", "Sat, 8 Nov 2014 15:05:02",
        "Sat, 8 Foo 2014 15:05:02 GMT", "Sat, 8 Nov 214 15:05:02 GMT", "Sat, 31 Nov 2014 15:05:02 GMT",
        "Sat, 8 Nov 2014 15:05:02 +02:00", "Sat, 8 Nov 2014 15:05:02 PST", "Sat 8 Nov 2014 15:05:02 GMT",
        "8 Nov 2014 15:05:02  GMT", "yesterday", "epoch", "infinity", "12 minutes", "2019-05-21 24:00", "2019/05/21",
        "20190521T192539Z", "2019-05-21T19:25:39.123 Z",
    ];

    private static readonly string[] TimeSpanCorpus =
    [
        "00:10:00", "1.02:03:04.5", "-1.02:03:04.5", "02:03", "2:03:04", "00:00:00.0000001", "23:59:59.9999999",
        "10675199.02:48:05.4775807", "-10675199.02:48:05.4775808", "10m", "10min", "2d", "365d", "100ms", "1.5h", "-1.5h",
        "1hr", "2hrs", "1hour", "2HOURS", "1day", "3days", "30s", "30sec", "1second", "2seconds", "1minute", "7minutes",
        "5milli", "5millis", "5millisecond", "8milliseconds", "7microseconds", "1microsecond", "42ticks", "1tick",
        "0.00000015s", "-0.00000015s", "0.123456789012345678d", "999999999999999999ticks", " 10m ", "-0:00",
        // invalid
        "", "-", "12 minutes", "10 m", "10", "1.5", ".5h", "1.h", "10w", "10mins", "24:00:00", "00:60:00", "00:00:60",
        "00:00:00.12345678", "123:00", "123456789.00:00:00", "--1h", "+1h", "10675200d", "10675199.02:48:05.4775808",
        "1000000000000000000d", "1:2:3", "P1D", "1.02:03:04.",
    ];

    private readonly DuckDBConnection _connection;

    public KqlSqlConversionsTests()
    {
        _connection = new DuckDBConnection("Data Source=:memory:");
        _connection.Open();
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SET TimeZone='UTC'; SET autoinstall_known_extensions=false;";
        cmd.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();

    [Fact]
    public void Convert_DateTimeCorpus_AgreesWithKqlValueParser()
    {
        var sql = Run(KqlType.DateTime, DateTimeCorpus);
        for (var i = 0; i < DateTimeCorpus.Length; i++)
        {
            var text = DateTimeCorpus[i];
            object? expected = KqlValueParser.TryParseDateTime(text, out var dt) ? new DateTime(dt.Ticks) : null;
            var actual = sql[i] is long ticks ? (object)new DateTime(ticks) : null;
            Assert.True(Equals(expected, actual), $"'{text}': parser {expected:o}, SQL {actual:o}");
        }

        Assert.Equal(30, sql.Count(v => v is not null));
    }

    [Fact]
    public void Convert_TimeSpanCorpus_AgreesWithKqlValueParser()
    {
        var sql = Run(KqlType.TimeSpan, TimeSpanCorpus);
        for (var i = 0; i < TimeSpanCorpus.Length; i++)
        {
            var text = TimeSpanCorpus[i];
            object? expected = KqlValueParser.TryParseTimeSpan(text, out var ts) ? ts.Ticks : null;
            Assert.True(Equals(expected, sql[i]), $"'{text}': parser {expected}, SQL {sql[i]}");
        }

        Assert.Equal(42, sql.Count(v => v is not null));
    }

    [Theory]
    [InlineData(KqlType.Int, new[] { "1", "-42", "+7", " 8 ", "2147483647", "2147483648", "1.5", "1e3", "0x10", "1_000", "abc", "" })]
    [InlineData(KqlType.Long, new[] { "9223372036854775807", "9223372036854775808", "-5", "1.0", "00012" })]
    [InlineData(KqlType.Real, new[] { "1.5", "-2e-3", ".5", "5.", "NaN", "nan", "-inf", "+Infinity", "INF", "1e400", "1_0", "1,5", "e5", "0x1p3" })]
    [InlineData(KqlType.Decimal, new[] { "1.5", "-123.456789", "1e3", "99999999999999999999.5", "100000000000000000000", "nan", "1_0" })]
    [InlineData(KqlType.Bool, new[] { "true", "FALSE", "1", "0", "yes", "t", " True " })]
    [InlineData(KqlType.Guid, new[] { "0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f", "0A1B2C3D0A1B0A1B0A1B0A1B2C3D4E5F", "{0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f}", "(0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f)", "{0a1b2c3d0a1b0a1b0a1b0a1b2c3d4e5f}", "0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5", "xyz" })]
    public void Convert_ScalarCorpus_AgreesWithKqlValueParser(KqlType type, string[] corpus)
    {
        var sql = Run(type, corpus);
        for (var i = 0; i < corpus.Length; i++)
        {
            KqlValueParser.TryParse(corpus[i], type, out var expected);
            var actual = sql[i];
            if (expected is double d && actual is double a)
            {
                Assert.True(d.Equals(a), $"'{corpus[i]}': parser {d}, SQL {a}");
            }
            else
            {
                Assert.True(Equals(expected, actual), $"'{corpus[i]}' as {type}: parser {expected}, SQL {actual}");
            }
        }
    }

    private List<object?> Run(KqlType type, string[] corpus)
    {
        var values = string.Join(", ", corpus.Select((s, i) => $"({i.ToString(CultureInfo.InvariantCulture)}, {Sql.String(s)})"));
        using var cmd = _connection.CreateCommand();
        cmd.CommandText =
            $"SELECT i, {KqlSqlConversions.Validate(type, "v")} FROM (" +
            $"SELECT i, {KqlSqlConversions.Convert(type, "r")} AS v FROM (VALUES {values}) src(i, r)) ORDER BY i";
        using var reader = cmd.ExecuteReader();
        var result = new List<object?>();
        while (reader.Read())
        {
            result.Add(reader.IsDBNull(1) ? null : reader.GetValue(1));
        }

        return result;
    }
}
