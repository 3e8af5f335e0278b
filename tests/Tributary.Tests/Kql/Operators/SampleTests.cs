using Tributary.Kql;

namespace Tributary.Tests.Kql.Operators;

/// <summary>sample, sample-distinct and top-hitters: random picks are checked by count, membership and distinctness.</summary>
public sealed class SampleTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private const string Hundred = "range x from 1 to 100 step 1";

    [Fact]
    public void Sample_Documented_GivesTheRequestedNumberOfRowsFromTheInput()
    {
        var result = store.Run("let _data = range x from 1 to 100 step 1; let _sample = _data | sample 1; union (_sample), (_sample)");

        Assert.Equal(2, result.Rows.Count);
        Assert.All(result.Column<long>("x"), x => Assert.InRange(x, 1, 100));
    }

    [Fact]
    public void Sample_RowsAreDistinctRowsOfTheInput()
    {
        var xs = store.Run(Hundred + " | extend y = x * 2 | sample 10").Rows.Select(r => ((long)r[0]!, (long)r[1]!)).ToList();

        Assert.Equal(10, xs.Count);
        Assert.Equal(10, xs.Distinct().Count());
        Assert.All(xs, r => Assert.Equal(r.Item1 * 2, r.Item2));
    }

    [Fact]
    public void Sample_MoreThanTheRows_GivesEveryRow()
    {
        var result = store.Run("range x from 1 to 5 step 1 | sample 50");

        Assert.Equal([1L, 2L, 3L, 4L, 5L], result.Column<long>("x").Order());
    }

    [Fact]
    public void Sample_Zero_GivesNoRows() =>
        Assert.Empty(store.Run(Hundred + " | sample 0").Rows);

    [Fact]
    public void Sample_IsNotAlwaysTheFirstRows()
    {
        // Twenty draws of 3 out of 100 all being 1, 2, 3 would happen with probability (1/161700)^20.
        var draws = Enumerable.Range(0, 20).Select(_ => string.Join(",", store.Run(Hundred + " | sample 3").Column<long>("x").Order())).ToHashSet();

        Assert.True(draws.Count > 1);
    }

    [Fact]
    public void Sample_NegativeCount_ErrorWithPosition()
    {
        var error = Assert.Throws<KqlException>(() => store.Run(Hundred + " | sample -1"));

        Assert.Contains("sample needs a non-negative whole number constant", error.Message);
        Assert.Equal(1, error.Line);
        Assert.Equal(39, error.Column);
    }

    [Fact]
    public void SampleDistinct_GivesDistinctValuesOfTheColumn()
    {
        var values = store.Run(Hundred + " | extend k = x % 7 | sample-distinct 4 of k").Column<long>("k");

        Assert.Equal(4, values.Count);
        Assert.Equal(4, values.Distinct().Count());
        Assert.All(values, v => Assert.InRange(v, 0, 6));
    }

    [Fact]
    public void SampleDistinct_FewerValuesThanAsked_GivesEachOnce()
    {
        var result = store.Run("datatable(s:string)['a', 'b', 'a', 'b', 'c'] | sample-distinct 10 of s");

        Assert.Equal(["s"], result.Names());
        Assert.Equal(["a", "b", "c"], result.Column<string>("s").Order());
    }

    [Fact]
    public void SampleDistinct_WithIn_KeepsAllRowsOfTheSampledKeys()
    {
        var result = store.Run("let data = range x from 1 to 30 step 1 | extend k = x % 5; let keys = data | sample-distinct 2 of k; data | where k in (keys) | summarize n = count() by k");

        Assert.Equal(2, result.Rows.Count);
        Assert.All(result.Column<long>("n"), n => Assert.Equal(6L, n));
    }

    [Fact]
    public void SampleDistinct_Expression_ErrorWithPosition()
    {
        var error = Assert.Throws<KqlException>(() => store.Run(Hundred + " | sample-distinct 3 of x % 2"));

        Assert.Contains("takes a column name after 'of'", error.Message);
        Assert.Equal(55, error.Column);
    }

    [Fact]
    public void SampleDistinct_UnknownColumn_ErrorWithPosition()
    {
        var error = Assert.Throws<KqlException>(() => store.Run(Hundred + " | sample-distinct 3 of y"));

        Assert.Contains("unknown column 'y'", error.Message);
        Assert.Equal(53, error.Column);
    }

    [Fact]
    public void SampleDistinct_MissingOf_ErrorWithPosition()
    {
        var error = Assert.Throws<KqlException>(() => store.Run(Hundred + " | sample-distinct 3 x"));

        Assert.Contains("'of'", error.Message);
    }

    private const string Storms =
        "datatable(EventType:string, State:string, Damage:long)['Hail', 'TEXAS', 10, 'Hail', 'IOWA', 5, 'Flood', 'TEXAS', 100, " +
        "'Hail', 'TEXAS', 1, 'Tornado', 'OHIO', 30, 'Flood', 'OHIO', 0, 'Hail', 'OHIO', 2]";

    [Fact]
    public void TopHitters_CountsEachValueMostFirst()
    {
        var result = store.Run(Storms + " | top-hitters 2 of EventType");

        Assert.Equal(["EventType", "approximate_count_EventType"], result.Names());
        Assert.Equal(["Hail", "Flood"], result.Column<string>("EventType"));
        Assert.Equal([4L, 2L], result.Column<long>("approximate_count_EventType"));
    }

    [Fact]
    public void TopHitters_By_SumsTheWeight()
    {
        var result = store.Run(Storms + " | top-hitters 2 of EventType by Damage");

        Assert.Equal(["EventType", "approximate_sum_Damage"], result.Names());
        Assert.Equal(["Flood", "Tornado"], result.Column<string>("EventType"));
        Assert.Equal([100L, 30L], result.Column<long>("approximate_sum_Damage"));
    }

    [Fact]
    public void TopHitters_MatchesSummarizeAndTop()
    {
        var hitters = store.Run(Storms + " | top-hitters 3 of State");
        var summarized = store.Run(Storms + " | summarize c = count() by State | top 3 by c desc");

        Assert.Equal(summarized.Column("State"), hitters.Column("State"));
        Assert.Equal(summarized.Column("c"), hitters.Column("approximate_count_State"));
    }

    [Fact]
    public void TopHitters_ByText_ErrorWithPosition()
    {
        var error = Assert.Throws<KqlException>(() => store.Run("print s = 'a' | top-hitters 2 of s by s"));

        Assert.Contains("needs a number to sum", error.Message);
        Assert.Equal(39, error.Column);
    }
}
