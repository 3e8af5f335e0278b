using System.Text;
using Tributary.Streams.Validation;

namespace Tributary.Tests.Streams.Validation;

/// <summary>Choosing the schema by eid, as Sunbird's pipeline-preprocessor and druid-events-validator do, on small inline schemas.</summary>
public sealed class EventSchemaValidatorTests
{
    private static string J(string text) => text.Replace('\'', '"');

    private static readonly EventSchemaValidator Preprocessor = EventSchemaValidator.ForPipelinePreprocessor(JsonSchemaSet.FromJson(new Dictionary<string, string>
    {
        ["envelope.json"] = J("{'type':'object','required':['eid','mid'],'properties':{'eid':{'type':'string','minLength':1}}}"),
        ["interact.json"] = J("{'type':'object','required':['eid','edata'],'properties':{'eid':{'enum':['INTERACT']},'edata':{'required':['type']}}}"),
    }));

    private static readonly EventSchemaValidator Druid = EventSchemaValidator.ForDruidValidator(
        JsonSchemaSet.FromJson(new Dictionary<string, string>
        {
            ["envelope.json"] = J("{'required':['envelope']}"),
            ["search.json"] = J("{'required':['search']}"),
        }),
        JsonSchemaSet.FromJson(new Dictionary<string, string> { ["me_workflow_summary.json"] = J("{'required':['summary']}") }));

    private static SchemaVerdict Check(EventSchemaValidator validator, string json) => validator.Validate(Encoding.UTF8.GetBytes(J(json)));

    [Theory]
    [InlineData("{'eid':'INTERACT','edata':{'type':'x'}}")]
    [InlineData("{'eid':'Interact','edata':{'type':'x'}}")]
    public void Preprocessor_Eid_LowerCasedFileName(string json)
    {
        var verdict = Check(Preprocessor, json);

        // "Interact" finds interact.json, whose enum then rejects the spelling.
        Assert.Equal(json.Contains("INTERACT", StringComparison.Ordinal), verdict.IsValid);
    }

    [Fact]
    public void Preprocessor_EidWithEscapes_StillFindsTheSchema()
    {
        Assert.Equal("/edata", Check(Preprocessor, "{'eid':'\\u0049NTERACT','edata':{}}").Pointer);
    }

    [Fact]
    public void Preprocessor_UnknownEid_SchemaNotFoundWithSunbirdsMessage()
    {
        var verdict = Check(Preprocessor, "{'eid':'NO_EID','mid':'m'}");

        Assert.Equal(SchemaVerdictKind.SchemaNotFound, verdict.Kind);
        Assert.Equal("Schema not found: eid looks incorrect, sending to failed", verdict.Message);
        Assert.Equal("", verdict.Pointer);
    }

    [Theory]
    [InlineData("{'mid':'m'}", "'eid' is a required property", "")]
    [InlineData("{'eid':null,'mid':'m'}", "null is not of type string", "/eid")]
    [InlineData("{'eid':5,'mid':'m'}", "5 is not of type string", "/eid")]
    public void Preprocessor_NoStringEid_CheckedAgainstTheEnvelope(string json, string message, string pointer)
    {
        var verdict = Check(Preprocessor, json);

        Assert.Equal(SchemaVerdictKind.Invalid, verdict.Kind);
        Assert.Equal(message, verdict.Message);
        Assert.Equal(pointer, verdict.Pointer);
    }

    [Theory]
    [InlineData("[{'eid':'INTERACT'}]", "array")]
    [InlineData("'INTERACT'", "string")]
    [InlineData("null", "null")]
    public void Validate_NotAnObject_NotAnObjectVerdict(string json, string kind)
    {
        var verdict = Check(Preprocessor, json);

        Assert.Equal(SchemaVerdictKind.NotAnObject, verdict.Kind);
        Assert.Contains(kind, verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Malformed_MalformedJsonVerdict()
    {
        Assert.Equal(SchemaVerdictKind.MalformedJson, Preprocessor.Validate("{\"eid\":"u8).Kind);
    }

    [Theory]
    [InlineData("{'eid':'SEARCH','search':1}", true)]
    [InlineData("{'eid':'search','search':1}", true)]
    [InlineData("{'eid':'SEARCH','envelope':1}", false)]
    [InlineData("{'eid':'me_workflow_summary','summary':1}", true)]
    [InlineData("{'eid':'INTERACT','envelope':1}", true)]
    [InlineData("{'eid':'NO_SUCH','envelope':1}", true)]
    [InlineData("{'envelope':1}", true)]
    [InlineData("{'eid':'INTERACT','search':1}", false)]
    public void Druid_Eid_SearchSummaryOrEnvelope(string json, bool valid)
    {
        Assert.Equal(valid, Check(Druid, json).IsValid);
    }

    [Fact]
    public void SchemaFor_Preprocessor_NamesTheFile()
    {
        using var document = System.Text.Json.JsonDocument.Parse("{\"eid\":\"INTERACT\"}");

        Assert.Equal("interact.json", Preprocessor.SchemaFor(document.RootElement)!.Name);
    }
}
