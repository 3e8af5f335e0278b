using Tributary.Charts;

namespace Tributary.Tests.Charts;

public sealed class ChartSeriesBuilderTests
{
    [Fact]
    public void Build_SortsPointsByXStably()
    {
        var builder = new ChartSeriesBuilder();
        builder.Add("a", "A", 3, 30);
        builder.Add("a", "A", 1, 10);
        builder.Add("a", "A", 2, 20);
        builder.Add("a", "A", 1, 11);

        var series = Assert.Single(builder.Build(20, sumSameX: false));

        Assert.Equal([1, 1, 2, 3], series.X);
        Assert.Equal([10, 11, 20, 30], series.Y);
        Assert.Equal(71, series.Total);
    }

    [Fact]
    public void Build_SumSameX_AddsPointsThatShareX()
    {
        var builder = new ChartSeriesBuilder();
        builder.Add("a", "A", 1, 5);
        builder.Add("a", "A", 0, 1);
        builder.Add("a", "A", 1, 2);

        var series = Assert.Single(builder.Build(20, sumSameX: true));

        Assert.Equal([0, 1], series.X);
        Assert.Equal([1, 7], series.Y);
    }

    [Fact]
    public void Build_TooManySeries_KeepsLargestTotalsInFirstSeenOrder()
    {
        var builder = new ChartSeriesBuilder();
        builder.Add("small", "small", 0, 1);
        builder.Add("big", "big", 0, 100);
        builder.Add("negative", "negative", 0, -50);
        builder.Add("medium", "medium", 0, 10);

        var series = builder.Build(3, sumSameX: false);

        Assert.Equal(4, builder.Count);
        Assert.Equal(["big", "negative", "medium"], series.Select(s => s.Name));
    }

    [Fact]
    public void Add_SameNameDifferentKey_AreDifferentSeries()
    {
        var builder = new ChartSeriesBuilder();
        builder.Add("a / b\u001fc", "a / b / c", 0, 1);
        builder.Add("a\u001fb / c", "a / b / c", 0, 1);

        Assert.Equal(2, builder.Count);
    }
}
