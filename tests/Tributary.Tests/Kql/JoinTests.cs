namespace Tributary.Tests.Kql;

/// <summary>join flavors and lookup, on the tables of Kusto's documentation (X: a1 b2 b3 c4; Y: b10 c20 c30 d40).</summary>
public sealed class JoinTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private const string Tables = """
        let X = datatable(Key:string, Value1:long)['a', 1, 'b', 2, 'b', 3, 'c', 4];
        let Y = datatable(Key:string, Value2:long)['b', 10, 'c', 20, 'c', 30, 'd', 40];
        """;

    private global::Tributary.Query.QueryResult Join(string kind, string tail = "") =>
        store.Run($"{Tables}\nX | join {kind} Y on Key {tail}");

    private static List<string> Pairs(global::Tributary.Query.QueryResult result) =>
        result.Rows.Select(r => string.Join("|", r.Select(QueryResultExtensions.Text))).Order(StringComparer.Ordinal).ToList();

    private static List<string> Sorted(params string[] rows) => rows.Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Join_Default_IsInnerUniqueKeepingOneLeftRowPerKey()
    {
        var result = Join("");
        Assert.Equal(["Key", "Value1", "Key1", "Value2"], result.Names());
        Assert.Equal(3, result.Rows.Count);
        var b = result.Rows.Where(r => (string)r[0]! == "b").ToList();
        var row = Assert.Single(b);
        Assert.Contains(row[1], new object?[] { 2L, 3L });
        Assert.Equal(10L, row[3]);
        Assert.Equal(["c|4|c|20", "c|4|c|30"], Pairs(result).Where(p => p.StartsWith('c')));
    }

    [Fact]
    public void Join_InnerUniqueExplicit_SameAsDefault()
    {
        var result = Join("kind=innerunique");
        Assert.Equal(3, result.Rows.Count);
        Assert.Equal(["b", "c", "c"], result.Column("Key").Cast<string>().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Join_Inner_AllMatchingPairs()
    {
        var result = Join("kind=inner");
        Assert.Equal(["b|2|b|10", "b|3|b|10", "c|4|c|20", "c|4|c|30"], Pairs(result));
    }

    [Fact]
    public void Join_LeftOuter_KeepsUnmatchedLeftRowsWithEmptyRightSide()
    {
        var result = Join("kind=leftouter");
        Assert.Equal(["a|1||<null>", "b|2|b|10", "b|3|b|10", "c|4|c|20", "c|4|c|30"], Pairs(result));
    }

    [Fact]
    public void Join_RightOuter_KeepsUnmatchedRightRowsWithEmptyLeftSide()
    {
        var result = Join("kind=rightouter");
        Assert.Equal(Sorted("|<null>|d|40", "b|2|b|10", "b|3|b|10", "c|4|c|20", "c|4|c|30"), Pairs(result));
    }

    [Fact]
    public void Join_FullOuter_KeepsUnmatchedRowsOfBothSides()
    {
        var result = Join("kind=fullouter");
        Assert.Equal(Sorted("|<null>|d|40", "a|1||<null>", "b|2|b|10", "b|3|b|10", "c|4|c|20", "c|4|c|30"), Pairs(result));
    }

    [Fact]
    public void Join_LeftAnti_LeftRowsWithoutMatchAndOnlyLeftColumns()
    {
        var result = Join("kind=leftanti");
        Assert.Equal(["Key", "Value1"], result.Names());
        Assert.Equal(["a|1"], Pairs(result));
    }

    [Fact]
    public void Join_Anti_IsLeftAnti() =>
        Assert.Equal(["a|1"], Pairs(Join("kind=anti")));

    [Fact]
    public void Join_RightAnti_RightRowsWithoutMatchAndOnlyRightColumns()
    {
        var result = Join("kind=rightanti");
        Assert.Equal(["Key", "Value2"], result.Names());
        Assert.Equal(["d|40"], Pairs(result));
    }

    [Fact]
    public void Join_LeftSemi_EachMatchingLeftRowOnce()
    {
        var result = Join("kind=leftsemi");
        Assert.Equal(["Key", "Value1"], result.Names());
        Assert.Equal(["b|2", "b|3", "c|4"], Pairs(result));
    }

    [Fact]
    public void Join_RightSemi_EachMatchingRightRowOnce()
    {
        var result = Join("kind=rightsemi");
        Assert.Equal(["Key", "Value2"], result.Names());
        Assert.Equal(["b|10", "c|20", "c|30"], Pairs(result));
    }

    [Fact]
    public void Join_TwoKeys_MatchesOnBoth()
    {
        var result = store.Run("""
            let L = datatable(a:string, b:long, v:string)['x', 1, 'l1', 'x', 2, 'l2', 'y', 1, 'l3'];
            let R = datatable(a:string, b:long, w:string)['x', 1, 'r1', 'y', 2, 'r2'];
            L | join kind=inner R on a, b
            """);
        Assert.Equal(["a", "b", "v", "a1", "b1", "w"], result.Names());
        Assert.Equal(["x|1|l1|x|1|r1"], Pairs(result));
    }

    [Fact]
    public void Join_LeftRightSyntax_MatchesDifferentlyNamedColumns()
    {
        var result = store.Run("""
            let L = datatable(HostId:string, Cpu:long)['h1', 5, 'h2', 7];
            let R = datatable(Id:string, Name:string)['h2', 'two', 'h3', 'three'];
            L | join kind=inner R on $left.HostId == $right.Id
            """);
        Assert.Equal(["HostId", "Cpu", "Id", "Name"], result.Names());
        Assert.Equal(["h2|7|h2|two"], Pairs(result));
    }

    [Fact]
    public void Join_RightLeftOrderInCondition_IsAccepted()
    {
        var result = store.Run("""
            let L = datatable(HostId:string, Cpu:long)['h1', 5, 'h2', 7];
            let R = datatable(Id:string, Name:string)['h2', 'two'];
            L | join kind=inner R on $right.Id == $left.HostId
            """);
        Assert.Equal(["h2|7|h2|two"], Pairs(result));
    }

    [Fact]
    public void Join_DuplicateColumnNames_RightOnesGetSuffixOne()
    {
        var result = store.Run("""
            let L = datatable(HostId:string, Region:string, Cpu:long)['h1', 'eu', 5];
            let R = datatable(HostId:string, Region:string, Cpu:long)['h1', 'us', 9];
            L | join kind=inner R on HostId
            """);
        Assert.Equal(["HostId", "Region", "Cpu", "HostId1", "Region1", "Cpu1"], result.Names());
        Assert.Equal(["h1|eu|5|h1|us|9"], Pairs(result));
    }

    [Fact]
    public void Join_RightSideIsAPipeline_IsEvaluatedFirst()
    {
        var result = store.Run($"{Tables}\nX | join kind=inner (Y | where Value2 > 15) on Key");
        Assert.Equal(["c|4|c|20", "c|4|c|30"], Pairs(result));
    }

    [Fact]
    public void Lookup_Default_IsLeftOuterAndDropsRightKey()
    {
        var result = store.Run($"{Tables}\nX | lookup Y on Key");
        Assert.Equal(["Key", "Value1", "Value2"], result.Names());
        Assert.Equal(["a|1|<null>", "b|2|10", "b|3|10", "c|4|20", "c|4|30"], Pairs(result));
    }

    [Fact]
    public void Lookup_Inner_DropsUnmatchedLeftRows()
    {
        var result = store.Run("""
            let Facts = datatable(Host:string, Cpu:long)['h1', 5, 'h2', 7, 'h3', 1];
            let Dim = datatable(Host:string, Region:string)['h1', 'eu', 'h2', 'us'];
            Facts | lookup kind=inner Dim on Host
            """);
        Assert.Equal(["Host", "Cpu", "Region"], result.Names());
        Assert.Equal(["h1|5|eu", "h2|7|us"], Pairs(result));
    }

    [Fact]
    public void Lookup_UnmatchedString_IsEmpty()
    {
        var result = store.Run("""
            let Facts = datatable(Host:string, Cpu:long)['h3', 1];
            let Dim = datatable(Host:string, Region:string)['h1', 'eu'];
            Facts | lookup Dim on Host
            """);
        Assert.Equal("", result.Single("Region"));
    }

    [Fact]
    public void Join_StoredTables_JoinsByKey()
    {
        store.Run(".create table JoinHosts (HostId:string, Region:string)");
        store.Run(".ingest inline into table JoinHosts <| h1,eu\nh2,us");
        store.Run(".create table JoinCpu (HostId:string, Cpu:long)");
        store.Run(".ingest inline into table JoinCpu <| h1,5\nh1,6\nh3,7");
        var result = store.Run("JoinCpu | join kind=leftouter JoinHosts on HostId | project HostId, Cpu, Region");
        Assert.Equal(["h1|5|eu", "h1|6|eu", "h3|7|"], Pairs(result));
    }
}
