using System.Text;
using System.Text.RegularExpressions;
using NJsonSchema;
using Tributary.Streams.Validation;

namespace Tributary.Tests.Streams.Validation;

/// <summary>
/// Our valid/invalid verdict against NJsonSchema's on every event of every ../shared events/*.jsonl line that has
/// an eid, under both Sunbird mappings. NJsonSchema cannot resolve <c>resource:/</c> references, so the schemas
/// are copied to a temporary directory with each such reference rewritten to the copied file's absolute path.
/// </summary>
public sealed partial class NJsonSchemaCrossCheckTests : TempDirectoryTest
{
    public NJsonSchemaCrossCheckTests()
        : base("njsonschema")
    {
    }

    [GeneratedRegex("\"resource:/[^\"]*/([^/\"]+\\.json)\"")]
    private static partial Regex ResourceReference();

    /// <summary>Copies a schema directory with resource:/…/name.json references pointing at the copies.</summary>
    private string CopyForNJsonSchema(string directory, string name)
    {
        var target = Path.Combine(Dir, name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(directory, "*.json"))
        {
            var text = ResourceReference().Replace(File.ReadAllText(file), m => "\"" + Path.Combine(target, m.Groups[1].Value) + "\"");
            File.WriteAllText(Path.Combine(target, Path.GetFileName(file)), text);
        }

        return target;
    }

    private static JsonSchema LoadNJsonSchema(string path) => JsonSchema.FromFileAsync(path).GetAwaiter().GetResult();

    [SkippableFact]
    public void PipelinePreprocessor_EveryEventWithASchema_SameVerdictAsNJsonSchema()
    {
        var ours = SunbirdSchemas.Preprocessor;
        var copy = CopyForNJsonSchema(SunbirdSchemas.PreprocessorDirectory, "preprocessor");
        var theirs = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        var compared = 0;
        var invalid = 0;
        var mismatches = new List<string>();

        foreach (var (where, eid, json) in SunbirdSchemas.EventsWithEid())
        {
            var name = eid.ToLowerInvariant() + ".json";
            if (!ours.TryGet(name, out var schema))
            {
                continue;
            }

            if (!theirs.TryGetValue(name, out var njs))
            {
                theirs[name] = njs = LoadNJsonSchema(Path.Combine(copy, name));
            }

            var verdict = schema.Validate(Encoding.UTF8.GetBytes(json));
            var errors = njs.Validate(json);
            compared++;
            invalid += verdict.IsValid ? 0 : 1;
            if (verdict.IsValid != (errors.Count == 0))
            {
                mismatches.Add($"{where} {eid}: ours {verdict}; NJsonSchema {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}"))}");
            }
        }

        Assert.True(compared >= 120, $"only {compared} events compared");
        Assert.True(invalid > 0, "no invalid event among them");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {compared} verdicts differ:\n{string.Join("\n", mismatches)}");
    }

    [SkippableFact]
    public void DruidValidator_EveryEvent_SameVerdictAsNJsonSchema()
    {
        var telemetry = CopyForNJsonSchema(SunbirdSchemas.DruidTelemetryDirectory, "telemetry");
        var summary = CopyForNJsonSchema(SunbirdSchemas.DruidSummaryDirectory, "summary");
        var envelope = LoadNJsonSchema(Path.Combine(telemetry, "envelope.json"));
        var search = LoadNJsonSchema(Path.Combine(telemetry, "search.json"));
        var workflow = LoadNJsonSchema(Path.Combine(summary, "me_workflow_summary.json"));
        var validator = SunbirdSchemas.DruidValidator;
        var compared = 0;
        var mismatches = new List<string>();

        foreach (var (where, eid, json) in SunbirdSchemas.EventsWithEid())
        {
            var njs = eid.Equals("SEARCH", StringComparison.OrdinalIgnoreCase) ? search
                : eid.Equals("ME_WORKFLOW_SUMMARY", StringComparison.OrdinalIgnoreCase) ? workflow
                : envelope;
            var verdict = validator.Validate(Encoding.UTF8.GetBytes(json));
            var errors = njs.Validate(json);
            compared++;
            if (verdict.IsValid != (errors.Count == 0))
            {
                mismatches.Add($"{where} {eid}: ours {verdict}; NJsonSchema {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}"))}");
            }
        }

        Assert.True(compared >= 120, $"only {compared} events compared");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {compared} verdicts differ:\n{string.Join("\n", mismatches)}");
    }
}
