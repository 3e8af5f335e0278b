using Tributary.Kql;

namespace Tributary.Tests.Kql;

/// <summary>make-series: arrays over [from, to) in steps, defaults for empty bins, one row per group.</summary>
public sealed class MakeSeriesTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private const string Events = """
        datatable(T:datetime, Source:string, N:long)[
          datetime(2024-01-01 00:05), "a", 1,
          datetime(2024-01-01 00:15), "a", 2,
          datetime(2024-01-01 00:16), "a", 3,
          datetime(2024-01-01 00:45), "b", 4,
          datetime(2024-01-01 01:30), "b", 5]
        """;

    [Fact]
    public void MakeSeries_FromToStepBy_ArraysPerGroupWithDefaults()
    {
        var result = store.Run(Events + " | make-series c = count(), s = sum(N) default = -1 on T from datetime(2024-01-01) to datetime(2024-01-01 01:00) step 20m by Source | order by Source asc");

        Assert.Equal(["Source", "T", "c", "s"], result.Columns.Select(c => c.Name));
        Assert.Equal(["a", "b"], result.Column("Source"));
        Assert.Equal("[\"2024-01-01T00:00:00.0000000Z\",\"2024-01-01T00:20:00.0000000Z\",\"2024-01-01T00:40:00.0000000Z\"]", result.Rows[0][1]);
        Assert.Equal("[3,0,0]", result.Rows[0][2]);
        Assert.Equal("[6,-1,-1]", result.Rows[0][3]);
        Assert.Equal("[0,0,1]", result.Rows[1][2]);
    }

    [Fact]
    public void MakeSeries_WithoutFromTo_SpansTheData()
    {
        var result = store.Run(Events + " | make-series c = count() on T step 1h");

        Assert.Equal("[\"2024-01-01T00:00:00.0000000Z\",\"2024-01-01T01:00:00.0000000Z\"]", result.Rows.Single()[0]);
        Assert.Equal("[4,1]", result.Rows.Single()[1]);
    }

    [Fact]
    public void MakeSeries_NumericAxis_LongBins()
    {
        var result = store.Run("range x from 1 to 10 step 1 | make-series s = sum(x) on x step 3");

        Assert.Equal("[0,3,6,9]", result.Rows.Single()[0]);
        Assert.Equal("[3,12,21,19]", result.Rows.Single()[1]);
    }

    [Fact]
    public void MakeSeries_ThenMvExpand_BackToRows()
    {
        var result = store.Run(Events + " | make-series c = count() on T from datetime(2024-01-01) to datetime(2024-01-01 02:00) step 1h | mv-expand T to typeof(datetime), c to typeof(long)");

        Assert.Equal([4L, 1L], result.Column("c"));
        Assert.Equal([new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2024, 1, 1, 1, 0, 0, DateTimeKind.Utc)], result.Column("T"));
    }

    [Fact]
    public void MakeSeries_StringAxis_ErrorWithPosition()
    {
        var error = Assert.Throws<KqlException>(() => store.Run(Events + " | make-series c = count() on Source step 1"));

        Assert.Contains("datetime or numeric axis", error.Message);
    }
}
