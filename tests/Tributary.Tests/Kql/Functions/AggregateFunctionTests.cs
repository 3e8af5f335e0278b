using Tributary.Kql;

namespace Tributary.Tests.Kql.Functions;

/// <summary>
/// The aggregates added for issue 7 (make_bag, make_bag_if, make_list_with_nulls, buildschema, the conditional and
/// covariance statistics, binary_all_*, count_distinct, take_anyif, the array and weighted percentiles) against
/// Kusto's documented examples.
/// </summary>
public sealed class AggregateFunctionTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private const string Props = "datatable(prop:string, value:string, predicate:bool)['prop01', 'val_a', true, 'prop02', 'val_b', false, 'prop03', 'val_c', true] | extend p = bag_pack(prop, value)";

    private const string Pairs = "datatable(x:real, y:real)[1.0, 14.0, 2.0, 10.0, 3.0, 17.0, 4.0, 20.0, 5.0, 50.0]";

    private const string Latency = "datatable(ReqCount:long, LatencyBucket:long)[8, 10, 6, 20, 3, 30, 1, 40]";

    private object? Summarize(string input, string aggregate) => store.Run($"{input} | summarize r = {aggregate}").Single("r");

    [Fact]
    public void MakeBag_MatchesKustosDocumentedExamples()
    {
        Assert.Equal("""{"prop01":"val_a","prop02":"val_b","prop03":"val_c"}""", QueryResultExtensions.Json(Summarize(Props, "make_bag(p)")));
        Assert.Equal("""{"prop01":"val_a","prop03":"val_c"}""", QueryResultExtensions.Json(Summarize(Props, "make_bag_if(p, predicate)")));
    }

    [Fact]
    public void MakeBag_ByAKey_IsOneBagPerGroup_SkipsNonBags_AndHonoursMaxSize()
    {
        var result = store.Run("""
            datatable(k:string, prop:string, value:long)['a', 'x', 1, 'a', 'y', 2, 'b', 'x', 3, 'b', '', 4]
            | extend bag = iff(prop == '', dynamic(5), bag_pack(prop, value))
            | summarize all = make_bag(bag), one = make_bag(bag, 1), bag_ = count() by k
            | order by k asc
            """);

        Assert.Equal(["""{"x":1,"y":2}""", """{"x":3}"""], result.Column("all").Select(QueryResultExtensions.Json));
        Assert.Equal(1, QueryResultExtensions.Json(result.Column("one")[0]).Count(ch => ch == ':'));
        Assert.Equal("{}", QueryResultExtensions.Json(Summarize("print x = 1", "make_bag(dynamic([1, 2]))")));
    }

    [Fact]
    public void MakeBag_MaxSizeOutOfRange_IsAnErrorAtTheArgument()
    {
        var e = Assert.Throws<KqlException>(() => store.Run("print p = dynamic({'a': 1}) | summarize make_bag(p, 0)"));

        Assert.Contains("max_size from 1 to 1048576", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 53), (e.Line, e.Column));
    }

    [Fact]
    public void MakeListWithNulls_KeepsTheNulls()
    {
        var list = Summarize("datatable(name:string, sideCount:int)['triangle', int(null), 'square', 4, 'rectangle', 4] | order by name asc", "make_list_with_nulls(sideCount)");

        Assert.Equal("[4,4,null]", QueryResultExtensions.Json(list));
    }

    [Fact]
    public void BuildSchema_MatchesKustosDocumentedExample()
    {
        var schema = store.Run("""
            datatable(value: dynamic)[
              dynamic({"x":1, "y":3.5}),
              dynamic({"x":"somevalue", "z":[1, 2, 3]}),
              dynamic({"y":{"w":"zzz"}, "t":["aa", "bb"], "z":["foo"]})]
            | summarize buildschema(value)
            """).Single("schema_value");

        Assert.Equal("""{"x":["long","string"],"y":["double",{"w":"string"}],"z":{"`indexer`":["long","string"]},"t":{"`indexer`":"string"}}""", (string)schema!);
    }

    [Fact]
    public void ConditionalSpreads_MatchKustosDocumentedExamples()
    {
        Assert.Equal(29.1547594742265, (double)Summarize("range x from 1 to 100 step 1", "stdevif(x, x % 2 == 0)")!, 10);
        Assert.Equal(850.0, (double)Summarize("range x from 1 to 100 step 1", "varianceif(x, x % 2 == 0)")!, 10);
        // Kusto's page shows 850 for variancepif too, the sample variance; the population variance of 2, 4, … 100 is 833.
        Assert.Equal(833.0, (double)Summarize("range x from 1 to 100 step 1", "variancepif(x, x % 2 == 0)")!, 9);
    }

    [Fact]
    public void Covariances_MatchKustosDocumentedExamples()
    {
        const string Mixed = "range x from 1 to 100 step 1 | extend y = iff(x % 2 == 0, x * 2, x * 3)";

        Assert.Equal(20.5, (double)Summarize(Pairs, "covariance(x, y)")!, 10);
        Assert.Equal(16.4, (double)Summarize(Pairs, "covariancep(x, y)")!, 10);
        Assert.Equal(2142.0, (double)Summarize(Mixed, "covarianceif(x, y, x % 3 == 0)")!, 9);
        Assert.Equal(2077.09090909091, (double)Summarize(Mixed, "covariancepif(x, y, x % 3 == 0)")!, 9);
    }

    [Theory]
    // Kusto's examples in decimal (0xFFFFFFFF … as written there).
    [InlineData("binary_all_and", "4294967295, 4294963215, 3489660925, 4211015679")]
    [InlineData("binary_all_or", "2290647048, 1107296256, 7761920, 5")]
    [InlineData("binary_all_xor", "1145062464, 505290270, 2427173385, 725082")]
    public void BinaryAll_MatchesKustosDocumentedExamples(string aggregate, string values)
    {
        var result = store.Run($"datatable(num:long)[{values}] | summarize {aggregate}(num)");

        Assert.Equal(["num"], result.Names());
        Assert.Equal(0xCAFEF00DL, result.Single("num"));
    }

    [Fact]
    public void CountDistinctAndTakeAnyIf_CountAndPickFromTheRowsAsked()
    {
        var result = store.Run("range x from 1 to 10 step 1 | summarize count_distinct(x % 3), c = count_distinctif(x % 3, x < 3), take_anyif(x, x > 9)");

        Assert.Equal([3L, 2L, 10L], result.Rows.Single());
        Assert.Equal("x", result.Names()[2]);
        var dynamic = Assert.Throws<KqlException>(() => store.Run("print d = dynamic([1]) | summarize count_distinct(d)"));
        Assert.Contains("cannot count dynamic values", dynamic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PercentilesArray_IsOneArray_FromNumbersOrAConstantArray()
    {
        Assert.Equal("[1,5,9]", QueryResultExtensions.Json(Summarize("range x from 1 to 10 step 1", "percentiles_array(x, 10, 50, 90)")));
        Assert.Equal("[3,8]", QueryResultExtensions.Json(Summarize("range x from 1 to 10 step 1", "percentiles_array(x, dynamic([25, 75]))")));
        Assert.Equal(["percentiles_x"], store.Run("range x from 1 to 3 step 1 | summarize percentiles_array(x, 50)").Names());
    }

    [Fact]
    public void WeightedPercentiles_MatchKustosDocumentedExample()
    {
        var result = store.Run($"{Latency} | summarize percentilesw(LatencyBucket, ReqCount, 50, 75, 99.9), one = percentilew(LatencyBucket, ReqCount, 50), all = percentilesw_array(LatencyBucket, ReqCount, 50, 75, 99.9)");

        Assert.Equal(["percentile_LatencyBucket_50", "percentile_LatencyBucket_75", "percentile_LatencyBucket_99_9", "one", "all"], result.Names());
        Assert.Equal([20L, 20L, 40L, 20L], result.Rows.Single().Take(4));
        Assert.Equal("[20,20,40]", QueryResultExtensions.Json(result.Single("all")));
    }
}
