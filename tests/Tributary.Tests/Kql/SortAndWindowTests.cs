namespace Tributary.Tests.Kql;

/// <summary>sort/top defaults (descending, nulls placement) and the window functions of serialized rows.</summary>
public sealed class SortAndWindowTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private const string Numbers = "datatable(x:long, s:string)[2, \"b\", 1, \"a\", 3, \"c\"]";
    private const string WithNull = "datatable(x:long)[2, long(null), 1, 3]";

    [Fact]
    public void Sort_NoDirection_IsDescending() =>
        Assert.Equal([3L, 2L, 1L], store.Run($"{Numbers} | sort by x").Column("x"));

    [Fact]
    public void OrderBy_NoDirection_IsDescending() =>
        Assert.Equal(["c", "b", "a"], store.Run($"{Numbers} | order by s").Column("s"));

    [Fact]
    public void Sort_Asc_IsAscending() =>
        Assert.Equal([1L, 2L, 3L], store.Run($"{Numbers} | sort by x asc").Column("x"));

    [Fact]
    public void Sort_Asc_PutsNullsFirst() =>
        Assert.Equal([null, 1L, 2L, 3L], store.Run($"{WithNull} | sort by x asc").Column("x"));

    [Fact]
    public void Sort_Desc_PutsNullsLast() =>
        Assert.Equal([3L, 2L, 1L, null], store.Run($"{WithNull} | sort by x desc").Column("x"));

    [Fact]
    public void Sort_DefaultDirection_PutsNullsLast() =>
        Assert.Equal([3L, 2L, 1L, null], store.Run($"{WithNull} | sort by x").Column("x"));

    [Fact]
    public void Sort_ExplicitNullsPlacement_OverridesDefault()
    {
        Assert.Equal([1L, 2L, 3L, null], store.Run($"{WithNull} | sort by x asc nulls last").Column("x"));
        Assert.Equal([null, 3L, 2L, 1L], store.Run($"{WithNull} | sort by x desc nulls first").Column("x"));
    }

    [Fact]
    public void Sort_RealWithNaNAndInfinities_GroupsNaNWithNullAsDocumented()
    {
        const string values = "datatable(x:real)[5.0, real(null), real(-inf), 0.0, real(nan), real(+inf), -5.0]";
        static List<string> Texts(Tributary.Query.QueryResult r) => r.Column("x").Select(v => v is null ? "null" : ((double)v).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(["null", "NaN", "-Infinity", "-5", "0", "5", "Infinity"], Texts(store.Run($"{values} | sort by x asc nulls first")));
        Assert.Equal(["null", "NaN", "Infinity", "5", "0", "-5", "-Infinity"], Texts(store.Run($"{values} | sort by x desc nulls first")));
        Assert.Equal(["-Infinity", "-5", "0", "5", "Infinity", "NaN", "null"], Texts(store.Run($"{values} | sort by x asc nulls last")));
        Assert.Equal(["Infinity", "5", "0", "-5", "-Infinity", "NaN", "null"], Texts(store.Run($"{values} | sort by x desc nulls last")));
    }

    [Fact]
    public void Top_Asc_PutsNullsFirst() =>
        Assert.Equal([null, 1L, 2L], store.Run($"{WithNull} | top 3 by x asc").Column("x"));

    [Fact]
    public void Sort_TwoKeysDirectionOnSecondOnly_FirstKeyIsDescending()
    {
        var result = store.Run("""
            datatable(A:long, B:long)[1, 1, 1, 2, 2, 1, 2, 2]
            | sort by A, B asc
            """);
        Assert.Equal([2L, 2L, 1L, 1L], result.Column("A"));
        Assert.Equal([1L, 2L, 1L, 2L], result.Column("B"));
    }

    [Fact]
    public void Top_NoDirection_TakesLargestInDescendingOrder() =>
        Assert.Equal([3L, 2L], store.Run($"{Numbers} | top 2 by x").Column("x"));

    [Fact]
    public void Top_Asc_TakesSmallestInAscendingOrder() =>
        Assert.Equal([1L, 2L], store.Run($"{Numbers} | top 2 by x asc").Column("x"));

    [Fact]
    public void Top_Desc_LeavesNullsOut() =>
        Assert.Equal([3L, 2L, 1L], store.Run($"{WithNull} | top 3 by x").Column("x"));

    [Fact]
    public void Top_KeepsAllColumns()
    {
        var result = store.Run($"{Numbers} | top 1 by x");
        Assert.Equal(["x", "s"], result.Names());
        Assert.Equal("c", result.Single("s"));
    }

    // ---- prev, next, row_number, serialize --------------------------------------------------------

    [Fact]
    public void Prev_FirstRow_StringIsEmptyAndNumberIsNull()
    {
        var result = store.Run($"{Numbers} | sort by x asc | extend ps = prev(s), px = prev(x)");
        Assert.Equal(["", "a", "b"], result.Column("ps"));
        Assert.Equal([null, 1L, 2L], result.Column("px"));
    }

    [Fact]
    public void Prev_OffsetTwo_LooksTwoRowsBack()
    {
        var result = store.Run($"{Numbers} | sort by x asc | extend p2 = prev(x, 2)");
        Assert.Equal([null, null, 1L], result.Column("p2"));
    }

    [Fact]
    public void Prev_WithDefault_UsesDefaultOnFirstRow()
    {
        var result = store.Run($"{Numbers} | sort by x asc | extend p = prev(x, 1, 0), q = prev(s, 1, \"none\")");
        Assert.Equal([0L, 1L, 2L], result.Column("p"));
        Assert.Equal(["none", "a", "b"], result.Column("q"));
    }

    [Fact]
    public void Next_LastRow_IsNullAndEmpty()
    {
        var result = store.Run($"{Numbers} | sort by x asc | extend nx = next(x), ns = next(s)");
        Assert.Equal([2L, 3L, null], result.Column("nx"));
        Assert.Equal(["b", "c", ""], result.Column("ns"));
    }

    [Fact]
    public void RowNumber_AfterSort_CountsFromOneInSortOrder()
    {
        var result = store.Run($"{Numbers} | sort by x desc | extend rn = row_number()");
        Assert.Equal([3L, 2L, 1L], result.Column("x"));
        Assert.Equal([1L, 2L, 3L], result.Column("rn"));
    }

    [Fact]
    public void RowNumber_WithStartIndex_CountsFromIt()
    {
        var result = store.Run($"{Numbers} | sort by x asc | extend rn = row_number(10)");
        Assert.Equal([10L, 11L, 12L], result.Column("rn"));
    }

    [Fact]
    public void RowNumber_WithRestartPredicate_NumbersEachPartition()
    {
        var result = store.Run("""
            datatable (Airport:string, Airline:string, Departures:long)
            [
              "TLV", "LH", 1,
              "TLV", "LY", 100,
              "SEA", "LH", 1,
              "SEA", "BA", 2,
              "SEA", "LY", 0
            ]
            | sort by Airport asc, Departures desc
            | extend Rank=row_number(1, prev(Airport) != Airport)
            """);
        Assert.Equal(["SEA", "SEA", "SEA", "TLV", "TLV"], result.Column("Airport"));
        Assert.Equal([1L, 2L, 3L, 1L, 2L], result.Column("Rank"));
    }

    [Fact]
    public void RowNumber_WithRestartOnAPlainPredicate_StartsAgainAtEachTrueRow()
    {
        // sort is descending: 3 and 2 restart, 1 does not.
        var result = store.Run($"{Numbers} | sort by x | extend r = row_number(1, x > 1)");
        Assert.Equal([1L, 1L, 2L], result.Column("r"));
    }

    [Fact]
    public void Serialize_WithAssignment_NumbersRowsAndAllowsPrev()
    {
        var result = store.Run("""
            range x from 1 to 4 step 1
            | serialize rn = row_number()
            | extend d = x - prev(x)
            """);
        Assert.Equal([1L, 2L, 3L, 4L], result.Column("rn"));
        Assert.Equal([null, 1L, 1L, 1L], result.Column("d"));
    }

    [Fact]
    public void Prev_InWhereAfterSort_FiltersOnAdjacentRows()
    {
        var result = store.Run("""
            datatable(t:long, v:long)[1, 10, 2, 10, 3, 20, 4, 20, 5, 5]
            | sort by t asc
            | where v != prev(v, 1, -1)
            """);
        Assert.Equal([1L, 3L, 5L], result.Column("t"));
    }
}
