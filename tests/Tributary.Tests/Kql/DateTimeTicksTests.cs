using Tributary.Tests.Store;

namespace Tributary.Tests.Kql;

/// <summary>Datetimes keep Kusto's 100 ns ticks, and its range of years 1 to 9999, in queries, tables and text.</summary>
public sealed class DateTimeTicksTests : StoreTestBase
{
    private static readonly DateTime Sample = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1_234_567);

    [Fact]
    public void Literal_WithSevenFractionDigits_RoundTripsThroughTextAndParts()
    {
        var row = S.Rows("""
            let d = datetime(2024-01-02 03:04:05.1234567);
            print d, s = tostring(d), f = format_datetime(d, 'HH:mm:ss.fffffff'), g = format_datetime(datetime(2024-01-02 03:04:05.1200000), 's.FFFFFFF'),
                n = datetime_part('nanosecond', d), back = todatetime(tostring(d)), j = tostring(pack('d', d))
            """)[0];
        Assert.Equal<object?>(
            [Sample, "2024-01-02T03:04:05.1234567Z", "03:04:05.1234567", "5.12", 123456700, Sample, """{"d":"2024-01-02T03:04:05.1234567Z"}"""],
            row);
    }

    [Fact]
    public void StoredDatetime_KeepsItsTicks_ThroughIngestAndSetOrAppend()
    {
        S.Execute(".create table T (id:long, t:datetime)");
        S.Execute(".ingest inline into table T <|\n1,2024-01-02T03:04:05.1234567Z\n2,2024-01-02T03:04:05.1234568Z");
        S.Execute(".set-or-append U <| T | extend next = t + 1tick");

        Assert.Equal([Sample, Sample.AddTicks(1)], S.Column("T | order by id asc", "t"));
        Assert.Equal(1L, S.Scalar("T | where t == datetime(2024-01-02 03:04:05.1234567) | count"));
        Assert.Equal(1L, S.Scalar("T | where t > datetime(2024-01-02 03:04:05.1234567) | count"));
        Assert.Equal([Sample.AddTicks(1), Sample.AddTicks(2)], S.Column("U | order by id asc", "next"));
    }

    [Fact]
    public void Arithmetic_IsExactToTheTick()
    {
        var row = S.Rows("""
            datatable(a:datetime, b:datetime)[datetime(2024-01-02 03:04:05.1234568), datetime(2024-01-02 03:04:05.1234567)]
            | project span = a - b, ticks = tolong(a - b), later = b + 3tick, ns = datetime_diff('nanosecond', a, b),
                us = datetime_diff('microsecond', a, b), tickOf = tolong(b) % 10000000
            """)[0];
        Assert.Equal<object?>([TimeSpan.FromTicks(1), 1L, Sample.AddTicks(3), 100L, 0L, 1_234_567L], row);
    }

    [Fact]
    public void Bins_AndSeriesAxes_AreOnTicks()
    {
        S.Execute(".create table T (t:datetime, v:long)");
        S.Execute(".ingest inline into table T <|\n2024-01-01T00:00:00.0000015Z,1\n2024-01-01T00:00:00.0000025Z,2\n2024-01-01T00:00:00.0000031Z,4");

        Assert.Equal(
            [new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(10), new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(20), new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(30)],
            S.Column("T | summarize sum(v) by b = bin(t, 10tick) | order by b asc", "b"));
        var series = S.Rows("T | make-series s = sum(v) on t step 10tick");
        Assert.Equal("""["2024-01-01T00:00:00.0000010Z","2024-01-01T00:00:00.0000020Z","2024-01-01T00:00:00.0000030Z"]""", series[0][0]);
        Assert.Equal("[1,2,4]", series[0][1]);
    }

    [Fact]
    public void Range_IsYears1To9999_ToTheLastTick()
    {
        var row = S.Rows("""
            print first = datetime(0001-01-01), last = datetime(9999-12-31 23:59:59.9999999), yearEnd = endofyear(datetime(9999-06-01)),
                parsed = todatetime('9999-12-31T23:59:59.9999999Z'), early = todatetime('1500-06-01T12:00:00.1234567Z')
            """)[0];
        Assert.Equal<object?>(
            [new DateTime(1, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(DateTime.MaxValue.Ticks, DateTimeKind.Utc), new DateTime(DateTime.MaxValue.Ticks, DateTimeKind.Utc),
             new DateTime(DateTime.MaxValue.Ticks, DateTimeKind.Utc), new DateTime(1500, 6, 1, 12, 0, 0, DateTimeKind.Utc).AddTicks(1_234_567)],
            row);
    }
}
