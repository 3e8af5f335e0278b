using Tributary.Kql;

namespace Tributary.Tests.Kql.Operators;

/// <summary>top-nested against the examples of Kusto's documentation (on a small storm table), and its errors.</summary>
public sealed class TopNestedTests(TopNestedTests.Storms store) : IClassFixture<TopNestedTests.Storms>
{
    /// <summary>A store with a few storm events.</summary>
    public sealed class Storms : KqlStoreFixture
    {
        public Storms()
        {
            Run(".create table StormEvents (State:string, EventType:string, EndLocation:string, DamageProperty:long)");
            Run("""
                .ingest inline into table StormEvents <|
                CALIFORNIA,Wildfire,,1300
                CALIFORNIA,Wildfire,,26
                CALIFORNIA,HighWind,,61
                CALIFORNIA,DebrisFlow,,48
                CALIFORNIA,Flood,,10
                OKLAHOMA,IceStorm,,826
                OKLAHOMA,WinterStorm,,40
                OKLAHOMA,Flood,COMMERCE,20
                OKLAHOMA,Flood,MIAMI,1
                TEXAS,Hail,AUSTIN,100
                KANSAS,Hail,WICHITA,5
                """);
        }
    }

    private static List<string> Rows(Tributary.Query.QueryResult result) =>
        result.Rows.Select(r => string.Join("|", r.Select(QueryResultExtensions.Text))).ToList();

    [Fact]
    public void TopNested_ThreeLevels_KeepTheTopValuesUnderEachKeptValue()
    {
        var result = store.Run("""
            StormEvents
            | top-nested 2 of State by sum(DamageProperty),
              top-nested 3 of EventType by sum(DamageProperty),
              top-nested 1 of EndLocation by sum(DamageProperty)
            | project State, EventType, EndLocation, StateTotalDamage = aggregated_State, EventTypeTotalDamage = aggregated_EventType, EndLocationDamage = aggregated_EndLocation
            """);
        Assert.Equal(
            [
                "CALIFORNIA|Wildfire||1445|1326|1326",
                "CALIFORNIA|HighWind||1445|61|61",
                "CALIFORNIA|DebrisFlow||1445|48|48",
                "OKLAHOMA|IceStorm||887|826|826",
                "OKLAHOMA|WinterStorm||887|40|40",
                "OKLAHOMA|Flood|COMMERCE|887|21|20",
            ],
            Rows(result));
    }

    [Fact]
    public void TopNested_WithOthers_AddsARowForTheRest()
    {
        var result = store.Run("StormEvents | top-nested 2 of State with others = 'OtherStates' by sum(DamageProperty)");
        Assert.Equal(["State", "aggregated_State"], result.Names());
        Assert.Equal(["CALIFORNIA|1445", "OKLAHOMA|887", "OtherStates|105"], Rows(result));
    }

    [Fact]
    public void TopNested_WithOthersAtTwoLevels_LeavesTheDeeperColumnsOfAnOthersRowEmpty()
    {
        var result = store.Run("""
            StormEvents
            | top-nested 1 of State with others = 'Other' by sum(DamageProperty),
              top-nested 1 of EventType with others = 'Rest' by n = count()
            """);
        Assert.Equal(["State", "aggregated_State", "EventType", "n"], result.Names());
        Assert.Equal(["CALIFORNIA|1445|Wildfire|2", "CALIFORNIA|1445|Rest|3", "Other|992||<null>"], Rows(result));
    }

    [Fact]
    public void TopNested_WithoutACount_KeepsEveryValue_AndCarriesOtherColumns()
    {
        var result = store.Run("""
            datatable(id: string, timestamp: datetime, otherInformation: string)
            [
                "Barak", datetime(2015-01-01), "1",
                "Barak", datetime(2016-01-01), "2",
                "Barak", datetime(2017-01-20), "3",
                "Donald", datetime(2017-01-20), "4",
                "Donald", datetime(2017-01-18), "5",
                "Donald", datetime(2017-01-19), "6"
            ]
            | top-nested of id by Ignore0=max(1),
              top-nested 2 of timestamp by Ignore1=max(timestamp),
              top-nested of otherInformation by Ignore2=max(1)
            | project-away Ignore0, Ignore1, Ignore2
            | sort by timestamp asc, id asc
            """);
        Assert.Equal(["id", "timestamp", "otherInformation"], result.Names());
        Assert.Equal(["Barak", "Donald", "Barak", "Donald"], result.Column("id"));
        Assert.Equal(["2", "6", "3", "4"], result.Column("otherInformation"));
    }

    [Fact]
    public void TopNested_Ascending_KeepsTheSmallest_AndAnExpressionCanBeTheValue()
    {
        var result = store.Run("StormEvents | top-nested 2 of Band = DamageProperty / 100 by Total = sum(DamageProperty) asc");
        Assert.Equal(["Band", "Total"], result.Names());
        Assert.Equal(["1|100", "0|211"], Rows(result));
    }

    [Theory]
    [InlineData("StormEvents | top-nested 2 State by sum(DamageProperty)", "expected 'of'", 1, 28)]
    [InlineData("StormEvents | top-nested 2 of State sum(DamageProperty)", "expected 'by'", 1, 37)]
    [InlineData("StormEvents | top-nested 2 of State by DamageProperty", "top-nested needs an aggregation after 'by'", 1, 40)]
    [InlineData("StormEvents | top-nested -1 of State by count()", "top-nested needs a non-negative whole number constant", 1, 26)]
    [InlineData("StormEvents | top-nested 2 of State with others = 1 by count()", "with others needs a string value", 1, 51)]
    [InlineData("StormEvents | top-nested 2 of State by count(), top 3 of EventType by count()", "expected 'top-nested'", 1, 49)]
    [InlineData("StormEvents | top-nested 2 of Stat by count()", "unknown column 'Stat'", 1, 31)]
    public void TopNested_BadInput_IsAnErrorWithPosition(string query, string message, int line, int column)
    {
        var e = Assert.Throws<KqlException>(() => store.Run(query));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (e.Line, e.Column));
    }
}
