using Tributary.Kql;

namespace Tributary.Tests.Kql.Operators;

/// <summary>evaluate pivot against the examples of Kusto's documentation (on a small storm table), and its errors.</summary>
public sealed class PivotPluginTests(PivotPluginTests.Storms store) : IClassFixture<PivotPluginTests.Storms>
{
    /// <summary>A store with a few storm events.</summary>
    public sealed class Storms : KqlStoreFixture
    {
        public Storms()
        {
            Run(".create table StormEvents (State:string, EventType:string, DeathsDirect:long, Source:string)");
            Run("""
                .ingest inline into table StormEvents <|
                ALABAMA,Thunderstorm Wind,0,Public
                ALABAMA,Thunderstorm Wind,0,Public
                ALASKA,Thunderstorm Wind,0,Public
                ALASKA,High Wind,0,Public
                ALABAMA,Strong Wind,0,Public
                ARKANSAS,Heavy Rain,1,Emergency Manager
                ARIZONA,Lightning,1,Newspaper
                ARIZONA,Flash Flood,2,Trained Spotter
                ARIZONA,Flash Flood,3,Broadcast Media
                ARKANSAS,Heat,3,Newspaper
                ARKANSAS,Hail,0,Public
                """);
        }
    }

    private static List<string> Rows(Tributary.Query.QueryResult result) =>
        result.Rows.Select(r => string.Join("|", r.Select(QueryResultExtensions.Text))).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Pivot_ByAColumn_CountsTheRowsOfEachValue()
    {
        var result = store.Run("""
            StormEvents
            | project State, EventType
            | where State startswith "AL"
            | where EventType has "Wind"
            | evaluate pivot(State)
            """);
        Assert.Equal(["EventType", "ALABAMA", "ALASKA"], result.Names());
        Assert.Equal(["High Wind|0|1", "Strong Wind|1|0", "Thunderstorm Wind|2|1"], Rows(result));
    }

    [Fact]
    public void Pivot_WithAnAggregation_AggregatesItsColumn_AndOtherColumnsAreTheRows()
    {
        const string Query = """
            StormEvents
            | where State startswith "AR"
            | project State, EventType, DeathsDirect
            | where DeathsDirect > 0
            | evaluate pivot(State, sum(DeathsDirect){0})
            """;
        var expected = new[] { "Flash Flood|5|0", "Heat|0|3", "Heavy Rain|0|1", "Lightning|1|0" };
        var result = store.Run(Query.Replace("{0}", "", StringComparison.Ordinal));
        Assert.Equal(["EventType", "ARIZONA", "ARKANSAS"], result.Names());
        Assert.Equal(expected, Rows(result));
        Assert.Equal(expected, Rows(store.Run(Query.Replace("{0}", ", EventType", StringComparison.Ordinal))));
    }

    [Fact]
    public void Pivot_SeveralColumns_GroupByAllOfThem()
    {
        var result = store.Run("""
            StormEvents
            | where State startswith "AR"
            | where DeathsDirect > 0
            | evaluate pivot(State, sum(DeathsDirect), EventType, Source)
            """);
        Assert.Equal(["EventType", "Source", "ARIZONA", "ARKANSAS"], result.Names());
        Assert.Equal(
            ["Flash Flood|Broadcast Media|3|0", "Flash Flood|Trained Spotter|2|0", "Heat|Newspaper|0|3", "Heavy Rain|Emergency Manager|0|1", "Lightning|Newspaper|1|0"],
            Rows(result));
    }

    [Fact]
    public void Pivot_OutputSchema_NamesTheValueColumns_OthersAreLeftOut()
    {
        var result = store.Run("""
            StormEvents
            | project State, EventType
            | where EventType has "Wind"
            | evaluate pivot(State): (EventType:string, ALABAMA:long, ALASKA:long)
            """);
        Assert.Equal(["EventType", "ALABAMA", "ALASKA"], result.Names());
        Assert.Equal(["High Wind|0|1", "Strong Wind|1|0", "Thunderstorm Wind|2|1"], Rows(result));
    }

    [Fact]
    public void Pivot_ListAggregation_GivesAnEmptyArrayWhereNoRows_AndNoOtherColumnsGiveOneRow()
    {
        var lists = store.Run("StormEvents | where State startswith 'AR' | project State, EventType, DeathsDirect | evaluate pivot(State, make_list(DeathsDirect), EventType) | where EventType == 'Heat'");
        Assert.Equal("[]", QueryResultExtensions.Json(lists.Single("ARIZONA")));
        Assert.Equal("[3]", QueryResultExtensions.Json(lists.Single("ARKANSAS")));
        var single = store.Run("StormEvents | project State | evaluate pivot(State)");
        Assert.Equal(["ALABAMA", "ALASKA", "ARIZONA", "ARKANSAS"], single.Names());
        Assert.Equal(["3|2|3|3"], Rows(single));
    }

    [Theory]
    [InlineData("StormEvents | evaluate pivot(Stat)", "unknown column 'Stat'", 1, 30)]
    [InlineData("StormEvents | evaluate pivot(State, sum(DeathsDirect), 1)", "pivot needs each column after the aggregation to be a column name", 1, 56)]
    [InlineData("StormEvents | evaluate pivot(State, arg_max(DeathsDirect, *))", "pivot needs an aggregation with one result", 1, 37)]
    [InlineData("StormEvents | evaluate pivot()", "plugin 'pivot' takes 1 or more argument(s) but was given 0", 1, 24)]
    [InlineData("StormEvents | evaluate pivot(State, columns = 1)", "plugin 'pivot' has no argument named 'columns'", 1, 37)]
    public void Pivot_BadInput_IsAnErrorWithPosition(string query, string message, int line, int column)
    {
        var e = Assert.Throws<KqlException>(() => store.Run(query));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (e.Line, e.Column));
    }
}
