using static Tributary.Tests.Kql.QueryResultExtensions;

namespace Tributary.Tests.Kql;

/// <summary>summarize: Kusto's default output column names, column order, and its answers on empty input.</summary>
public sealed class SummarizeTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private const string Events = """
        datatable(Host:string, Ts:datetime, Duration:long, Tag:string)[
          "a", datetime(2024-01-01 10:05), 10, "x",
          "a", datetime(2024-01-01 10:50), 30, "y",
          "b", datetime(2024-01-01 11:10), 20, "x",
          "b", datetime(2024-01-01 12:00), 40, "x",
          "b", datetime(2024-01-01 12:30), 50, "z"]
        """;

    [Fact]
    public void Summarize_CountAndCountif_AreNamedCountUnderscore()
    {
        var result = store.Run($"{Events} | summarize count(), countif(Duration > 25) by Host | sort by Host asc");
        Assert.Equal(["Host", "count_", "countif_"], result.Names());
        Assert.Equal([2L, 3L], result.Column("count_"));
        Assert.Equal([1L, 2L], result.Column("countif_"));
    }

    [Fact]
    public void Summarize_AggregatesOfAColumn_AreNamedFunctionUnderscoreColumn()
    {
        var result = store.Run($"{Events} | summarize dcount(Tag), sum(Duration), avg(Duration), min(Duration), max(Duration)");
        Assert.Equal(["dcount_Tag", "sum_Duration", "avg_Duration", "min_Duration", "max_Duration"], result.Names());
        Assert.Equal(3L, result.Single("dcount_Tag"));
        Assert.Equal(150L, result.Single("sum_Duration"));
        Assert.Equal(30.0, result.Single("avg_Duration"));
        Assert.Equal(10L, result.Single("min_Duration"));
        Assert.Equal(50L, result.Single("max_Duration"));
    }

    [Fact]
    public void Summarize_CountOfAColumn_IsNamedCountUnderscoreColumnAndCountsNulls()
    {
        // Documented: count(y) includes the null values of y in its count.
        var result = store.Run("""
            range x from 1 to 2 step 1
            | extend y = iff(x == 1, real(null), real(5))
            | summarize count(y)
            """);
        Assert.Equal(["count_y"], result.Names());
        Assert.Equal(2L, result.Single("count_y"));
    }

    [Fact]
    public void Summarize_SumAndAvg_IgnoreNulls()
    {
        var result = store.Run("""
            range x from 1 to 4 step 1
            | extend y = iff(x == 1, real(null), real(5))
            | summarize sum(y), avg(y)
            """);
        Assert.Equal(15.0, result.Single("sum_y"));
        Assert.Equal(5.0, result.Single("avg_y"));
    }

    [Fact]
    public void Summarize_Percentile_IsNamedPercentileColumnValue()
    {
        var result = store.Run($"{Events} | summarize percentile(Duration, 95)");
        Assert.Equal(["percentile_Duration_95"], result.Names());
        Assert.Equal(50L, result.Single("percentile_Duration_95"));
    }

    [Fact]
    public void Summarize_Percentiles_GivesOneColumnPerPercentage()
    {
        var result = store.Run($"{Events} | summarize percentiles(Duration, 50, 95)");
        Assert.Equal(["percentile_Duration_50", "percentile_Duration_95"], result.Names());
        Assert.Equal(30L, result.Single("percentile_Duration_50"));
        Assert.Equal(50L, result.Single("percentile_Duration_95"));
    }

    [Fact]
    public void Summarize_MakeListAndMakeSet_AreNamedListAndSet()
    {
        var result = store.Run($"{Events} | where Host == \"b\" | summarize make_list(Duration), make_set(Tag)");
        Assert.Equal(["list_Duration", "set_Tag"], result.Names());
        Assert.Equal("[20,40,50]", Json(result.Single("list_Duration")));
        var set = System.Text.Json.JsonSerializer.Deserialize<string[]>((string)result.Single("set_Tag")!)!;
        Assert.Equal(["x", "z"], set.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Summarize_SameAggregateTwice_SecondGetsSuffixOne()
    {
        var result = store.Run($"{Events} | summarize make_set(Tag), make_set(Tag), max(Duration), max(Duration)");
        Assert.Equal(["set_Tag", "set_Tag1", "max_Duration", "max_Duration1"], result.Names());
    }

    [Fact]
    public void Summarize_ArgMaxStar_KeysFirstThenTargetThenOtherColumns()
    {
        var result = store.Run($"{Events} | summarize arg_max(Ts, *) by Host | sort by Host asc");
        Assert.Equal(["Host", "Ts", "Duration", "Tag"], result.Names());
        Assert.Equal([Utc(2024, 1, 1, 10, 50, 0), Utc(2024, 1, 1, 12, 30, 0)], result.Column("Ts"));
        Assert.Equal([30L, 50L], result.Column("Duration"));
        Assert.Equal(["y", "z"], result.Column("Tag"));
    }

    [Fact]
    public void Summarize_ArgMinWithColumns_ReturnsThoseColumnsFromTheMinimalRow()
    {
        var result = store.Run($"{Events} | summarize arg_min(Duration, Tag, Ts) by Host | sort by Host asc");
        Assert.Equal(["Host", "Duration", "Tag", "Ts"], result.Names());
        Assert.Equal([10L, 20L], result.Column("Duration"));
        Assert.Equal(["x", "x"], result.Column("Tag"));
    }

    [Fact]
    public void Summarize_ByBin_KeyIsNamedAfterTheColumn()
    {
        var result = store.Run($"{Events} | summarize count() by bin(Ts, 1h) | sort by Ts asc");
        Assert.Equal(["Ts", "count_"], result.Names());
        Assert.Equal([Utc(2024, 1, 1, 10, 0, 0), Utc(2024, 1, 1, 11, 0, 0), Utc(2024, 1, 1, 12, 0, 0)], result.Column("Ts"));
        Assert.Equal([2L, 1L, 2L], result.Column("count_"));
    }

    [Fact]
    public void Summarize_ByUnnamedExpression_KeyIsColumn1()
    {
        var result = store.Run($"{Events} | summarize count() by Duration % 20 | sort by Column1 asc");
        Assert.Equal(["Column1", "count_"], result.Names());
        Assert.Equal([0L, 10L], result.Column("Column1"));
        Assert.Equal([2L, 3L], result.Column("count_"));
    }

    [Fact]
    public void Summarize_ByNamedExpression_UsesTheName()
    {
        var result = store.Run($"{Events} | summarize n = count() by Long = Duration > 25 | sort by Long asc");
        Assert.Equal(["Long", "n"], result.Names());
        Assert.Equal([false, true], result.Column("Long"));
        Assert.Equal([2L, 3L], result.Column("n"));
    }

    [Fact]
    public void Summarize_OnlyBy_IsDistinctKeys()
    {
        var result = store.Run($"{Events} | summarize by Host, Tag | sort by Host asc, Tag asc");
        Assert.Equal(["Host", "Tag"], result.Names());
        Assert.Equal(["a", "a", "b", "b"], result.Column("Host"));
        Assert.Equal(["x", "y", "x", "z"], result.Column("Tag"));
    }

    [Fact]
    public void Summarize_EmptyInputNoBy_OneRowWithCountZero()
    {
        var result = store.Run($"{Events} | where Duration > 1000 | summarize count()");
        Assert.Equal(0L, result.Single("count_"));
    }

    [Fact]
    public void Summarize_EmptyInputNoBy_AggregatesTakeTheirDocumentedDefaults()
    {
        var result = store.Run("""
            datatable(x:long)[]
            | summarize countif(x > 0), dcount(x), sum(x), sumif(x, x > 0), make_set(x), make_list(x), max(x), min(x)
            """);
        Assert.Equal(0L, result.Single("countif_"));
        Assert.Equal(0L, result.Single("dcount_x"));
        Assert.Equal(0L, result.Single("sum_x"));
        Assert.Equal(0L, result.Single("sumif_x"));
        Assert.Equal("[]", Json(result.Single("set_x")));
        Assert.Equal("[]", Json(result.Single("list_x")));
        Assert.Null(result.Single("max_x"));
        Assert.Null(result.Single("min_x"));
    }

    [Fact]
    public void Summarize_EmptyInputNoBy_AvgIsNaN()
    {
        var result = store.Run("datatable(x:long)[] | summarize avg(x)");
        Assert.True(double.IsNaN(Assert.IsType<double>(result.Single("avg_x"))));
    }

    [Fact]
    public void Summarize_EmptyInputWithBy_NoRows()
    {
        var result = store.Run($"{Events} | where Duration > 1000 | summarize count() by Host");
        Assert.Empty(result.Rows);
        Assert.Equal(["Host", "count_"], result.Names());
    }

    [Fact]
    public void Count_Operator_ReturnsOneColumnNamedCount()
    {
        var result = store.Run($"{Events} | count");
        Assert.Equal(["Count"], result.Names());
        Assert.Equal(5L, result.Single("Count"));
    }
}
