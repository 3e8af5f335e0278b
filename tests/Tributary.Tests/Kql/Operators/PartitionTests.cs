using Tributary.Kql;

namespace Tributary.Tests.Kql.Operators;

/// <summary>partition against the examples of Kusto's documentation (on a small storm table), and its errors.</summary>
public sealed class PartitionTests(PartitionTests.Storms store) : IClassFixture<PartitionTests.Storms>
{
    /// <summary>A store with a few storm events.</summary>
    public sealed class Storms : KqlStoreFixture
    {
        public Storms()
        {
            Run(".create table StormEvents (State:string, EventType:string, InjuriesDirect:long, InjuriesIndirect:long)");
            Run("""
                .ingest inline into table StormEvents <|
                WYOMING,Hail,0,0
                WYOMING,Hail,0,1
                WYOMING,High Wind,5,0
                WYOMING,Hail,1,2
                WASHINGTON,Heavy Snow,0,1
                WASHINGTON,High Wind,13,0
                WASHINGTON,High Wind,0,2
                WISCONSIN,Hail,1,0
                TEXAS,Hail,2,1
                """);
        }
    }

    private static List<string> Rows(Tributary.Query.QueryResult result) =>
        result.Rows.Select(r => string.Join("|", r.Select(QueryResultExtensions.Text))).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Partition_Native_RunsTheSubqueryPerKeyValue()
    {
        var result = store.Run("""
            StormEvents
            | where State startswith 'W'
            | partition hint.strategy=native by State
                (
                summarize Events=count(), Injuries=sum(InjuriesDirect) by EventType, State
                | top 1 by Events
                )
            """);
        Assert.Equal(["EventType", "State", "Events", "Injuries"], result.Names());
        Assert.Equal(["Hail|WISCONSIN|1|1", "Hail|WYOMING|3|1", "High Wind|WASHINGTON|2|13"], Rows(result));
    }

    [Fact]
    public void Partition_SubqueryWithoutTheKey_LeavesItOut()
    {
        var result = store.Run("""
            StormEvents
            | partition hint.strategy = shuffle by State (summarize TotalInjuries = sum(InjuriesDirect) by EventType | top 1 by TotalInjuries)
            """);
        Assert.Equal(["EventType", "TotalInjuries"], result.Names());
        Assert.Equal(["Hail|1", "Hail|2", "High Wind|13", "High Wind|5"], Rows(result));
    }

    [Fact]
    public void Partition_LegacyWithExplicitSource_SeesTheKeyAsAScalar()
    {
        var count = store.Run("range x from 1 to 2 step 1 | partition hint.strategy=legacy by x {StormEvents | where x == InjuriesIndirect} | count");
        Assert.Equal(5L, count.Single("Count"));
        var keys = store.Run("range x from 1 to 2 step 1 | partition by x { print k = toscalar(x) * 10 }");
        Assert.Equal(["10", "20"], Rows(keys));
    }

    [Fact]
    public void Partition_As_NamesThePartitionForTheSubquery()
    {
        var result = store.Run("""
            datatable(Dim:string, Metric:long)['a', 1, 'a', 3, 'b', 5]
            | partition by Dim (as Partition | extend MetricPct = Metric * 100.0 / toscalar(Partition | summarize sum(Metric)))
            """);
        Assert.Equal(["a|1|25", "a|3|75", "b|5|100"], Rows(result));
    }

    [Fact]
    public void Partition_ByALongColumn_KeepsEachKeysRowsTogether()
    {
        var result = store.Run("range x from 1 to 10 step 1 | extend k = x % 3 | partition by k (summarize n = count(), s = sum(x))");
        Assert.Equal(["3|15", "3|18", "4|22"], Rows(result));
    }

    [Theory]
    [InlineData("StormEvents | partition by Stat (take 1)", "unknown column 'Stat'; did you mean 'State'?", 1, 28)]
    [InlineData("print d = dynamic([1]) | partition by d (take 1)", "partition by needs a column of a scalar type", 1, 39)]
    [InlineData("StormEvents | partition hint.strategy=native by State { StormEvents }", "needs hint.strategy=legacy", 1, 55)]
    [InlineData("StormEvents | partition hint.strategy=fast by State (take 1)", "unknown partition strategy", 1, 39)]
    [InlineData("StormEvents | partition by State take 1", "expected '(' and the partition subquery", 1, 34)]
    [InlineData("StormEvents | partition by State (StormEvents | take 1)", "unknown query operator 'StormEvents'", 1, 35)]
    public void Partition_BadInput_IsAnErrorWithPosition(string query, string message, int line, int column)
    {
        var e = Assert.Throws<KqlException>(() => store.Run(query));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (e.Line, e.Column));
    }
}
