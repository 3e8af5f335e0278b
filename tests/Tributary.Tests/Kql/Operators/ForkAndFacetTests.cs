using Tributary.Kql;
using Tributary.Query;

namespace Tributary.Tests.Kql.Operators;

/// <summary>fork and facet, whose results are several tables, against Kusto's documented examples; and where they are refused.</summary>
public sealed class ForkAndFacetTests(ForkAndFacetTests.Storms store) : IClassFixture<ForkAndFacetTests.Storms>
{
    /// <summary>A store with a few storm events.</summary>
    public sealed class Storms : KqlStoreFixture
    {
        public Storms()
        {
            Run(".create table StormEvents (State:string, EventType:string, StartTime:datetime, DeathsDirect:long, InjuriesDirect:long)");
            Run("""
                .ingest inline into table StormEvents <|
                FLORIDA,Tornado,2007-02-02T03:17:00Z,2,10
                FLORIDA,Dense Fog,2007-03-13T08:20:00Z,0,3
                FLORIDA,Rip Current,2007-09-11T15:26:00Z,3,0
                ALASKA,Heavy Snow,2007-01-04T12:00:00Z,0,0
                ALASKA,Heavy Snow,2007-01-06T18:00:00Z,0,0
                ALABAMA,Heavy Rain,2007-01-05T00:00:00Z,1,0
                TEXAS,Hail,2007-05-05T00:00:00Z,5,5
                """);
        }
    }

    private static IReadOnlyList<QueryResult> Tables(QueryResult result) => [result, .. result.MoreTables];

    private static List<string> Rows(QueryResult result) =>
        result.Rows.Select(r => string.Join("|", r.Select(QueryResultExtensions.Text))).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Fork_GivesOneTablePerSubquery()
    {
        var result = store.Run("""
            StormEvents
            | where State == "FLORIDA"
            | fork
                ( where DeathsDirect > 1)
                ( where InjuriesDirect > 1)
            """);
        var tables = Tables(result);
        Assert.Equal(2, tables.Count);
        Assert.Equal([null, null], tables.Select(t => t.Name));
        Assert.Equal(["Rip Current", "Tornado"], tables[0].Column("EventType").Order());
        Assert.Equal(["Dense Fog", "Tornado"], tables[1].Column("EventType").Order());
    }

    [Theory]
    [InlineData("(where DeathsDirect > 1 | as StormsWithDeaths) (where InjuriesDirect > 1 | as StormsWithInjuries)")]
    [InlineData("StormsWithDeaths = (where DeathsDirect > 1) StormsWithInjuries = (where InjuriesDirect > 1)")]
    public void Fork_NamedSubqueries_NameTheirTables(string branches)
    {
        var result = store.Run($"StormEvents | where State == 'FLORIDA' | fork {branches}");
        Assert.Equal(["StormsWithDeaths", "StormsWithInjuries"], Tables(result).Select(t => t.Name));
        Assert.Equal(2, result.MoreTables[0].Rows.Count);
    }

    [Fact]
    public void Fork_SubqueriesMayShapeTheirTablesDifferently()
    {
        var result = store.Run("StormEvents | fork (summarize n = count() by State) (top 1 by DeathsDirect | project EventType)");
        Assert.Equal(["State", "n"], result.Names());
        Assert.Equal(["Hail"], result.MoreTables[0].Column("EventType"));
    }

    [Fact]
    public void Facet_GivesTheWithTable_ThenOneCountTablePerColumn()
    {
        var result = store.Run("""
            StormEvents
            | where State startswith "A" and EventType has "Heavy"
            | facet by State, EventType
                with
                (
                where StartTime between(datetime(2007-01-04) .. 7d)
                | project State, StartTime, EventType
                | take 5
                )
            """);
        var tables = Tables(result);
        Assert.Equal([null, "State", "EventType"], tables.Select(t => t.Name));
        Assert.Equal(["State", "StartTime", "EventType"], tables[0].Names());
        Assert.Equal(3, tables[0].Rows.Count);
        Assert.Equal(["State", "count_State"], tables[1].Names());
        Assert.Equal(["ALABAMA|1", "ALASKA|2"], Rows(tables[1]));
        Assert.Equal(["Heavy Rain|1", "Heavy Snow|2"], Rows(tables[2]));
    }

    [Fact]
    public void Facet_WithoutWith_HasATablePerColumn()
    {
        var result = store.Run("StormEvents | facet by State");
        Assert.Empty(result.MoreTables);
        Assert.Equal("State", result.Name);
        Assert.Equal(["ALABAMA|1", "ALASKA|2", "FLORIDA|3", "TEXAS|1"], Rows(result));
    }

    [Theory]
    [InlineData("StormEvents | fork (count) (take 1) | count", "fork and facet must be the last operator of a query", 1, 15)]
    [InlineData("StormEvents | fork (count) (take 1) | render table", "render cannot follow fork or facet", 1, 15)]
    [InlineData("StormEvents | fork", "expected '(' and a fork subquery", 1, 19)]
    [InlineData("StormEvents | fork (count", "expected ')' to close the fork subquery", 1, 26)]
    [InlineData("StormEvents | facet by Stat", "unknown column 'Stat'; did you mean 'State'?", 1, 24)]
    [InlineData("let x = StormEvents | fork (count) (take 1); x", "fork and facet must be the last operator of a query", 1, 23)]
    [InlineData(".set-or-append Copies <| StormEvents | fork (count) (take 1)", "fork gives several result tables, which only a query run on its own can return", 1, 40)]
    public void ForkAndFacet_OutOfPlace_AreErrorsWithPosition(string query, string message, int line, int column)
    {
        var e = Assert.Throws<KqlException>(() => store.Run(query));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (e.Line, e.Column));
    }
}
