using Tributary.Kql;
using static Tributary.Tests.Kql.QueryResultExtensions;

namespace Tributary.Tests.Kql.Functions;

/// <summary>The set functions against the examples of Kusto's documentation.</summary>
public sealed class SetFunctionTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private const string Arrays = """
        range x from 1 to 3 step 1
        | extend y = x * 2
        | extend z = y * 2
        | extend w = z * 2
        """;


    [Fact]
    public void SetUnion_KustosExamples_KeepsFirstAppearanceOrder()
    {
        var result = store.Run($"{Arrays} | extend a1 = pack_array(x,y,x,z), a2 = pack_array(x, y), a3 = pack_array(w) | project r = set_union(a1, a2, a3)");
        Assert.Equal(["[1,2,4,8]", "[2,4,8,16]", "[3,6,12,24]"], result.Column("r").Select(Json));
        var one = store.Run("datatable(Arr1: dynamic)[dynamic(['A4', 'A2', 'A7', 'A2']), dynamic(['C4', 'C7', 'C1', 'C4'])] | project r = set_union(Arr1, Arr1)");
        Assert.Equal(["[\"A4\",\"A2\",\"A7\"]", "[\"C4\",\"C7\",\"C1\"]"], one.Column("r").Select(Json));
    }

    [Fact]
    public void SetIntersect_KustosExamples()
    {
        var result = store.Run($"{Arrays} | extend a1 = pack_array(x,y,x,z), a2 = pack_array(x, y), a3 = pack_array(w,x) | project r = set_intersect(a1, a2, a3)");
        Assert.Equal(["[1]", "[2]", "[3]"], result.Column("r").Select(Json));
        Assert.Equal("[]", Json(store.Print("set_intersect(dynamic([1, 2, 3]), dynamic([4,5]))")));
    }

    [Fact]
    public void SetDifference_KustosExamples()
    {
        var result = store.Run($"{Arrays} | extend a1 = pack_array(x,y,x,z), a2 = pack_array(x, y), a3 = pack_array(x,y,w) | project r = set_difference(a1, a2, a3)");
        Assert.Equal(["[4]", "[8]", "[12]"], result.Column("r").Select(Json));
        Assert.Equal("[]", Json(store.Print("set_difference(dynamic([1,2,3]), dynamic([1,2,3]))")));
    }

    [Fact]
    public void SetFunctions_OnTypedListsAndMixedArrays()
    {
        Assert.Equal("[\"a\",\"b\",\"c\"]", Json(store.Print("set_union(split('a,b', ','), split('b,c', ','))")));
        Assert.Equal("[\"b\"]", Json(store.Print("set_intersect(split('a,b', ','), dynamic(['b', 'c']))")));
        Assert.Equal("[1,3]", Json(store.Print("set_difference(range(1, 3), dynamic([2]))")));
    }

    [Fact]
    public void SetFunctions_WithAValueThatIsNotAnArray_GiveNull()
    {
        Assert.Null(store.Print("set_union(dynamic([1]), dynamic({'a': 1}))"));
        Assert.Null(store.Print("set_intersect(dynamic([1]), dynamic(null))"));
        Assert.Null(store.Print("set_difference(dynamic('x'), dynamic([1]))"));
    }

    [Fact]
    public void SetHasElement_KustosExample_AndAColumnValue()
    {
        Assert.Equal(true, store.Run("print arr = dynamic(['this', 'is', 'an', 'example']) | project r = set_has_element(arr, 'example')").Single("r"));
        Assert.Equal([true, false], store.Run("datatable(v:long)[2, 5] | project r = set_has_element(dynamic([1, 2, 3]), v)").Column("r"));
        Assert.Equal(false, store.Print("set_has_element(dynamic({'a': 1}), 'a')"));
    }

    [Fact]
    public void SetEquals_IgnoresOrderAndRepeats()
    {
        Assert.Equal(true, store.Print("set_equals(dynamic([1, 2, 1]), dynamic([2, 1]))"));
        Assert.Equal(false, store.Print("set_equals(dynamic([1, 2]), dynamic([1, 3]))"));
        Assert.Equal(true, store.Print("set_equals(dynamic([]), dynamic([]))"));
    }

    [Fact]
    public void JaccardIndex_KustosExample_RepeatsAndEmptySets()
    {
        Assert.Equal(0.75, store.Run("print set1 = dynamic([1,2,3]), set2 = dynamic([1,2,3,4]) | extend r = jaccard_index(set1, set2)").Single("r"));
        Assert.Equal(1.0 / 3, store.Print("jaccard_index(dynamic([1, 1, 2]), dynamic([2, 3, 3]))"));
        Assert.True(double.IsNaN((double)store.Print("jaccard_index(dynamic([]), dynamic([]))")!));
    }

    [Fact]
    public void SetFunctions_OfANonDynamicValue_AreErrorsAtTheArgument()
    {
        var e = Assert.Throws<KqlException>(() => store.Run("print set_union(dynamic([1]), 2)"));
        Assert.Contains("set_union() expects a dynamic value but argument 2 is long", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 31), (e.Line, e.Column));
    }
}
