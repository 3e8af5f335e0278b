using Tributary.Charts;
using Tributary.Kql;
using Tributary.Query;

namespace Tributary.Tests.Charts;

public sealed class SeriesExpanderTests
{
    private static readonly QueryResult Series = new(
        [new("Source", KqlType.String), new("T", KqlType.Dynamic), new("n", KqlType.Dynamic)],
        [
            ["a", "[\"2024-01-01T00:00:00.0000000Z\",\"2024-01-01T00:10:00.0000000Z\"]", "[1,2]"],
            ["b", "[\"2024-01-01T00:00:00.0000000Z\",\"2024-01-01T00:10:00.0000000Z\"]", "[3,0]"],
        ]);

    [Fact]
    public void Expand_MakeSeriesResult_OneRowPerPoint()
    {
        var expanded = SeriesExpander.Expand(Series);

        Assert.Equal(["Source", "T", "n"], expanded.Columns.Select(c => c.Name));
        Assert.Equal([KqlType.String, KqlType.DateTime, KqlType.Real], expanded.Columns.Select(c => c.Type));
        Assert.Equal(4, expanded.Rows.Count);
        Assert.Equal(new object?[] { "b", new DateTime(2024, 1, 1, 0, 10, 0, DateTimeKind.Utc), 0.0 }, expanded.Rows[3]);
    }

    [Fact]
    public void Expand_NoArrays_PassesThrough()
    {
        var plain = new QueryResult([new("n", KqlType.Long)], [[1L]]);
        Assert.Same(plain, SeriesExpander.Expand(plain));
    }
}
