using Tributary.Kql;
using static Tributary.Tests.Kql.QueryResultExtensions;

namespace Tributary.Tests.Kql.Functions;

/// <summary>parse_json, dynamic_to_json, extract_json and extract_all against the examples of Kusto's documentation.</summary>
public sealed class DynamicFunctionTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private const string Guid = "print Id = '82b8be2d-dfa7-4bd1-8f63-24ad26d31449'";


    [Fact]
    public void ParseJson_EmptyBagAndArray_StayWhatTheyAre()
    {
        Assert.Equal("{}", Json(store.Print("parse_json('{}')")));
        Assert.Equal("{}", Json(store.Print("parse_json('{ }')")));
        Assert.Equal("[]", Json(store.Print("parse_json('[]')")));
        Assert.Equal(["{}", "[]"], store.Run("datatable(s:string)['{}', '[]'] | project r = parse_json(s)").Column("r").Select(Json));
    }

    [Fact]
    public void ParseJson_KeepsNoWhiteSpace()
    {
        Assert.Equal("{\"a\":[1,2.5]}", store.Print("tostring(parse_json('{ \"a\" : [1, 2.5] }'))"));
        Assert.Equal("{\"a\":1}", store.Print("tostring(parsejson('{\"a\": 1}'))"));
    }

    [Fact]
    public void DynamicToJson_KustosExample_SortsEveryBagsKeys()
    {
        var result = store.Run("""
            let bag1 = dynamic_to_json(dynamic({'Y10': {}, 'X8': {'c3': 1, 'd8': 5, 'a4': 6}, 'D1': 114, 'A1': 12, 'B1': 2, 'C1': 3, 'A14': [15, 13, 18]}));
            let bag2 = dynamic_to_json(dynamic({'X8': {'a4': 6, 'c3': 1, 'd8': 5}, 'A14': [15, 13, 18], 'C1': 3, 'B1': 2, 'Y10': {}, 'A1': 12, 'D1': 114}));
            print AreEqual = bag1 == bag2, Result = bag1
            """);
        Assert.Equal(true, result.Single("AreEqual"));
        Assert.Equal("{\"A1\":12,\"A14\":[15,13,18],\"B1\":2,\"C1\":3,\"D1\":114,\"X8\":{\"a4\":6,\"c3\":1,\"d8\":5},\"Y10\":{}}", result.Single("Result"));
    }

    [Fact]
    public void DynamicToJson_ScalarsAndNull()
    {
        Assert.Equal("12", store.Print("dynamic_to_json(12)"));
        Assert.Equal("\"x\"", store.Print("dynamic_to_json(dynamic('x'))"));
        Assert.Equal("null", store.Print("dynamic_to_json(dynamic(null))"));
        Assert.Equal("", store.Print("dynamic_to_json(parse_json(''))"));
    }

    [Fact]
    public void ExtractJson_KustosExample_AndTypesAndPaths()
    {
        Assert.Equal("John", store.Run("""let json = '{"name": "John", "age": 30, "city": "New York"}'; print r = extract_json("$.name", json, typeof(string));""").Single("r"));
        var result = store.Run("""
            datatable(j:string)['{"age": 30, "a": [1, {"b": 2.5}], "c d": "x"}']
            | project age = extract_json("$.age", j, typeof(long)), b = extractjson("$.a[1].b", j, typeof(real)), bag = extract_json("$['a'][1]", j),
                quoted = extract_json('$["c d"]', j), missing = extract_json("$.nope", j), dyn = extract_json("$.a", j, typeof(dynamic)),
                root = extract_json("$", j, typeof(dynamic)).age
            """);
        Assert.Equal<object?>([30L, 2.5, "{\"b\":2.5}", "x", ""], result.Rows[0].Take(5));
        Assert.Equal("[1,{\"b\":2.5}]", Json(result.Single("dyn")));
        Assert.Equal("30", Json(result.Single("root")));
    }

    [Fact]
    public void ExtractJson_TextThatIsNoJson_IsEmpty_AndABadPathIsAnError()
    {
        Assert.Equal("", store.Print("extract_json('$.a', 'not json')"));
        Assert.Null(store.Print("extract_json('$.a', 'not json', typeof(long))"));
        var e = Assert.Throws<KqlException>(() => store.Run("print extract_json('$..a', '{}')"));
        Assert.Contains("constant JSONPath", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 20), (e.Line, e.Column));
    }

    [Fact]
    public void ExtractAll_KustosExamples()
    {
        Assert.Equal("[\"123\",\"567\",\"789\"]", Json(store.Print("extract_all(@'(\\d+)', 'a set of numbers: 123, 567 and 789')")));
        var result = store.Run($$"""
            {{Guid}}
            | extend bytes = extract_all(@"([\da-f]{2})", Id), parts = extract_all(@"(\w)(\w+)(\w)", Id),
                ends = extract_all(@"(\w)(\w+)(\w)", dynamic([1,3]), Id),
                named = extract_all(@"(?P<first>\w)(?P<middle>\w+)(?P<last>\w)", dynamic(['first',2,'last']), Id)
            """);
        Assert.Equal("[\"82\",\"b8\",\"be\",\"2d\",\"df\",\"a7\",\"4b\",\"d1\",\"8f\",\"63\",\"24\",\"ad\",\"26\",\"d3\",\"14\",\"49\"]", Json(result.Single("bytes")));
        const string Parts = "[[\"8\",\"2b8be2\",\"d\"],[\"d\",\"fa\",\"7\"],[\"4\",\"bd\",\"1\"],[\"8\",\"f6\",\"3\"],[\"2\",\"4ad26d3144\",\"9\"]]";
        Assert.Equal(Parts, Json(result.Single("parts")));
        Assert.Equal("[[\"8\",\"d\"],[\"d\",\"7\"],[\"4\",\"1\"],[\"8\",\"3\"],[\"2\",\"9\"]]", Json(result.Single("ends")));
        Assert.Equal(Parts, Json(result.Single("named")));
    }

    [Fact]
    public void ExtractAll_NoMatchIsNull_UnmatchedGroupIsEmpty()
    {
        Assert.Null(store.Print("extract_all(@'(\\d+)', 'no digits')"));
        Assert.Equal("[[\"\",\"b\"],[\"x\",\"b\"]]", Json(store.Print("extract_all(@'(x)?(b)', 'ab xb')")));
    }

    [Fact]
    public void ExtractAll_BadRegexOrGroup_IsAnErrorAtTheArgument()
    {
        var e = Assert.Throws<KqlException>(() => store.Run("print extract_all('(a', 'a')"));
        Assert.Contains("invalid regular expression", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 19), (e.Line, e.Column));
        e = Assert.Throws<KqlException>(() => store.Run("print extract_all('(a)', dynamic([2]), 'a')"));
        Assert.Contains("capture group numbers (1 to 1)", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 26), (e.Line, e.Column));
        e = Assert.Throws<KqlException>(() => store.Run("print extractall(@'\\d+', '1 and 22')"));
        Assert.Contains("needs 1 to 16 capture groups, not 0", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<KqlException>(() => store.Run("print r = '(a)' | extend x = extract_all(r, 'a')"));
        Assert.Contains("constant regular expression", e.Message, StringComparison.Ordinal);
    }
}
