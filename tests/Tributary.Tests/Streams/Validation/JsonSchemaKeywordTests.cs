using System.Text;
using System.Text.Json;
using Tributary.Streams.Validation;

namespace Tributary.Tests.Streams.Validation;

/// <summary>Each draft-04 keyword on small inline schemas: what passes, what fails, and the first error's pointer and message.</summary>
public sealed class JsonSchemaKeywordTests
{
    /// <summary>Single quotes stand for double quotes, so the cases stay readable.</summary>
    private static string J(string text) => text.Replace('\'', '"');

    private static CompiledSchema Schema(string schema, params (string Name, string Json)[] others)
    {
        var files = others.ToDictionary(o => o.Name, o => J(o.Json));
        files["s.json"] = J(schema);
        return JsonSchemaSet.FromJson(files).Get("s.json");
    }

    private static SchemaVerdict Check(string schema, string document) => Schema(schema).Validate(Encoding.UTF8.GetBytes(J(document)));

    /// <summary>expected: null = valid, else the pointer of the first error.</summary>
    private static void AssertVerdict(string schema, string document, string? expectedPointer)
    {
        var verdict = Check(schema, document);
        if (expectedPointer is null)
        {
            Assert.True(verdict.IsValid, $"expected valid: {document} against {schema}, got {verdict}");
        }
        else
        {
            Assert.False(verdict.IsValid, $"expected invalid at '{expectedPointer}': {document} against {schema}");
            Assert.Equal(SchemaVerdictKind.Invalid, verdict.Kind);
            Assert.Equal(expectedPointer, verdict.Pointer);
        }
    }

    [Theory]
    [InlineData("{'type':'string'}", "'x'", null)]
    [InlineData("{'type':'string'}", "1", "")]
    [InlineData("{'type':'number'}", "1.5", null)]
    [InlineData("{'type':'number'}", "1", null)]
    [InlineData("{'type':'number'}", "'1'", "")]
    [InlineData("{'type':'integer'}", "-5", null)]
    [InlineData("{'type':'integer'}", "1.0", "")]
    [InlineData("{'type':'integer'}", "1e2", "")]
    [InlineData("{'type':'boolean'}", "false", null)]
    [InlineData("{'type':'boolean'}", "0", "")]
    [InlineData("{'type':'null'}", "null", null)]
    [InlineData("{'type':'null'}", "{}", "")]
    [InlineData("{'type':'object'}", "[]", "")]
    [InlineData("{'type':'array'}", "[]", null)]
    [InlineData("{'type':['string','null']}", "null", null)]
    [InlineData("{'type':['string','null']}", "2", "")]
    [InlineData("{'type':['object','array']}", "[1]", null)]
    public void Type_Value_MatchesDraft04(string schema, string document, string? pointer) => AssertVerdict(schema, document, pointer);

    [Fact]
    public void Type_WrongType_MessageShowsValueAndType()
    {
        var verdict = Check("{'properties':{'a':{'type':['string','null']}}}", "{'a':100}");

        Assert.Equal("/a", verdict.Pointer);
        Assert.Equal("100 is not of type string, null", verdict.Message);
    }

    [Theory]
    [InlineData("{'enum':['3.0','3.1']}", "'3.1'", null)]
    [InlineData("{'enum':['3.0','3.1']}", "'3.2'", "")]
    [InlineData("{'enum':['3.0','3.1']}", "3.0", "")]
    [InlineData("{'enum':['A']}", "'\\u0041'", null)]
    [InlineData("{'enum':[1, 'a', null]}", "1.0", null)]
    [InlineData("{'enum':[1, 'a', null]}", "null", null)]
    [InlineData("{'enum':[1, 'a', null]}", "false", "")]
    [InlineData("{'enum':[{'a':1,'b':[1,2]}]}", "{'b':[1,2],'a':1}", null)]
    [InlineData("{'enum':[{'a':1,'b':[1,2]}]}", "{'b':[2,1],'a':1}", "")]
    public void Enum_Value_EqualsByJsonValue(string schema, string document, string? pointer) => AssertVerdict(schema, document, pointer);

    [Fact]
    public void Required_SeveralMissing_FirstInSchemaOrderReportedAtTheObject()
    {
        var verdict = Check("{'properties':{'edata':{'required':['type','subsystem','id']}}}", "{'edata':{'id':'x'}}");

        Assert.Equal("/edata", verdict.Pointer);
        Assert.Equal("'type' is a required property", verdict.Message);
    }

    [Theory]
    [InlineData("{'required':['a','b']}", "{'b':1,'a':null}", null)]
    [InlineData("{'required':['a','b']}", "{'a':1}", "")]
    [InlineData("{'required':['a']}", "{'\\u0061':1}", null)]
    [InlineData("{'required':['a']}", "'not an object'", null)]
    public void Required_Object_NeedsEveryName(string schema, string document, string? pointer) => AssertVerdict(schema, document, pointer);

    [Theory]
    [InlineData("{'properties':{'a':{'type':'string'}}}", "{'a':'x','b':1}", null)]
    [InlineData("{'properties':{'a':{'type':'string'}}}", "{'b':1,'a':2}", "/a")]
    [InlineData("{'properties':{'a':{'type':'string'}},'additionalProperties':false}", "{'a':'x'}", null)]
    [InlineData("{'properties':{'a':{'type':'string'}},'additionalProperties':false}", "{'a':'x','b':1}", "")]
    [InlineData("{'properties':{'a':{}},'additionalProperties':{'type':'number'}}", "{'a':'x','b':1}", null)]
    [InlineData("{'properties':{'a':{}},'additionalProperties':{'type':'number'}}", "{'a':'x','b':'y'}", "/b")]
    [InlineData("{'patternProperties':{'^x-':{'type':'string'}},'additionalProperties':false}", "{'x-a':'s'}", null)]
    [InlineData("{'patternProperties':{'^x-':{'type':'string'}},'additionalProperties':false}", "{'x-a':1}", "/x-a")]
    [InlineData("{'patternProperties':{'^x-':{'type':'string'}},'additionalProperties':false}", "{'y':1}", "")]
    [InlineData("{'properties':{'a/b':{'type':'string'},'m~n':{'type':'string'}}}", "{'a/b':1}", "/a~1b")]
    [InlineData("{'properties':{'a/b':{'type':'string'},'m~n':{'type':'string'}}}", "{'m~n':1}", "/m~0n")]
    [InlineData("{'properties':{'é':{'type':'string'}}}", "{'\\u00e9':1}", "/é")]
    public void Properties_Object_ChecksNamedPatternAndAdditional(string schema, string document, string? pointer) => AssertVerdict(schema, document, pointer);

    [Fact]
    public void AdditionalProperties_False_MessageNamesTheProperty()
    {
        var verdict = Check("{'properties':{'edata':{'properties':{'a':{}},'additionalProperties':false}}}", "{'edata':{'a':1,'extra':2}}");

        Assert.Equal("/edata", verdict.Pointer);
        Assert.Equal("Additional properties are not allowed ('extra' was unexpected)", verdict.Message);
    }

    [Fact]
    public void Properties_SeveralBad_FirstInDocumentOrder()
    {
        var verdict = Check("{'properties':{'a':{'type':'string'},'b':{'type':'string'}}}", "{'b':1,'a':2}");

        Assert.Equal("/b", verdict.Pointer);
    }

    [Fact]
    public void Keywords_SeveralFail_FirstInSchemaOrder()
    {
        Assert.Equal("'a' is a required property", Check("{'required':['a'],'properties':{'b':{'type':'string'}}}", "{'b':1}").Message);
        Assert.Equal("/b", Check("{'properties':{'b':{'type':'string'}},'required':['a']}", "{'b':1}").Pointer);
    }

    [Theory]
    [InlineData("{'items':{'type':'string'}}", "['a','b']", null)]
    [InlineData("{'items':{'type':'string'}}", "['a',2]", "/1")]
    [InlineData("{'items':[{'type':'string'},{'type':'number'}]}", "['a',2,true]", null)]
    [InlineData("{'items':[{'type':'string'},{'type':'number'}]}", "['a','b']", "/1")]
    [InlineData("{'items':[{'type':'string'}],'additionalItems':false}", "['a']", null)]
    [InlineData("{'items':[{'type':'string'}],'additionalItems':false}", "['a','b']", "")]
    [InlineData("{'items':[{'type':'string'}],'additionalItems':{'type':'number'}}", "['a',1,'c']", "/2")]
    [InlineData("{'items':{'type':'string'},'additionalItems':false}", "['a','b']", null)]
    [InlineData("{'additionalItems':false}", "['a','b']", null)]
    [InlineData("{'properties':{'extra':{'items':{'properties':{'value':{'type':'string'}}}}}}", "{'extra':[{'value':'x'},{'value':100}]}", "/extra/1/value")]
    public void Items_Array_ChecksEachItem(string schema, string document, string? pointer) => AssertVerdict(schema, document, pointer);

    [Theory]
    [InlineData("{'minItems':2}", "[1,2]", null)]
    [InlineData("{'minItems':2}", "[1]", "")]
    [InlineData("{'maxItems':1}", "[1,2]", "")]
    [InlineData("{'maxItems':1}", "'ab'", null)]
    [InlineData("{'uniqueItems':true}", "[1,'1',[1],{'a':1}]", null)]
    [InlineData("{'uniqueItems':true}", "[1,2,1.0]", "")]
    [InlineData("{'uniqueItems':true}", "[{'a':1,'b':2},{'b':2,'a':1}]", "")]
    [InlineData("{'uniqueItems':false}", "[1,1]", null)]
    public void ArrayKeywords_Array_CountAndUniqueness(string schema, string document, string? pointer) => AssertVerdict(schema, document, pointer);

    [Theory]
    [InlineData("{'minLength':1}", "''", "")]
    [InlineData("{'minLength':1}", "'a'", null)]
    [InlineData("{'maxLength':2}", "'abc'", "")]
    [InlineData("{'maxLength':2}", "'é😀'", null)]
    [InlineData("{'maxLength':2}", "'\\u00e9\\ud83d\\ude00'", null)]
    [InlineData("{'maxLength':1}", "'\\u00e9\\ud83d\\ude00'", "")]
    [InlineData("{'minLength':5}", "12", null)]
    [InlineData("{'pattern':'^[0-9]+$'}", "'123'", null)]
    [InlineData("{'pattern':'^[0-9]+$'}", "'12a'", "")]
    [InlineData("{'pattern':'b'}", "'abc'", null)]
    [InlineData("{'pattern':'(a)\\\\1'}", "'xaa'", null)]
    [InlineData("{'pattern':'^\\\\d+$'}", "'\\u0031\\u0032'", null)]
    public void StringKeywords_String_LengthInCodePointsAndUnanchoredPattern(string schema, string document, string? pointer) => AssertVerdict(schema, document, pointer);

    [Theory]
    [InlineData("{'minimum':-1}", "-1", null)]
    [InlineData("{'minimum':-1}", "-1.5", "")]
    [InlineData("{'minimum':-1,'exclusiveMinimum':true}", "-1", "")]
    [InlineData("{'minimum':-1,'exclusiveMinimum':false}", "-1", null)]
    [InlineData("{'maximum':10}", "10.0", null)]
    [InlineData("{'maximum':10,'exclusiveMaximum':true}", "10", "")]
    [InlineData("{'maximum':10,'exclusiveMaximum':true}", "9.999", null)]
    [InlineData("{'minimum':1577278681178}", "1577278681179", null)]
    [InlineData("{'maximum':1e400}", "1e300", null)]
    [InlineData("{'minimum':0}", "'-5'", null)]
    [InlineData("{'multipleOf':0.01}", "0.07", null)]
    [InlineData("{'multipleOf':0.01}", "0.075", "")]
    [InlineData("{'multipleOf':3}", "9", null)]
    [InlineData("{'multipleOf':3}", "10", "")]
    public void NumberKeywords_Number_BoundsAndMultiples(string schema, string document, string? pointer) => AssertVerdict(schema, document, pointer);

    [Fact]
    public void Length_OutOfBounds_MessageCountsEveryCharacter()
    {
        Assert.Equal("\"abcd\" has 4 characters, more than the maximum of 2", Check("{'maxLength':2}", "'abcd'").Message);
        Assert.Equal("\"ab\" has 2 characters, fewer than the minimum of 3", Check("{'minLength':3}", "'ab'").Message);
    }

    [Fact]
    public void Minimum_Below_MessageShowsTheBound()
    {
        Assert.Equal("-2 is less than the minimum of -1", Check("{'minimum':-1}", "-2").Message);
        Assert.Equal("-1 is less than or equal to the minimum of -1", Check("{'minimum':-1,'exclusiveMinimum':true}", "-1").Message);
    }

    [Theory]
    [InlineData("{'minProperties':1}", "{}", "")]
    [InlineData("{'minProperties':1}", "{'a':1}", null)]
    [InlineData("{'maxProperties':1}", "{'a':1,'b':2}", "")]
    [InlineData("{'dependencies':{'a':['b']}}", "{'a':1,'b':2}", null)]
    [InlineData("{'dependencies':{'a':['b']}}", "{'b':2}", null)]
    [InlineData("{'dependencies':{'a':['b']}}", "{'a':1}", "")]
    [InlineData("{'dependencies':{'a':{'properties':{'c':{'type':'string'}}}}}", "{'a':1,'c':2}", "/c")]
    [InlineData("{'dependencies':{'a':{'properties':{'c':{'type':'string'}}}}}", "{'c':2}", null)]
    public void ObjectKeywords_Object_CountsAndDependencies(string schema, string document, string? pointer) => AssertVerdict(schema, document, pointer);

    [Theory]
    [InlineData("{'allOf':[{'type':'object'},{'properties':{'a':{'type':'string'}}}]}", "{'a':'x'}", null)]
    [InlineData("{'allOf':[{'type':'object'},{'properties':{'a':{'type':'string'}}}]}", "{'a':1}", "/a")]
    [InlineData("{'anyOf':[{'type':'string'},{'minimum':2}]}", "3", null)]
    [InlineData("{'anyOf':[{'type':'string'},{'minimum':2}]}", "1", "")]
    [InlineData("{'oneOf':[{'type':'integer'},{'minimum':2}]}", "1", null)]
    [InlineData("{'oneOf':[{'type':'integer'},{'minimum':2}]}", "3", "")]
    [InlineData("{'oneOf':[{'type':'integer'},{'minimum':2}]}", "1.5", "")]
    [InlineData("{'not':{'type':'string'}}", "1", null)]
    [InlineData("{'not':{'type':'string'}}", "'a'", "")]
    [InlineData("{'properties':{'a':{'not':{'not':{'type':'string'}}}}}", "{'a':1}", "/a")]
    public void Applicators_Value_CombineSubschemas(string schema, string document, string? pointer) => AssertVerdict(schema, document, pointer);

    [Theory]
    [InlineData("{'required':['x'],'allOf':[{'properties':{'a':{'type':'string'}}},{'properties':{'b':{'type':'string'}}}]}", "{'a':1}", "", "'x' is a required property")]
    [InlineData("{'allOf':[{'properties':{'a':{'type':'string'}}},{'required':['x']}]}", "{'a':1}", "/a", "1 is not of type string")]
    [InlineData("{'allOf':[{'properties':{'a':{'type':'string'}}},{'properties':{'b':{'type':'string'}}}]}", "{'b':1,'a':2}", "/b", "1 is not of type string")]
    [InlineData("{'allOf':[{'properties':{'a':{}}},{'properties':{'b':{}},'additionalProperties':false}]}", "{'b':1,'a':2}", "", "Additional properties are not allowed ('a' was unexpected)")]
    [InlineData("{'type':'object','required':['a'],'allOf':[{'type':'object','properties':{'a':{'type':'string'}}}]}", "[]", "", "[] is not of type object")]
    [InlineData("{'type':'object','required':['a'],'allOf':[{'type':'object','properties':{'a':{'type':'string'}}}]}", "{'a':[]}", "/a", "[] is not of type string")]
    public void AllOf_BranchesOverOneObject_FirstErrorAsDocumented(string schema, string document, string pointer, string message)
    {
        var verdict = Check(schema, document);

        Assert.Equal(pointer, verdict.Pointer);
        Assert.Equal(message, verdict.Message);
    }

    [Fact]
    public void AnyOf_AllBranchesFail_ReportedAtTheValueNotInsideABranch()
    {
        var verdict = Check("{'properties':{'a':{'anyOf':[{'properties':{'b':{'type':'string'}}},{'type':'string'}]}}}", "{'a':{'b':1}}");

        Assert.Equal("/a", verdict.Pointer);
        Assert.Contains("not valid under any of the given schemas", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ref_OtherFileByNameWithResourcePrefix_Resolved()
    {
        var schema = Schema(
            "{'allOf':[{'$ref':'resource:/schemas/telemetry/3.0/common.json'}],'properties':{'actor':{'$ref':'actor.json'}}}",
            ("common.json", "{'properties':{'ets':{'type':'number','format':'date-time'}}}"),
            ("actor.json", "{'required':['id'],'properties':{'id':{'type':'string'}}}"));

        Assert.True(schema.Validate(Encoding.UTF8.GetBytes(J("{'ets':1,'actor':{'id':'u'}}"))).IsValid);
        Assert.Equal("/ets", schema.Validate(Encoding.UTF8.GetBytes(J("{'ets':'1','actor':{'id':'u'}}"))).Pointer);
        Assert.Equal("/actor", schema.Validate(Encoding.UTF8.GetBytes(J("{'ets':1,'actor':{}}"))).Pointer);
    }

    [Theory]
    [InlineData("{'definitions':{'node':{'type':'object','required':['v'],'properties':{'v':{'type':'integer'},'kids':{'type':'array','items':{'$ref':'#/definitions/node'}}}}},'$ref':'#/definitions/node'}")]
    [InlineData("{'allOf':[{'$ref':'#/definitions/node'}],'definitions':{'node':{'type':'object','required':['v'],'properties':{'v':{'type':'integer'},'kids':{'type':'array','items':{'$ref':'#/definitions/node'}}}}}}")]
    [InlineData("{'type':'object','required':['v'],'properties':{'v':{'type':'integer'},'kids':{'type':'array','items':{'$ref':'#'}}}}")]
    public void Ref_PointerIntoDefinitionsAndRecursion_Resolved(string tree)
    {
        AssertVerdict(tree, "{'v':1,'kids':[{'v':2,'kids':[{'v':3}]}]}", null);
        AssertVerdict(tree, "{'v':1,'kids':[{'v':2,'kids':[{'v':'3'}]}]}", "/kids/0/kids/0/v");
        AssertVerdict(tree, "{'v':1,'kids':[{'v':2,'kids':[{}]}]}", "/kids/0/kids/0");
    }

    [Fact]
    public void Format_Unknown_NotChecked()
    {
        AssertVerdict("{'type':'string','format':'date-time'}", "'yesterday'", null);
    }

    [Fact]
    public void Validate_ElementAndBytes_SameVerdict()
    {
        var schema = Schema("{'properties':{'a':{'type':'string'}}}");
        using var document = JsonDocument.Parse("{\"a\":5}");

        Assert.Equal(schema.Validate(Encoding.UTF8.GetBytes("{\"a\":5}")), schema.Validate(document.RootElement));
        Assert.Equal("/a: 5 is not of type string", schema.Validate(document.RootElement).ToString());
    }

    [Theory]
    [InlineData("{\"a\":")]
    [InlineData("")]
    [InlineData("{'a':1}")]
    [InlineData("[1,2] 3")]
    public void Validate_MalformedBytes_MalformedJsonVerdict(string text)
    {
        var verdict = Schema("{}").Validate(Encoding.UTF8.GetBytes(text));

        Assert.Equal(SchemaVerdictKind.MalformedJson, verdict.Kind);
        Assert.False(verdict.IsValid);
        Assert.StartsWith("not valid JSON", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_Verdict_IsValid()
    {
        Assert.True(default(SchemaVerdict).IsValid);
        Assert.Equal(SchemaVerdict.Valid, default);
        Assert.Equal("", default(SchemaVerdict).Pointer);
    }
}
