using System.Text.Json;
using Tributary.Streams.Validation;
using Tributary.Tests.Sunbird;

namespace Tributary.Tests.Telemetry;

/// <summary>Our Sunbird telemetry v3 schemas: they load, they accept what real clients send, and they refuse what they must.</summary>
public sealed class TelemetrySchemaTests
{
    private const string Valid = """
        {"eid":"INTERACT","ets":1714959262954,"ver":"3.0","mid":"INTERACT:1","actor":{"id":"u1","type":"User"},
         "context":{"channel":"0123","pdata":{"id":"prod.sunbird.portal","ver":"5.1.0","pid":"sunbird-portal"},"env":"home","sid":"s","did":"d",
                    "cdata":[{"id":"Desktop","type":"Device"}],"rollup":{"l1":"0123"}},
         "object":{},"tags":["0123"],"edata":{"type":"click","id":"search-button","pageid":"library"}}
        """;

    [Fact]
    public void Load_SamplesDirectory_EnvelopeAndOneSchemaPerEid()
    {
        var set = JsonSchemaSet.Load(TelemetrySchemas.Directory);

        Assert.Equal([.. TelemetrySchemas.Eids.Select(e => e.ToLowerInvariant() + ".json").Append("envelope.json").Order(StringComparer.Ordinal)], set.Names);
    }

    [Fact]
    public void Validate_PlainInteract_Valid()
    {
        Assert.Equal(SchemaVerdict.Valid, TelemetrySchemas.Validator.Validate(System.Text.Encoding.UTF8.GetBytes(Valid)));
    }

    [Theory]
    [InlineData("actor", null, "", "'actor' is a required property")]
    [InlineData("ets", "\"2024-05-06T01:02:03Z\"", "/ets", "is not of type number")]
    [InlineData("ver", "\"2.0\"", "/ver", "")]
    [InlineData("mid", "\"\"", "/mid", "")]
    [InlineData("edata", "{\"type\":\"click\"}", "/edata", "'id' is a required property")]
    [InlineData("context", "{\"channel\":\"0123\",\"env\":\"home\"}", "/context", "'pdata' is a required property")]
    [InlineData("tags", "[1]", "/tags/0", "")]
    public void Validate_BrokenEnvelopeOrEdata_InvalidAtThePointer(string property, string? value, string pointer, string message)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(Valid)!.AsObject();
        if (value is null)
        {
            node.Remove(property);
        }
        else
        {
            node[property] = System.Text.Json.Nodes.JsonNode.Parse(value);
        }

        var verdict = TelemetrySchemas.Validator.Validate(System.Text.Encoding.UTF8.GetBytes(node.ToJsonString()));

        Assert.Equal(SchemaVerdictKind.Invalid, verdict.Kind);
        Assert.Equal(pointer, verdict.Pointer);
        Assert.Contains(message, verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownEid_SchemaNotFound()
    {
        var verdict = TelemetrySchemas.Validator.Validate(System.Text.Encoding.UTF8.GetBytes(Valid.Replace("\"INTERACT\"", "\"CLICK\"", StringComparison.Ordinal)));

        Assert.Equal(SchemaVerdictKind.SchemaNotFound, verdict.Kind);
    }

    [Fact]
    public void Validate_EidOfAnotherSchema_Invalid()
    {
        // "interact" finds interact.json, whose eid must be exactly INTERACT.
        var verdict = TelemetrySchemas.Validator.Validate(System.Text.Encoding.UTF8.GetBytes(Valid.Replace("\"INTERACT\"", "\"interact\"", StringComparison.Ordinal)));

        Assert.Equal(SchemaVerdictKind.Invalid, verdict.Kind);
        Assert.Equal("/eid", verdict.Pointer);
    }

    [SkippableFact]
    public void Validate_RealExtractedEvents_EveryEventWithOurEidPasses()
    {
        var path = Path.Combine(SharedData.RequireSunbird(), "events", "telemetry-extractor.batch-events-exploded.jsonl");
        var validator = TelemetrySchemas.Validator;
        var checkedEids = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            if (!document.RootElement.TryGetProperty("eid", out var eid) || eid.ValueKind != JsonValueKind.String || !TelemetrySchemas.Eids.Contains(eid.GetString()))
            {
                continue;
            }

            checkedEids[eid.GetString()!] = checkedEids.GetValueOrDefault(eid.GetString()!) + 1;
            var verdict = validator.Validate(document.RootElement);
            if (!verdict.IsValid)
            {
                failures.Add($"line {number} ({eid.GetString()}): {verdict}");
            }
        }

        Assert.Empty(failures);
        Assert.Equal(["ASSESS", "ERROR", "LOG", "RESPONSE", "START"], checkedEids.Keys);
        Assert.Equal(46, checkedEids.Values.Sum());
    }
}
