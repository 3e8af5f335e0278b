using static Tributary.Tests.Kql.QueryResultExtensions;

namespace Tributary.Tests.Kql;

/// <summary>dynamic values: property and index access, conversions, packing, and mv-expand.</summary>
public sealed class DynamicTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private const string Doc = """datatable(d:dynamic)[dynamic({"a":{"b":5,"s":"text"},"arr":[10,20,30],"n":42,"ns":"7"})]""";

    private object? OnDoc(string expression) => store.Run($"{Doc} | project r = {expression}").Single("r");

    [Fact]
    public void MemberAccess_NestedProperty_IsDynamicValue()
    {
        Assert.Equal("5", Json(OnDoc("d.a.b")));
        Assert.Equal(5L, OnDoc("tolong(d.a.b)"));
    }

    [Fact]
    public void IndexAccess_PropertyThenArrayElement()
    {
        Assert.Equal("10", Json(OnDoc("d[\"arr\"][0]")));
        Assert.Equal(20L, OnDoc("tolong(d.arr[1])"));
        Assert.Equal(30L, OnDoc("tolong(d.arr[-1])"));
        Assert.Equal(5L, OnDoc("tolong(d[\"a\"][\"b\"])"));
    }

    [Fact]
    public void DynamicLiteral_Indexed_GivesTheElement()
    {
        var result = store.Run("""print a = tolong(dynamic({"a":1})["a"]), b = tostring(dynamic(["x", "y"])[1]), c = tolong(dynamic({"k":[5,6]}) ["k"][1])""");
        Assert.Equal(1L, result.Single("a"));
        Assert.Equal("y", result.Single("b"));
        Assert.Equal(6L, result.Single("c"));
    }

    [Fact]
    public void Tostring_OfDynamicString_IsTheStringWithoutQuotes() =>
        Assert.Equal("text", OnDoc("tostring(d.a.s)"));

    [Fact]
    public void Tostring_OfDynamicObject_IsItsJson() =>
        Assert.Equal("{\"b\":5,\"s\":\"text\"}", Json(OnDoc("tostring(d.a)")));

    [Fact]
    public void MissingProperty_IsEmpty()
    {
        Assert.True(Assert.IsType<bool>(OnDoc("isempty(d.missing)")));
        Assert.Equal("", OnDoc("tostring(d.missing)"));
        Assert.Null(OnDoc("tolong(d.missing)"));
    }

    [Fact]
    public void Tolong_OfNumberAndNumericString_ParsesBoth()
    {
        Assert.Equal(42L, OnDoc("tolong(d.n)"));
        Assert.Equal(7L, OnDoc("tolong(d.ns)"));
    }

    [Fact]
    public void Todynamic_JsonText_ParsesToObject()
    {
        var result = store.Run("""print o = todynamic('{"a":1}') | extend a = tolong(o.a)""");
        Assert.Equal("{\"a\":1}", Json(result.Single("o")));
        Assert.Equal(1L, result.Single("a"));
        Assert.Equal(2L, store.Run("""print r = tolong(parse_json('{"x":[1,2]}').x[1])""").Single("r"));
    }

    [Fact]
    public void ArrayLength_OfArrayAndNonArray()
    {
        Assert.Equal(3L, OnDoc("array_length(d.arr)"));
        Assert.Equal(3L, store.Run("print r = array_length(dynamic([1, 2, 3]))").Single("r"));
        Assert.Null(OnDoc("array_length(d.a)"));
    }

    [Fact]
    public void Split_ThenIndex_GivesThePart()
    {
        var result = store.Run("""datatable(s:string)["host:8080:x"] | project first = split(s, ":")[0], port = tolong(split(s, ":")[1]), parts = split(s, ":")""");
        Assert.Equal("\"host\"", Json(result.Single("first")));
        Assert.Equal(8080L, result.Single("port"));
        Assert.Equal("[\"host\",\"8080\",\"x\"]", Json(result.Single("parts")));
        Assert.Equal("host", store.Run("""print r = tostring(split("host:8080", ":")[0])""").Single("r"));
    }

    [Fact]
    public void Pack_KeyValuePairs_BuildsAPropertyBag()
    {
        var result = store.Run("""print p = pack("k", 1, "s", "x"), b = bag_pack("t", true)""");
        Assert.Equal("{\"k\":1,\"s\":\"x\"}", Json(result.Single("p")));
        Assert.Equal("{\"t\":true}", Json(result.Single("b")));
    }

    [Fact]
    public void Pack_ColumnValues_PerRow()
    {
        var result = store.Run("""datatable(h:string, c:long)["a", 1, "b", 2] | project p = pack("host", h, "cpu", c)""");
        Assert.Equal(["{\"host\":\"a\",\"cpu\":1}", "{\"host\":\"b\",\"cpu\":2}"], result.Column("p").Select(Json));
    }

    [Fact]
    public void Dynamic_CompareAfterConversion_Filters()
    {
        var result = store.Run("""
            datatable(d:dynamic)[dynamic({"n":1}), dynamic({"n":5}), dynamic({"n":9})]
            | where tolong(d.n) > 3
            | project n = tolong(d.n)
            """);
        Assert.Equal([5L, 9L], result.Column("n"));
    }

    // ---- mv-expand ----------------------------------------------------------------------------------

    [Fact]
    public void MvExpand_DynamicArray_OneRowPerElement()
    {
        var result = store.Run("""
            datatable(k:string, xs:dynamic)["a", dynamic([1, 2]), "b", dynamic([3])]
            | mv-expand xs
            """);
        Assert.Equal(["k", "xs"], result.Names());
        Assert.Equal(["a", "a", "b"], result.Column("k"));
        Assert.Equal(["1", "2", "3"], result.Column("xs").Select(Json));
        Assert.Equal(Tributary.Kql.KqlType.Dynamic, result.Columns[1].Type);
    }

    [Fact]
    public void MvExpand_ToTypeofLong_GivesLongColumn()
    {
        var result = store.Run("""
            datatable(xs:dynamic)[dynamic([1, 2, 3])]
            | mv-expand xs to typeof(long)
            | extend y = xs * 2
            """);
        Assert.Equal(Tributary.Kql.KqlType.Long, result.Columns[0].Type);
        Assert.Equal([2L, 4L, 6L], result.Column("y"));
    }

    [Fact]
    public void MvExpandWithoutHyphen_ToTypeofLong_GivesLongs()
    {
        var result = store.Run("""
            datatable(k:string, xs:dynamic)["a", dynamic([7, 8])]
            | mvexpand xs to typeof(long)
            | summarize total = sum(xs)
            """);
        Assert.Equal(15L, result.Single("total"));
    }

    [Fact]
    public void MvExpandWithoutHyphen_ToTypeofString_GivesStrings()
    {
        var result = store.Run("""
            datatable(xs:dynamic)[dynamic(["a", "b"])]
            | mvexpand xs to typeof(string)
            """);
        Assert.Equal(["a", "b"], result.Column("xs"));
    }

    [Fact]
    public void MvExpand_RangeOfDatetimes_ToTypeofDatetime()
    {
        var result = store.Run("""
            print days = range(datetime(2024-01-01), datetime(2024-01-03), 1d)
            | mv-expand days to typeof(datetime)
            """);
        Assert.Equal(Tributary.Kql.KqlType.DateTime, result.Columns[0].Type);
        Assert.Equal([Utc(2024, 1, 1), Utc(2024, 1, 2), Utc(2024, 1, 3)], result.Column("days"));
    }

    [Fact]
    public void MvExpand_RangeOfLongs_ExpandsEveryStep()
    {
        var result = store.Run("""
            print xs = range(1, 10, 4)
            | mv-expand xs to typeof(long)
            """);
        Assert.Equal([1L, 5L, 9L], result.Column("xs"));
    }

    [Fact]
    public void MvExpand_TwoArrays_ExpandInParallelPaddingWithNull()
    {
        var result = store.Run("""
            datatable(a:dynamic, b:dynamic)[dynamic([1, 2, 3]), dynamic(["x", "y"])]
            | mv-expand a to typeof(long), b to typeof(string)
            """);
        Assert.Equal([1L, 2L, 3L], result.Column("a"));
        Assert.Equal(["x", "y", ""], result.Column("b"));
    }

    [Fact]
    public void MvExpand_WithItemIndex_NumbersElementsFromZero()
    {
        var result = store.Run("""
            datatable(xs:dynamic)[dynamic(["p", "q"])]
            | mv-expand with_itemindex=i xs to typeof(string)
            """);
        Assert.Equal([0L, 1L], result.Column("i"));
        Assert.Equal(["p", "q"], result.Column("xs"));
    }

    [Fact]
    public void MvExpand_WithItemIndex_CountsToTheLongestArray_AndLimitKeepsTheFirstElements()
    {
        var result = store.Run("""
            datatable(a:dynamic, b:dynamic)[dynamic([1]), dynamic([1, 2, 3, 4])]
            | mv-expand with_itemindex=i a to typeof(long), b to typeof(long) limit 3
            """);
        Assert.Equal([0L, 1L, 2L], result.Column("i").Order());
        Assert.Equal([1L, 2L, 3L], result.Column("b").Order());
    }

    [Fact]
    public void MvExpand_PropertyBag_ExpandsToSinglePropertyBags()
    {
        var result = store.Run("""
            datatable (a: int, b: dynamic)
            [
                1, dynamic({"prop1": "a1", "prop2": "b1"}),
                2, dynamic({"prop1": "a2", "prop2": "b2"})
            ]
            | mv-expand b
            """);
        Assert.Equal([1, 1, 2, 2], result.Column("a"));
        Assert.Equal(["{\"prop1\":\"a1\"}", "{\"prop2\":\"b1\"}", "{\"prop1\":\"a2\"}", "{\"prop2\":\"b2\"}"], result.Column("b").Select(Json));
    }

    [Fact]
    public void MvExpand_KindArray_ExpandsPropertiesToKeyValuePairs()
    {
        var result = store.Run("""
            datatable (a: int, b: dynamic)
            [
                1, dynamic({"prop1": "a1", "prop2": "b1"}),
                2, dynamic({"prop1": "a2", "prop2": "b2"})
            ]
            | mv-expand kind=array b
            | extend key = tostring(b[0]), val = tostring(b[1])
            """);
        Assert.Equal(["prop1", "prop2", "prop1", "prop2"], result.Column("key"));
        Assert.Equal(["a1", "b1", "a2", "b2"], result.Column("val"));
    }

    [Fact]
    public void MvExpand_BagAndArrayTogether_ZipWithNullPadding()
    {
        var result = store.Run("""
            datatable (a: int, b: dynamic, c: dynamic)[
                1, dynamic({"prop1": "a", "prop2": "b"}), dynamic([5, 4, 3])
            ]
            | mv-expand b, c
            """);
        Assert.Equal(["{\"prop1\":\"a\"}", "{\"prop2\":\"b\"}"], result.Column("b").Take(2).Select(Json));
        Assert.Null(result.Column("b")[2]);
        Assert.Equal(["5", "4", "3"], result.Column("c").Select(Json));
    }

    [Fact]
    public void MvExpand_EmptyArrayNoRows_NullOneRow()
    {
        var result = store.Run("""
            datatable (a: int, b: dynamic)[1, dynamic([]), 2, dynamic(null), 3, dynamic({})]
            | mv-expand b
            | extend n = isnull(b)
            """);
        Assert.Equal([2], result.Column("a"));
        Assert.Equal(true, result.Single("n"));
    }

    [Fact]
    public void MvExpand_ListFromSummarizeWithItemIndex_DocumentedExample()
    {
        var result = store.Run("""
            range x from 1 to 4 step 1
            | summarize x = make_list(x)
            | mv-expand with_itemindex=Index x
            """);
        Assert.Equal(["x", "Index"], result.Names());
        Assert.Equal(["1", "2", "3", "4"], result.Column("x").Select(Json));
        Assert.Equal([0L, 1L, 2L, 3L], result.Column("Index"));
    }

    [Fact]
    public void MvExpand_ThenSummarize_CountsElements()
    {
        var result = store.Run("""
            datatable(k:string, tags:dynamic)["a", dynamic(["x", "y"]), "b", dynamic(["x"])]
            | mv-expand tag = tags to typeof(string)
            | summarize n = count() by tag
            | sort by tag asc
            """);
        Assert.Equal(["x", "y"], result.Column("tag"));
        Assert.Equal([2L, 1L], result.Column("n"));
    }

    [Fact]
    public void BagKeys_OfObject_ListsItsKeys() =>
        Assert.Equal("[\"a\",\"arr\",\"n\",\"ns\"]", Json(OnDoc("bag_keys(d)")).Replace(" ", ""));

    [Fact]
    public void StrcatArray_JoinsElements() =>
        Assert.Equal("10-20-30", OnDoc("strcat_array(d.arr, \"-\")"));

    [Fact]
    public void SetHasElement_AndArrayIndexOf_FindElements()
    {
        Assert.Equal(true, OnDoc("set_has_element(split(\"a,b,c\", \",\"), \"b\")"));
        Assert.Equal(1L, OnDoc("array_index_of(split(\"a,b,c\", \",\"), \"b\")"));
        Assert.Equal(-1L, OnDoc("array_index_of(split(\"a,b,c\", \",\"), \"z\")"));
    }

    [Fact]
    public void JsonNull_InDynamicColumn_ReadsAsNullLikeAMissingProperty()
    {
        Assert.Null(store.Run("print d = dynamic(null)").Single("d"));
        Assert.Null(store.Run("print d = dynamic({\"a\": null}) | project r = d.a").Single("r"));
        Assert.Null(OnDoc("d.missing"));
    }
}
