using Tributary.Kql;
using static Tributary.Tests.Kql.QueryResultExtensions;

namespace Tributary.Tests.Kql.Operators;

/// <summary>mv-apply against the examples of Kusto's documentation, and its errors.</summary>
public sealed class MvApplyTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private static List<string> Rows(Tributary.Query.QueryResult result) =>
        result.Rows.Select(r => string.Join("|", r.Select(v => v is string s && s.StartsWith('[') ? Json(s) : Text(v)))).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void MvApply_TakeInTheSubquery_ExpandsEachRow()
    {
        var result = store.Run("""
            let data = datatable (index: int, Arr: dynamic)[0, dynamic([7]), 1, dynamic([6, 11, 7])];
            data
            | mv-apply Arr2 = Arr to typeof(long) on (take 100)
            """);
        Assert.Equal(["index", "Arr", "Arr2"], result.Names());
        Assert.Equal(["0|[7]|7", "1|[6,11,7]|11", "1|[6,11,7]|6", "1|[6,11,7]|7"], Rows(result));
    }

    [Fact]
    public void MvApply_TopOne_GivesTheLargestElementOfEachArray()
    {
        var result = store.Run("""
            datatable (index: int, Arr: dynamic)[0, dynamic([1, 5, 3]), 1, dynamic([10, 2, 5, 7])]
            | mv-apply topElem = Arr to typeof(long) on (top 1 by topElem)
            """);
        Assert.Equal(["0|[1,5,3]|5", "1|[10,2,5,7]|10"], Rows(result));
    }

    [Fact]
    public void MvApply_SummarizeInTheSubquery_GivesOneRowPerInputRow()
    {
        var result = store.Run("""
            datatable (index: int, Arr: dynamic)[0, dynamic([5, 1, 3]), 1, dynamic([4, 10, 8, 7])]
            | mv-apply Arr2 = Arr to typeof(long) on (top 2 by Arr2 | summarize Top2 = make_list(Arr2))
            """);
        Assert.Equal(["index", "Arr", "Top2"], result.Names());
        Assert.Equal(["0|[5,1,3]|[5,3]", "1|[4,10,8,7]|[10,8]"], Rows(result));
    }

    [Fact]
    public void MvApply_SeveralArrays_ExpandInParallel()
    {
        var result = store.Run("""
            datatable (Val:int, Arr1:dynamic, Arr2:dynamic)
            [ 1, dynamic(['A1', 'A2', 'A3']), dynamic([10, 30, 7]),
              7, dynamic(['B1', 'B2', 'B5']), dynamic([15, 11, 50]),
              3, dynamic(['C1', 'C2', 'C3', 'C4']), dynamic([6, 40, 20, 8])]
            | mv-apply NewArr1 = Arr1, NewArr2 = Arr2 to typeof(long) on (
                top 2 by NewArr2
                | summarize NewArr1 = make_list(NewArr1), NewArr2 = make_list(NewArr2))
            | project Val, NewArr1, NewArr2
            """);
        Assert.Equal(["1|[\"A2\",\"A1\"]|[30,10]", "3|[\"C2\",\"C3\"]|[40,20]", "7|[\"B5\",\"B1\"]|[50,15]"], Rows(result));
    }

    [Fact]
    public void MvApply_WithItemIndex_GivesEachElementsPosition()
    {
        var result = store.Run("""
            datatable (row: int, Arr: dynamic)[0, dynamic([5, 1, 3]), 1, dynamic([4, 10, 8, 7])]
            | mv-apply with_itemindex=index value = Arr to typeof(long) on (where index >= 2)
            """);
        Assert.Equal(["row", "Arr", "value", "index"], result.Names());
        Assert.Equal(["0|[5,1,3]|3|2", "1|[4,10,8,7]|7|3", "1|[4,10,8,7]|8|2"], Rows(result));
    }

    [Fact]
    public void MvApply_ArraysOfDifferentLengths_ArePaddedWithNulls()
    {
        var result = store.Run("""
            datatable (Val: int, Arr1: dynamic, Arr2: dynamic)
            [1, dynamic(['A1', 'A2']), dynamic(['B1', 'B2', 'B3']),
             5, dynamic(['C1', 'C2']), dynamic(['D1'])]
            | mv-apply T1 = Arr1, T2 = Arr2 on (extend Out = strcat(T1, "_", T2) | summarize Out = make_list(Out))
            | project Val, Out
            """);
        Assert.Equal(["1|[\"A1_B1\",\"A2_B2\",\"_B3\"]", "5|[\"C1_D1\",\"C2_\"]"], Rows(result));
    }

    [Fact]
    public void MvApply_PropertyBag_CanBeExpandedInsideTheSubquery()
    {
        var result = store.Run("""
            datatable(Source: string, Target: string, Count: long)['555-1234', '555-1212', 46, '555-2424', '', int(null)]
            | extend Pack = bag_pack("Source", Source, "Target", Target, "Count", Count)
            | mv-apply removeProperties = Pack on (
                mv-expand kind = array Pack
                | where Pack[1] !startswith "555"
                | summarize propsToRemove = make_set(Pack[0]))
            | project Source, n = array_length(propsToRemove), count = set_has_element(propsToRemove, "Count"), target = set_has_element(propsToRemove, "Target")
            """);
        Assert.Equal(["555-1234|1|True|False", "555-2424|2|True|True"], Rows(result));
    }

    [Fact]
    public void MvApply_Limit_ExpandsOnlyTheFirstElements()
    {
        var result = store.Run("print a = dynamic([1, 2, 3, 4]) | mv-apply a to typeof(long) limit 2 on (summarize s = sum(a), n = count())");
        Assert.Equal(["s", "n"], result.Names());
        Assert.Equal(["3|2"], Rows(result));
    }

    [Fact]
    public void MvApply_Subtable_IsInArrayOrder_AndSerializedInputKeepsItsOrder()
    {
        var result = store.Run("range x from 1 to 3 step 1 | sort by x asc | mv-apply e = range(x, 1, -1) to typeof(long) on (extend r = row_number() | take 2)");
        Assert.Equal([1L, 2L, 2L, 3L, 3L], result.Column("x"));
        Assert.Equal([1L, 2L, 1L, 3L, 2L], result.Column("e"));
        Assert.Equal([1L, 1L, 2L, 1L, 2L], result.Column("r"));
    }

    [Fact]
    public void MvApply_EmptyArray_GivesTheSubqueryOfAnEmptyTable()
    {
        var result = store.Run("print k = 1, a = dynamic([]) | mv-apply a on (summarize n = count())");
        Assert.Equal(["1|0"], Rows(result));
    }

    [Fact]
    public void MvApply_SubqueryColumnOfAnInputName_ReplacesTheInputColumn()
    {
        var result = store.Run("print k = 1, a = dynamic([1, 2]) | mv-apply x = a to typeof(long) on (summarize k = sum(x))");
        Assert.Equal(["k", "a"], result.Names());
        Assert.Equal(3L, result.Single("k"));
    }

    [Fact]
    public void MvApply_OfAColumnOnTheStore_Works()
    {
        store.Run(".create-merge table Metrics (Host:string, Values:dynamic)");
        store.Run(".set-or-replace Metrics <| datatable(Host:string, Values:dynamic)['a', dynamic([3, 1, 2]), 'b', dynamic([5])]");
        var result = store.Run("Metrics | mv-apply v = Values to typeof(real) on (summarize m = max(v)) | project Host, m");
        Assert.Equal(["a|3", "b|5"], Rows(result));
    }

    [Theory]
    [InlineData("print a = 1 | mv-apply a on (take 1)", "mv-apply needs a dynamic array but 'a' is long", 1, 24)]
    [InlineData("print a = dynamic([1]) | mv-apply a to typeof(long) (take 1)", "expected 'on'", 1, 53)]
    [InlineData("print a = dynamic([1]) | mv-apply a on take 1", "expected '(' and the mv-apply subquery", 1, 40)]
    [InlineData("print a = dynamic([1]) | mv-apply a on (take 1", "expected ')' to close the mv-apply subquery", 1, 47)]
    [InlineData("print a = dynamic([1]) | mv-apply a on (where b > 1)", "unknown column 'b'", 1, 47)]
    [InlineData("print a = dynamic([1]) | mv-apply a limit -1 on (take 1)", "the limit of mv-apply needs a non-negative whole number constant", 1, 43)]
    [InlineData("print a = dynamic([1]) | mv-apply a + 1 on (take 1)", "mv-apply of an expression needs a name", 1, 37)]
    public void MvApply_BadInput_IsAnErrorWithPosition(string query, string message, int line, int column)
    {
        var e = Assert.Throws<KqlException>(() => store.Run(query));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (e.Line, e.Column));
    }
}
