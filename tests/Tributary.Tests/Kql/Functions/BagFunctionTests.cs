using Tributary.Kql;
using static Tributary.Tests.Kql.QueryResultExtensions;

namespace Tributary.Tests.Kql.Functions;

/// <summary>The property bag functions against the examples of Kusto's documentation, with JSONPath keys.</summary>
public sealed class BagFunctionTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private const string Nested = "dynamic({'key1': 123, 'key2': {'prop1' : 'abc', 'prop2': 'xyz'}, 'key3': [100, 200]})";


    [Fact]
    public void BagMerge_KustosExample_LeftmostValueWins()
    {
        Assert.Equal(
            "{\"A1\":12,\"B1\":2,\"C1\":3,\"A2\":81,\"B2\":82}",
            Json(store.Print("bag_merge(dynamic({'A1':12, 'B1':2, 'C1':3}), dynamic({'A2':81, 'B2':82, 'A1':1}))")));
        Assert.Equal("{\"a\":1,\"b/c\":{\"d\":null},\"e\":2}", Json(store.Print("bag_merge(dynamic({'a':1}), dynamic({'b/c': {'d': null}}), dynamic({'e': 2, 'a': 3}))")));
        Assert.Null(store.Print("bag_merge(dynamic([1]), dynamic({'a': 1}))"));
    }

    [Fact]
    public void BagRemoveKeys_KustosExamples_NamesAndJsonPaths()
    {
        var result = store.Run("""
            datatable(input:dynamic)[dynamic({'key1' : 123, 'key2': 'abc'}), dynamic({'key1' : 'value', 'key3': 42.0})]
            | extend result = bag_remove_keys(input, dynamic(['key2', 'key4']))
            """);
        Assert.Equal(["{\"key1\":123}", "{\"key1\":\"value\",\"key3\":42.0}"], result.Column("result").Select(Json));
        Assert.Equal("{\"key1\":123,\"key2\":{\"prop2\":\"xyz\"}}", Json(store.Print($"bag_remove_keys({Nested}, dynamic(['$.key2.prop1', 'key3']))")));
        Assert.Equal("{\"key1\":123,\"key3\":[100,200]}", Json(store.Print($"bag_remove_keys({Nested}, dynamic([\"$['key2']\"]))")));
    }

    [Fact]
    public void BagHasKey_KustosExamples_NamesAndJsonPaths()
    {
        var result = store.Run("datatable(input: dynamic)[dynamic({'key1' : 123, 'key2': 'abc'}), dynamic({'key1' : 123, 'key3': 'abc'})] | extend result = bag_has_key(input, 'key2')");
        Assert.Equal([true, false], result.Column("result"));
        Assert.Equal(true, store.Print($"bag_has_key({Nested}, '$.key2.prop1')"));
        Assert.Equal(false, store.Print($"bag_has_key({Nested}, '$.key1.prop1')"));
        Assert.Equal(true, store.Print("bag_has_key(dynamic({'a': null}), 'a')"));
        Assert.Equal(false, store.Print("bag_has_key(dynamic([1]), 'a')"));
        Assert.Equal([true, false], store.Run("datatable(k:string)['key1', 'nope'] | project r = bag_has_key(dynamic({'key1': 1}), k)").Column("r"));
    }

    [Fact]
    public void BagSetKey_KustosExamples_SetsAndAddsNestedBags()
    {
        var result = store.Run("""
            datatable(input: dynamic)[dynamic({'key1': 1, 'key2': 2}), dynamic({'key1': 1, 'key3': 'abc'})]
            | extend result = bag_set_key(input, 'key3', 3)
            """);
        Assert.Equal(["{\"key1\":1,\"key2\":2,\"key3\":3}", "{\"key1\":1,\"key3\":3}"], result.Column("result").Select(Json));
        var nested = store.Run("""
            datatable(input: dynamic)[dynamic({'key1': 123, 'key2': {'prop1': 123, 'prop2': 'xyz'}}), dynamic({'key1': 123})]
            | extend result = bag_set_key(input, '$.key2.prop1', 'abc')
            """);
        Assert.Equal(["{\"key1\":123,\"key2\":{\"prop1\":\"abc\",\"prop2\":\"xyz\"}}", "{\"key1\":123,\"key2\":{\"prop1\":\"abc\"}}"], nested.Column("result").Select(Json));
        Assert.Equal("{\"when\":\"2020-01-01T00:00:00.0000000Z\",\"none\":null}", Json(store.Print("bag_set_key(bag_set_key(dynamic({}), 'when', datetime(2020-01-01)), 'none', dynamic(null))")));
        Assert.Null(store.Print("bag_set_key(dynamic([1]), 'a', 1)"));
    }

    [Fact]
    public void BagKeyFunctions_KeyThatIndexesAnArray_IsAnErrorAtTheKey()
    {
        var e = Assert.Throws<KqlException>(() => store.Run($"print bag_has_key({Nested}, '$.key3[0]')"));
        Assert.Contains("is no key", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 106), (e.Line, e.Column));
        e = Assert.Throws<KqlException>(() => store.Run($"print bag_remove_keys({Nested}, dynamic(['$']))"));
        Assert.Contains("'$' is no key", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<KqlException>(() => store.Run($"print k = 'a' | extend r = bag_set_key({Nested}, k, 1)"));
        Assert.Contains("needs a constant key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BagPackColumns_KustosExample_AndOnlyColumns()
    {
        var result = store.Run("""datatable(Id: string, Value: string, Other: long)["A", "val_a", 1, "B", "val_b", 2] | extend Packed = bag_pack_columns(Id, Value)""");
        Assert.Equal(["{\"Id\":\"A\",\"Value\":\"val_a\"}", "{\"Id\":\"B\",\"Value\":\"val_b\"}"], result.Column("Packed").Select(Json));
        var e = Assert.Throws<KqlException>(() => store.Run("datatable(Id: string)['A'] | extend p = bag_pack_columns(Id, strlen(Id))"));
        Assert.Contains("takes columns of the row", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 62), (e.Line, e.Column));
    }

    [Fact]
    public void PackAll_KustosExample_WithAndWithoutEmptyValues()
    {
        var result = store.Run("""
            datatable(Source:string,Target:string,CharsCount:long)['555-1234','555-1212',46, '555-1313','',42, '','555-3456',74]
            | extend Packed = pack_all(), PackedIgnoreNullEmpty = pack_all(true)
            """);
        Assert.Equal(
            ["{\"Source\":\"555-1234\",\"Target\":\"555-1212\",\"CharsCount\":46}", "{\"Source\":\"555-1313\",\"Target\":\"\",\"CharsCount\":42}", "{\"Source\":\"\",\"Target\":\"555-3456\",\"CharsCount\":74}"],
            result.Column("Packed").Select(Json));
        Assert.Equal(
            ["{\"Source\":\"555-1234\",\"Target\":\"555-1212\",\"CharsCount\":46}", "{\"Source\":\"555-1313\",\"CharsCount\":42}", "{\"Target\":\"555-3456\",\"CharsCount\":74}"],
            result.Column("PackedIgnoreNullEmpty").Select(Json));
        var e = Assert.Throws<KqlException>(() => store.Run("print pack_all()"));
        Assert.Contains("needs the columns of a row", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BagZip_KustosExamples()
    {
        Assert.Equal("{\"a\":1,\"b\":\"2\",\"c\":3.4}", Json(store.Print("bag_zip(dynamic(['a', 'b', 'c']), dynamic([1, '2', 3.4]))")));
        Assert.Equal("{\"a\":1,\"b\":\"2\",\"c\":null}", Json(store.Print("bag_zip(dynamic(['a', 'b', 'c']), dynamic([1, '2']))")));
        Assert.Equal("{\"a\":1,\"b\":\"2\"}", Json(store.Print("bag_zip(dynamic(['a', 'b']), dynamic([1, '2', 2.5]))")));
        Assert.Equal("{\"a\":1,\"b\":2.5}", Json(store.Print("bag_zip(dynamic(['a', 8, 'b']), dynamic([1, '2', 2.5]))")));
        Assert.Equal("{\"a\":null,\"b\":null}", Json(store.Print("bag_zip(dynamic(['a', 8, 'b']), dynamic(1))")));
        Assert.Null(store.Print("bag_zip(dynamic('a'), dynamic([1, '2', 2.5]))"));
    }

    [Fact]
    public void Treepath_KustosExamples()
    {
        // Json() writes ' as \u0027: compare both sides through it.
        Assert.Equal(Json("[\"['a']\",\"['c']\"]"), Json(store.Print("treepath(parse_json('{\"a\":\"b\", \"c\":123}'))")));
        Assert.Equal(Json("[\"['prop1']\",\"['prop1'][0]\",\"['prop2']\"]"), Json(store.Print("treepath(parse_json('{\"prop1\":[1,2,3,4], \"prop2\":\"value2\"}'))")));
        Assert.Equal(
            Json("[\"['listProperty']\",\"['listProperty'][0]\",\"['listProperty'][0]['x']\"]"),
            Json(store.Print("treepath(parse_json('{\"listProperty\":[100,200,300,\"abcde\",{\"x\":\"y\"}]}'))")));
        Assert.Null(store.Print("treepath(dynamic(5))"));
    }

    [Fact]
    public void BagEdits_OfABagWithARepeatedKey_GiveNullNotAnEngineError()
    {
        var result = store.Run("""
            print b = parse_json('{"a":1,"a":2}')
            | project set = bag_set_key(b, 'c', 1), paths = treepath(b), json = dynamic_to_json(b), has = bag_has_key(b, 'a')
            """);
        Assert.Equal<object?>([null, null, "", false], result.Rows[0]);
    }

    [Fact]
    public void BagPackAndKeys_StillWork()
    {
        Assert.Equal("{\"a\":1,\"t\":\"00:01:00\"}", Json(store.Print("bag_pack('a', 1, 't', 1m)")));
        Assert.Equal("[\"a\",\"b\"]", Json(store.Print("bag_keys(dynamic({'a': 1, 'b': 2}))")));
    }
}
