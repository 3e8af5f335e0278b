using Tributary.Streams.Validation;

namespace Tributary.Tests.Streams.Validation;

/// <summary>Schemas we cannot enforce fail to load, with the file, the JSON pointer of the schema object and the keyword.</summary>
public sealed class SchemaLoadingTests : TempDirectoryTest
{
    public SchemaLoadingTests()
        : base("schemas")
    {
    }

    private static string J(string text) => text.Replace('\'', '"');

    private string Write(params (string Name, string Json)[] files)
    {
        Directory.CreateDirectory(Dir);
        foreach (var (name, json) in files)
        {
            File.WriteAllText(Path.Combine(Dir, name), J(json));
        }

        return Dir;
    }

    private static SchemaException LoadFails(params (string Name, string Json)[] files) =>
        Assert.Throws<SchemaException>(() => JsonSchemaSet.FromJson(files.ToDictionary(f => f.Name, f => J(f.Json))));

    [Fact]
    public void Load_Directory_EveryJsonFileByFileName()
    {
        var dir = Write(("a.json", "{'$ref':'b.json'}"), ("b.json", "{'type':'string'}"), ("notes.txt", "not a schema"));

        var set = JsonSchemaSet.Load(dir);

        Assert.Equal(["a.json", "b.json"], set.Names);
        Assert.True(set.TryGet("a.json", out var a));
        Assert.False(a.Validate("1"u8).IsValid);
        Assert.False(set.TryGet("A.json", out _));
        Assert.Throws<KeyNotFoundException>(() => set.Get("c.json"));
    }

    [Fact]
    public void Load_UnknownKeyword_FileAndPointerAndKeywordInTheMessage()
    {
        var dir = Write(("interact.json", "{'allOf':[{'properties':{'edata':{'type':'object','maxSize':3}}}]}"));

        var error = Assert.Throws<SchemaException>(() => JsonSchemaSet.Load(dir));

        Assert.Equal(Path.Combine(dir, "interact.json"), error.File);
        Assert.Equal("/allOf/0/properties/edata", error.Pointer);
        Assert.Equal("maxSize", error.Keyword);
        Assert.Contains("interact.json#/allOf/0/properties/edata: 'maxSize': unknown keyword", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("const")]
    [InlineData("propertyNames")]
    [InlineData("if")]
    public void Load_LaterDraftKeyword_Rejected(string keyword)
    {
        var error = LoadFails(("s.json", $"{{'properties':{{'a':{{'{keyword}':{{}}}}}}}}"));

        Assert.Equal(keyword, error.Keyword);
        Assert.Equal("/properties/a", error.Pointer);
        Assert.Contains("not a draft-04 keyword", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Annotations_Accepted()
    {
        var set = JsonSchemaSet.FromJson(new Dictionary<string, string>
        {
            ["s.json"] = J("{'$schema':'http://json-schema.org/draft-04/schema#','id':'http://x/s','title':'t','description':'d','default':{},'format':'date-time','properties':{'a':{'id':'http://x/a','type':'string'}}}"),
        });

        Assert.True(set.Get("s.json").Validate("{\"a\":\"x\"}"u8).IsValid);
    }

    [Fact]
    public void Load_RefToMissingFile_Unresolvable()
    {
        var error = LoadFails(("s.json", "{'properties':{'actor':{'$ref':'resource:/schemas/telemetry/3.0/actor.json'}}}"));

        Assert.Equal("/properties/actor", error.Pointer);
        Assert.Equal("$ref", error.Keyword);
        Assert.Contains("no schema file 'actor.json'", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RefToMissingPointer_Unresolvable()
    {
        var error = LoadFails(("s.json", "{'definitions':{'a':{}},'items':{'$ref':'#/definitions/b'}}"));

        Assert.Equal("/items", error.Pointer);
        Assert.Contains("has nothing at '/definitions/b'", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RefById_Unsupported()
    {
        var error = LoadFails(("s.json", "{'items':{'$ref':'#node'}}"));

        Assert.Contains("only JSON-pointer fragments", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MalformedJson_FileAndLine()
    {
        var dir = Write(("good.json", "{}"), ("bad.json", "{\n  'type': 'object',\n  'required': ['a',]\n}"));

        var error = Assert.Throws<SchemaException>(() => JsonSchemaSet.Load(dir));

        Assert.Equal(Path.Combine(dir, "bad.json"), error.File);
        Assert.Contains("not valid JSON (line 3", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RefsOnlyInACircle_Rejected()
    {
        var error = LoadFails(("a.json", "{'$ref':'b.json'}"), ("b.json", "{'$ref':'a.json'}"));

        Assert.Contains("refers back to itself", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AllOfLoopOnTheSameValue_Rejected()
    {
        var error = LoadFails(("a.json", "{'allOf':[{'$ref':'b.json'}]}"), ("b.json", "{'anyOf':[{'type':'string'},{'$ref':'a.json'}]}"));

        Assert.Contains("apply to the same value in a loop", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{'exclusiveMinimum':true}", "exclusiveMinimum", "needs minimum")]
    [InlineData("{'type':'float'}", "type", "unknown type 'float'")]
    [InlineData("{'type':['string','string']}", "type", "twice")]
    [InlineData("{'minLength':-1}", "minLength", "non-negative integer")]
    [InlineData("{'minLength':1.5}", "minLength", "non-negative integer")]
    [InlineData("{'required':'a'}", "required", "array of property names")]
    [InlineData("{'required':['a','a']}", "required", "twice")]
    [InlineData("{'enum':[]}", "enum", "non-empty")]
    [InlineData("{'pattern':'(unclosed'}", "pattern", "not a valid regular expression")]
    [InlineData("{'multipleOf':0}", "multipleOf", "greater than 0")]
    [InlineData("{'additionalProperties':'no'}", "additionalProperties", "boolean or a schema")]
    [InlineData("{'allOf':[]}", "allOf", "non-empty array")]
    [InlineData("{'$ref':'b.json','type':'string'}", "type", "beside $ref")]
    [InlineData("{'type':'object','type':'array'}", "type", "twice")]
    public void Load_BadKeywordValue_Rejected(string schema, string keyword, string reason)
    {
        var error = LoadFails(("s.json", schema), ("b.json", "{}"));

        Assert.Equal(keyword, error.Keyword);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BooleanSubschema_RejectedAsNotDraft04()
    {
        var error = LoadFails(("s.json", "{'properties':{'a':true}}"));

        Assert.Equal("/properties/a", error.Pointer);
        Assert.Contains("must be a JSON object", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingDirectory_DirectoryNotFound()
    {
        Assert.Throws<DirectoryNotFoundException>(() => JsonSchemaSet.Load(Path.Combine(Dir, "nowhere")));
    }
}
