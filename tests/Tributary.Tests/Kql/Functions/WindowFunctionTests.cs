using Tributary.Kql;
using static Tributary.Tests.Kql.QueryResultExtensions;

namespace Tributary.Tests.Kql.Functions;

/// <summary>
/// The functions of serialized rows against the examples of Kusto's documentation: running sums, ranks, sessions,
/// row_number's restart, and a restart (or value) that itself reads neighbouring rows.
/// </summary>
public sealed class WindowFunctionTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private const string Salaries = """
        datatable(name:string, month:int, salary:long)["Alice", 1, 1000, "Bob", 1, 1000, "Alice", 2, 2000, "Bob", 2, 1950, "Alice", 3, 1400, "Bob", 3, 1450]
        | order by name asc, month asc
        """;

    private const string Departures = """
        datatable(Airport:string, Airline:string, Departures:long)["SEA", "LH", 3, "SEA", "LY", 100, "SEA", "UA", 3, "SEA", "BA", 2, "SEA", "EL", 3, "AMS", "EL", 1, "AMS", "BA", 1]
        """;

    [Fact]
    public void RowCumsum_KustosExample_SumsTheEvenNumbers()
    {
        var result = store.Run("datatable(a:long)[1, 2, 3, 4, 5, 6, 7, 8, 9, 10] | where a % 2 == 0 | serialize cs = row_cumsum(a)");
        Assert.Equal([2L, 6L, 12L, 20L, 30L], result.Column("cs"));
    }

    [Fact]
    public void RowCumsum_WithRestartOnPrev_SumsEachName()
    {
        var result = store.Run($"{Salaries} | extend total = row_cumsum(salary, name != prev(name))");
        Assert.Equal([1000L, 3000L, 4400L, 1000L, 2950L, 4400L], result.Column("total"));
    }

    [Fact]
    public void RowCumsum_KeepsTheTermsType_AndCountsNullsAsZero()
    {
        var result = store.Run("datatable(x:real, i:int)[1.5, 1, real(null), int(null), 2.0, 2] | serialize r = row_cumsum(x), n = row_cumsum(i)");
        Assert.Equal([1.5, 1.5, 3.5], result.Column("r"));
        Assert.Equal([1, 1, 3], result.Column("n"));
    }

    [Fact]
    public void RowRankDense_KustosExamples_WithAndWithoutRestart()
    {
        var single = store.Run($"{Departures} | where Airport == 'SEA' | sort by Departures asc | extend Rank = row_rank_dense(Departures)");
        Assert.Equal([1L, 2L, 2L, 2L, 3L], single.Column("Rank"));

        var partitioned = store.Run($"{Departures} | sort by Airport desc, Departures asc | extend Rank = row_rank_dense(Departures, prev(Airport) != Airport)");
        Assert.Equal([1L, 2L, 2L, 2L, 3L, 1L, 1L], partitioned.Column("Rank"));
    }

    [Fact]
    public void RowRankMin_KustosExamples_WithAndWithoutRestart()
    {
        var single = store.Run($"{Departures} | where Airport == 'SEA' | sort by Departures asc | extend Rank = row_rank_min(Departures)");
        Assert.Equal([1L, 2L, 2L, 2L, 5L], single.Column("Rank"));

        var result = store.Run("""
            datatable(Category:string, Item:string, Value:int)["A", "item1", 10, "A", "item2", 10, "A", "item3", 5, "A", "item4", 20, "B", "item2", 5, "B", "item1", 7]
            | sort by Category asc, Value asc
            | extend rank = row_rank_min(Value, Category != prev(Category))
            """);
        Assert.Equal([1L, 2L, 2L, 4L, 1L, 2L], result.Column("rank"));
    }

    [Fact]
    public void RowRank_OfADynamicTerm_IsAnErrorAtTheTerm()
    {
        var e = Assert.Throws<KqlException>(() => store.Run("range x from 1 to 3 step 1 | extend r = row_rank_dense(dynamic([1]))"));
        Assert.Contains("not dynamic", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 56), (e.Line, e.Column));
    }

    [Fact]
    public void RowWindowSession_KustosExample_SessionsPerId()
    {
        var result = store.Run("""
            datatable(ID:string, Timestamp:datetime)[
                "1", datetime(2024-04-11 10:00:00), "2", datetime(2024-04-11 10:18:00), "1", datetime(2024-04-11 11:00:00),
                "3", datetime(2024-04-11 11:30:00), "2", datetime(2024-04-11 13:30:00), "2", datetime(2024-04-11 10:16:00)]
            | sort by ID asc, Timestamp asc
            | extend SessionStarted = row_window_session(Timestamp, 1h, 5m, ID != prev(ID))
            """);
        Assert.Equal(
            [Utc(2024, 4, 11, 10, 0, 0), Utc(2024, 4, 11, 11, 0, 0), Utc(2024, 4, 11, 10, 16, 0), Utc(2024, 4, 11, 10, 16, 0), Utc(2024, 4, 11, 13, 30, 0), Utc(2024, 4, 11, 11, 30, 0)],
            result.Column("SessionStarted"));
    }

    [Fact]
    public void RowWindowSession_EndsAtMaxFromFirst_AndAfterANull()
    {
        // Neighbours 4 minutes apart stay together until the session is 10 minutes old; a null starts a new one.
        var result = store.Run("""
            datatable(t:datetime)[datetime(2024-01-01 00:00), datetime(2024-01-01 00:04), datetime(2024-01-01 00:08),
                datetime(2024-01-01 00:12), datetime(null), datetime(2024-01-01 00:14)]
            | serialize s = row_window_session(t, 10m, 5m)
            """);
        Assert.Equal(
            [Utc(2024, 1, 1), Utc(2024, 1, 1), Utc(2024, 1, 1), Utc(2024, 1, 1, 0, 12, 0), null, Utc(2024, 1, 1, 0, 14, 0)],
            result.Column("s"));
    }

    [Fact]
    public void RowNumber_KustosPartitionExample_AndAStartFromAColumn()
    {
        var result = store.Run("""
            datatable(Airport:string, Airline:string, Departures:long)["TLV", "LH", 1, "TLV", "LY", 100, "SEA", "LH", 1, "SEA", "BA", 2, "SEA", "LY", 0]
            | sort by Airport asc, Departures desc
            | extend Rank = row_number(1, prev(Airport) != Airport), FromDepartures = row_number(Departures)
            """);
        Assert.Equal([1L, 2L, 3L, 1L, 2L], result.Column("Rank"));
        Assert.Equal([2L, 2L, 2L, 103L, 5L], result.Column("FromDepartures"));
    }

    [Fact]
    public void Range_IsSerialized_ForRowNumberAndPrev()
    {
        var result = store.Run("range a from 1 to 10 step 1 | sort by a desc | extend rn = row_number(7) | take 2");
        Assert.Equal([7L, 8L], result.Column("rn"));
        var direct = store.Run("range a from 5 to 1 step -2 | extend rn = row_number(), p = prev(a), n = prev(row_number())");
        Assert.Equal([5L, 3L, 1L], direct.Column("a"));
        Assert.Equal([1L, 2L, 3L], direct.Column("rn"));
        Assert.Equal([null, 5L, 3L], direct.Column("p"));
        Assert.Equal([null, 1L, 2L], direct.Column("n"));
    }

    [Fact]
    public void WindowReadingAWindow_InWhereAndProject_IsStagedBelow()
    {
        var where = store.Run($"{Salaries} | where row_number(1, name != prev(name)) == 1 | project name");
        Assert.Equal(["Alice", "Bob"], where.Column("name"));
        var project = store.Run($"{Salaries} | project name, first = row_number(1, name != prev(name)) == 1");
        Assert.Equal([true, false, false, true, false, false], project.Column("first"));
    }

    [Fact]
    public void WindowFunctions_OnRowsNotSerialized_AreErrors()
    {
        var e = Assert.Throws<KqlException>(() => store.Run("datatable(x:long)[1] | extend r = row_cumsum(x)"));
        Assert.Contains("row_cumsum() needs serialized rows", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<KqlException>(() => store.Run("range x from 1 to 2 step 1 | summarize by p = row_rank_min(x, prev(x) > 0)"));
        Assert.Contains("row_rank_min() cannot read a value computed with prev", e.Message, StringComparison.Ordinal);
    }
}
