using Tributary.Kql;

namespace Tributary.Tests.Kql.Functions;

/// <summary>tdigest, hll and the functions that merge and read them, against Kusto's documented examples.</summary>
public sealed class SketchFunctionTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private const string TwoRanges = "range x from 1 to 10 step 1 | extend y = x + 10";

    [Fact]
    public void TDigest_OfWeightedCentroids_MatchesKustosDocumentedExample()
    {
        var result = store.Run("datatable(V:real, W:long)[1.0, 1, 2.0, 2] | summarize TD = tdigest(V, W) | project TD, P50 = percentile_tdigest(TD, 50)");

        Assert.Equal("[[8],[1,2],[1,2]]", QueryResultExtensions.Json(result.Single("TD")));
        Assert.Equal("2", QueryResultExtensions.Json(result.Single("P50")));
    }

    [Fact]
    public void MergeTDigest_MatchesKustosDocumentedExample()
    {
        var result = store.Run($"{TwoRanges} | summarize tdigestX = tdigest(x), tdigestY = tdigest(y) | project merged = merge_tdigest(tdigestX, tdigestY) | project p = percentile_tdigest(merged, 100, typeof(long))");

        Assert.Equal(20L, result.Single("p"));
    }

    [Fact]
    public void TDigestMerge_AsAnAggregate_MergesTheGroupsDigests()
    {
        var result = store.Run($"{TwoRanges} | summarize d = tdigest(x) by odd = x % 2 | summarize tdigest_merge(d) | project p = percentiles_array_tdigest(merge_tdigests_d, 0, 50, 100), q = percentiles_array_tdigest(merge_tdigests_d, dynamic([10, 90]))");

        Assert.Equal("[1,5,10]", QueryResultExtensions.Json(result.Single("p")));
        Assert.Equal("[1,9]", QueryResultExtensions.Json(result.Single("q")));
    }

    [Fact]
    public void RankTDigest_MatchesKustosDocumentedExample_AndPercentRankIsItsShare()
    {
        var result = store.Run("range x from 1 to 1000 step 1 | summarize t_x = tdigest(x) | project rank_of_685 = rank_tdigest(t_x, 685), share = percentrank_tdigest(t_x, 685)");

        Assert.Equal(685.0, result.Single("rank_of_685"));
        Assert.Equal(68.5, result.Single("share"));
    }

    [Fact]
    public void TDigest_OfDatetimes_GivesDatetimes()
    {
        var result = store.Run("range i from 0 to 3 step 1 | extend T = datetime(2024-01-01) + i * 1d | summarize d = tdigest(T) | project last = percentile_tdigest(d, 100), typed = percentile_tdigest(d, 100, typeof(datetime)), r = rank_tdigest(d, datetime(2024-01-02))");

        Assert.Equal("\"2024-01-04T00:00:00.0000000Z\"", (string)result.Single("last")!);
        Assert.Equal(QueryResultExtensions.Utc(2024, 1, 4), result.Single("typed"));
        Assert.Equal(2.0, result.Single("r"));
    }

    [Fact]
    public void Hll_HoldsKustosHashes_AndMergesToExactCounts()
    {
        var hll = store.Run("datatable(x:long)[0, 5000, 2000, 5000] | summarize hll(x)").Single("hll_x");
        Assert.Equal("""[[1024,14],["-1003235211361077779","3803688792395291579","7755241107725382121"],[]]""", QueryResultExtensions.Json(hll));

        var merged = store.Run($"{TwoRanges} | summarize hll_x = hll(x), hll_y = hll(y) | project merged = hll_merge(hll_x, hll_y) | project n = dcount_hll(merged)");
        Assert.Equal(20L, merged.Single("n"));
    }

    [Fact]
    public void HllIf_And_HllMergeAggregate_CountWhatTheyAreAsked()
    {
        var result = store.Run("range x from 1 to 20 step 1 | summarize h = hll_if(x % 7, x > 10) by odd = x % 2 | summarize hll_merge(h) | project n = dcount_hll(hll_merge_h)");

        Assert.Equal(7L, result.Single("n"));
    }

    [Fact]
    public void MergeFunctions_OutsideSummarize_AreTheRowFunctions_AndTypeofMustBeATypeofLiteral()
    {
        var e = Assert.Throws<KqlException>(() => store.Run("print d = dynamic([[7],[1],[1]]) | project percentile_tdigest(d, 50, 'long')"));
        Assert.Contains("typeof", e.Message, StringComparison.Ordinal);

        var one = Assert.Throws<KqlException>(() => store.Run("print d = dynamic([[7],[1],[1]]) | project merge_tdigest(d)"));
        Assert.Contains("takes 2 or more argument(s)", one.Message, StringComparison.Ordinal);

        var many = Assert.Throws<KqlException>(() => store.Run($"print d = dynamic([[7],[1],[1]]) | project merge_tdigest({string.Join(", ", Enumerable.Repeat("d", 17))})"));
        Assert.Contains("merges at most 16 digests, not 17", many.Message, StringComparison.Ordinal);
    }
}
