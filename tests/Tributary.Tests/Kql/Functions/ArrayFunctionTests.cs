using Tributary.Kql;
using static Tributary.Tests.Kql.QueryResultExtensions;

namespace Tributary.Tests.Kql.Functions;

/// <summary>The array functions against the examples of Kusto's documentation, on literals, columns and typed lists (split, range).</summary>
public sealed class ArrayFunctionTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private string Print(string expression) => Json(store.Run($"print r = {expression}").Single("r"));

    // The expression over a one-row table with column a = the array, so nothing folds into a constant.
    private string OnColumn(string array, string expression) =>
        Json(store.Run($"datatable(a:dynamic)[dynamic({array})] | project r = {expression}").Single("r"));

    [Fact]
    public void ArrayConcat_KustosExample_AndNullWhenOneIsNoArray()
    {
        var result = store.Run("range x from 1 to 3 step 1 | extend y = x * 2 | extend z = y * 2 | extend a1 = pack_array(x,y,z), a2 = pack_array(x, y) | project r = array_concat(a1, a2)");
        Assert.Equal(["[1,2,4,1,2]", "[2,4,8,2,4]", "[3,6,12,3,6]"], result.Column("r").Select(Json));
        Assert.Null(store.Run("print r = array_concat(dynamic([1]), dynamic({'a':1}))").Single("r"));
        Assert.Equal("[\"a\",\"b\",\"c\"]", Print("array_concat(split('a,b', ','), split('c', ','))"));
    }

    [Theory]
    [InlineData("[1,2,3]", 1, 2, "[2,3]")]
    [InlineData("[1,2,3,4,5]", 2, -1, "[3,4,5]")]
    [InlineData("[1,2,3,4,5]", -3, -2, "[3,4]")]
    [InlineData("[1,2,3]", 5, 9, "[]")]
    [InlineData("[1,2,3]", -9, 0, "[1]")]
    public void ArraySlice_KustosExamples_AndIndexesOutOfRange(string array, int start, int end, string expected)
    {
        Assert.Equal(expected, OnColumn(array, $"array_slice(a, {start}, {end})"));
    }

    [Fact]
    public void ArrayReverse_KustosExample_AndATypedList()
    {
        Assert.Equal("[\"example\",\"an\",\"is\",\"this\"]", OnColumn("[\"this\", \"is\", \"an\", \"example\"]", "array_reverse(a)"));
        Assert.Equal("[3,2,1]", Print("array_reverse(range(1, 3))"));
    }

    [Theory]
    [InlineData("array_rotate_left(a, 2)", "[3,4,5,1,2]")]
    [InlineData("array_rotate_left(a, -2)", "[4,5,1,2,3]")]
    [InlineData("array_rotate_right(a, 2)", "[4,5,1,2,3]")]
    [InlineData("array_rotate_right(a, -2)", "[3,4,5,1,2]")]
    [InlineData("array_rotate_left(a, 7)", "[3,4,5,1,2]")]
    [InlineData("array_shift_left(a, 2)", "[3,4,5,null,null]")]
    [InlineData("array_shift_left(a, 2, -1)", "[3,4,5,-1,-1]")]
    [InlineData("array_shift_left(a, -2, -1)", "[-1,-1,1,2,3]")]
    [InlineData("array_shift_right(a, 1)", "[null,1,2,3,4]")]
    [InlineData("array_shift_right(a, -1, 0)", "[2,3,4,5,0]")]
    [InlineData("array_shift_left(a, 9)", "[null,null,null,null,null]")]
    public void RotateAndShift_KustosExamples(string expression, string expected)
    {
        Assert.Equal(expected, OnColumn("[1,2,3,4,5]", expression));
    }

    [Fact]
    public void ArrayShift_OfStrings_FillsWithEmptyStrings()
    {
        Assert.Equal("[\"b\",\"\"]", OnColumn("[\"a\", \"b\"]", "array_shift_left(a, 1)"));
        Assert.Equal("[\"\",\"x\"]", Print("array_shift_right(split('x,y', ','), 1)"));
        Assert.Equal("[\"y\",\"-\"]", Print("array_shift_left(split('x,y', ','), 1, '-')"));
    }

    [Fact]
    public void ArraySplit_KustosExamples_IndexAndIndexes()
    {
        Assert.Equal("[[1,2],[3,4,5]]", OnColumn("[1,2,3,4,5]", "array_split(a, 2)"));
        Assert.Equal("[[1],[2,3],[4,5]]", OnColumn("[1,2,3,4,5]", "array_split(a, dynamic([1,3]))"));
        Assert.Equal("[[1,2,3,4],[5]]", OnColumn("[1,2,3,4,5]", "array_split(a, -1)"));
        Assert.Equal("[[1,2,3],[]]", OnColumn("[1,2,3]", "array_split(a, 9)"));
    }

    [Fact]
    public void ArrayIff_KustosExamples()
    {
        var result = store.Run("""
            print condition = dynamic([true,false,true]), if_true = dynamic([1,2,3]), if_false = dynamic([4,5,6])
            | extend res = array_iff(condition, if_true, if_false), numbers = array_iff(dynamic([1,0,50]), "yes", "no"),
                other = array_iff(dynamic(["some string value", {}, null]), 1, 0), shorter = array_iff(dynamic([true,true,true]), dynamic([1,2]), dynamic([3,4]))
            """);
        Assert.Equal("[1,5,3]", Json(result.Single("res")));
        Assert.Equal("[\"yes\",\"no\",\"yes\"]", Json(result.Single("numbers")));
        Assert.Equal("[null,null,null]", Json(result.Single("other")));
        Assert.Equal("[1,2,null]", Json(result.Single("shorter")));
    }

    [Fact]
    public void ArrayIndexOf_KustosExamples_StartLengthAndOccurrence()
    {
        var result = store.Run("""
            let arr = dynamic(["this", "is", "an", "example", "an", "example"]);
            print idx1 = array_index_of(arr,"an"), idx2 = array_index_of(arr,"example",1,3), idx3 = array_index_of(arr,"example",1,2),
                idx4 = array_index_of(arr,"is",2,4), idx5 = array_index_of(arr,"example",2,-1), idx6 = array_index_of(arr, "an", 1, -1, 2),
                idx7 = array_index_of(arr, "an", 1, -1, 3), idx8 = array_index_of(arr, "an", -3), idx9 = array_index_of(arr, "is", -4),
                idx10 = array_index_of(arr, "is", 0, -2), idx11 = array_index_of(arr, "is", 0, -1, -1)
            """);
        Assert.Equal<object?>([2L, 3L, -1L, -1L, 3L, 4L, -1L, 4L, -1L, null, null], result.Rows[0]);
    }

    [Fact]
    public void ArrayIndexOf_OnTypedListsAndColumns()
    {
        Assert.Equal(2L, store.Run("print r = array_index_of(split('a,b,a', ','), 'a', 1)").Single("r"));
        Assert.Equal(2L, store.Run("datatable(a:dynamic, v:long)[dynamic([5, 6, 7]), 7] | project r = array_index_of(a, v)").Single("r"));
        Assert.Equal(-1L, store.Run("print r = array_index_of(dynamic({'a':1}), 1)").Single("r"));
    }

    [Fact]
    public void ArraySort_KustosExamples_SeveralArraysAndNulls()
    {
        var result = store.Run("""
            let array1 = dynamic([1,3,4,5,2]);
            let array2 = dynamic(["a","b","c","d","e"]);
            print asc = array_sort_asc(array1, array2), desc = array_sort_desc(array1, array2),
                names = strcat_array(array_sort_asc(split("John,Paul,George,Ringo", ",")), ","),
                nullsLast = array_sort_desc(dynamic([null,"blue","yellow","green",null])),
                nullsFirst = array_sort_desc(dynamic([null,"blue","yellow","green",null]), false),
                mixed = array_sort_asc(dynamic([3, "b", 1.5, null, "a", true, 10])),
                other = array_sort_asc(array1, dynamic([1]))
            """);
        Assert.Equal("[[1,2,3,4,5],[\"a\",\"e\",\"b\",\"c\",\"d\"]]", Json(result.Single("asc")));
        Assert.Equal("[[5,4,3,2,1],[\"d\",\"c\",\"b\",\"e\",\"a\"]]", Json(result.Single("desc")));
        Assert.Equal("George,John,Paul,Ringo", result.Single("names"));
        Assert.Equal("[\"yellow\",\"green\",\"blue\",null,null]", Json(result.Single("nullsLast")));
        Assert.Equal("[null,null,\"yellow\",\"green\",\"blue\"]", Json(result.Single("nullsFirst")));
        Assert.Equal("[1.5,3,10,\"a\",\"b\",true,null]", Json(result.Single("mixed")));
        Assert.Equal("[[1,2,3,4,5],null]", Json(result.Single("other")));
    }

    [Fact]
    public void ArraySortDesc_KustosSummarizeExample_IndexesTheSecondArray()
    {
        var result = store.Run("""
            datatable(command:string, command_time:datetime, user_id:string)[
                'chmod', datetime(2019-07-15), "user1", 'ls', datetime(2019-07-02), "user1", 'dir', datetime(2019-07-22), "user1",
                'mkdir', datetime(2019-07-14), "user1", 'rm', datetime(2019-07-27), "user1", 'pwd', datetime(2019-07-25), "user1",
                'rm', datetime(2019-07-23), "user2", 'pwd', datetime(2019-07-25), "user2"]
            | summarize timestamps = make_list(command_time), commands = make_list(command) by user_id
            | project user_id, ordered = array_sort_desc(timestamps, commands)[1]
            | order by user_id asc
            """);
        Assert.Equal(["[\"rm\",\"pwd\",\"dir\",\"chmod\",\"mkdir\",\"ls\"]", "[\"pwd\",\"rm\"]"], result.Column("ordered").Select(Json));
    }

    [Fact]
    public void ArraySort_NullsLastNotConstant_IsAnError()
    {
        var e = Assert.Throws<KqlException>(() => store.Run("print b = true | extend r = array_sort_asc(dynamic([2, 1]), b)"));
        Assert.Contains("constant bool", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 61), (e.Line, e.Column));
    }

    [Fact]
    public void ArraySum_KustosExample_NonNumbersAndEmpty()
    {
        Assert.Equal(10.0, store.Run("print arr = dynamic([1,2,3,4]) | extend r = array_sum(arr)").Single("r"));
        Assert.Null(store.Run("print r = array_sum(dynamic([1, 'a']))").Single("r"));
        Assert.Equal(0.0, store.Run("print r = array_sum(dynamic([]))").Single("r"));
        Assert.Equal(6.0, store.Run("print r = array_sum(range(1, 3))").Single("r"));
    }

    [Fact]
    public void Repeat_KustosRules_ZeroIsEmptyAndNegativeIsNull()
    {
        Assert.Equal("[1,1,1]", Print("repeat(1, 3)"));
        Assert.Equal("[]", Print("repeat('x', 0)"));
        Assert.Null(store.Run("print r = repeat(1.5, -1)").Single("r"));
        Assert.Equal("[\"2020-01-01T00:00:00.0000000Z\",\"2020-01-01T00:00:00.0000000Z\"]", Print("repeat(datetime(2020-01-01), 2)"));
        Assert.Equal("[{\"a\":1},{\"a\":1}]", OnColumn("{\"a\":1}", "repeat(a, 2)"));
    }

    [Fact]
    public void DeprecatedAndSecondNames_BindAsTheirFunctions()
    {
        Assert.Equal(4L, store.Run("print r = arraylength(repeat(true, 4))").Single("r"));
        Assert.Equal("2-2-2", store.Run("print r = array_strcat(repeat(2, 3), '-')").Single("r"));
    }

    [Fact]
    public void Zip_KustosExamples()
    {
        Assert.Equal("[[1,2],[3,4],[5,6]]", Print("zip(dynamic([1,3,5]), dynamic([2,4,6]))"));
        Assert.Equal("[[\"A\",{}],[1,\"B\"],[1.5,null]]", Print("zip(dynamic([\"A\", 1, 1.5]), dynamic([{}, \"B\"]))"));
        var result = store.Run("datatable(a:int, b:string)[1,\"one\",2,\"two\",3,\"three\"] | summarize a = make_list(a), b = make_list(b) | project r = zip(a, b)");
        Assert.Equal("[[1,\"one\"],[2,\"two\"],[3,\"three\"]]", Json(result.Single("r")));
    }

    [Fact]
    public void ArrayFunctions_OfAValueThatIsNotDynamic_AreErrorsAtTheArgument()
    {
        var e = Assert.Throws<KqlException>(() => store.Run("print array_reverse('abc')"));
        Assert.Contains("array_reverse() expects a dynamic value but argument 1 is string", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 21), (e.Line, e.Column));
        e = Assert.Throws<KqlException>(() => store.Run("print array_slice(dynamic([1]), 'a', 1)"));
        Assert.Contains("expects a whole number", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ArrayIndexes_AtTheEndsOfLong_DoNotOverflow()
    {
        var result = store.Run("""
            print slice = array_slice(dynamic([1,2]), 9223372036854775807, -9223372036854775807), shift = array_shift_left(dynamic([1,2]), 9223372036854775807),
                index = array_index_of(dynamic([1,2]), 1, 9223372036854775807, 9223372036854775807), rotate = array_rotate_left(dynamic([1,2]), -9223372036854775807-1)
            """);
        Assert.Equal(["[]", "[null,null]"], result.Rows[0].Take(2).Select(Json));
        Assert.Equal(-1L, result.Single("index"));
        Assert.Equal("[1,2]", Json(result.Single("rotate")));
        Assert.Null(store.Run("print r = repeat(1, 100000000000)").Single("r"));
    }

    [Fact]
    public void ArrayFunctions_OfABagOrNull_GiveNull()
    {
        Assert.Null(store.Run("print r = array_reverse(dynamic({'a': 1}))").Single("r"));
        Assert.Null(store.Run("print r = array_slice(dynamic(null), 0, 1)").Single("r"));
        Assert.Null(store.Run("print r = zip(dynamic([1]), dynamic('x'))").Single("r"));
    }
}
