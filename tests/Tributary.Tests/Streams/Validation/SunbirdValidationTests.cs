using System.Text;
using Tributary.Streams.Validation;

namespace Tributary.Tests.Streams.Validation;

/// <summary>
/// The Sunbird schemas (../shared) against the verdicts of SCENARIOS.md: pipeline-preprocessor P1 (17 events)
/// and druid-events-validator V1/V3 (6 events), with the first error's pointer of every invalid event.
/// </summary>
public sealed class SunbirdValidationTests
{
    [SkippableFact]
    public void Load_EverySunbirdSchemaDirectory_Compiles()
    {
        var root = SunbirdSchemas.Root;
        var directories = new[]
        {
            SunbirdSchemas.PreprocessorDirectory,
            SunbirdSchemas.DruidTelemetryDirectory,
            SunbirdSchemas.DruidSummaryDirectory,
            Path.Combine(root, "schemas", "cb-preprocessor", "telemetry", "3.0"),
        };

        foreach (var directory in directories)
        {
            var set = JsonSchemaSet.Load(directory);
            Assert.Equal(Directory.GetFiles(directory, "*.json").Length, set.Names.Count);
        }

        Assert.Equal(40, SunbirdSchemas.Preprocessor.Names.Count);
    }

    /// <summary>SCENARIOS.md §2 P1: line number → null (valid), or the kind, pointer and message of the first error.</summary>
    public static TheoryData<int, string, SchemaVerdictKind, string, string> PreprocessorP1 => new()
    {
        { 1, "INTERACT", SchemaVerdictKind.Valid, "", "" },
        { 2, "ERROR", SchemaVerdictKind.Valid, "", "" },
        { 3, "LOG", SchemaVerdictKind.Valid, "", "" },
        { 4, "AUDIT", SchemaVerdictKind.Valid, "", "" },
        { 5, "SHARE", SchemaVerdictKind.Valid, "", "" },
        { 6, "ASSESS", SchemaVerdictKind.Valid, "", "" },
        { 7, "START", SchemaVerdictKind.Invalid, "", "'actor' is a required property" },
        { 8, "NO_EID", SchemaVerdictKind.SchemaNotFound, "", "Schema not found: eid looks incorrect, sending to failed" },
        { 9, "NO_EID", SchemaVerdictKind.SchemaNotFound, "", "Schema not found: eid looks incorrect, sending to failed" },
        { 10, "NO_EID", SchemaVerdictKind.SchemaNotFound, "", "Schema not found: eid looks incorrect, sending to failed" },
        { 11, "INTERACT", SchemaVerdictKind.Valid, "", "" },
        { 12, "SEARCH", SchemaVerdictKind.Valid, "", "" },
        { 13, "SUMMARY", SchemaVerdictKind.Invalid, "/edata/extra/0/value", "100 is not of type string" },
        { 14, "SUMMARY", SchemaVerdictKind.Invalid, "/edata/timespent", "\"0:16\" is not of type number" },
        { 15, "SUMMARY", SchemaVerdictKind.Valid, "", "" },
        { 16, "METRICS", SchemaVerdictKind.Invalid, "/edata", "'subsystem' is a required property" },
        { 17, "METRICS", SchemaVerdictKind.Valid, "", "" },
    };

    [SkippableTheory]
    [MemberData(nameof(PreprocessorP1))]
    public void PipelinePreprocessor_SpecInputEvent_VerdictOfScenarioP1(int line, string eid, SchemaVerdictKind kind, string pointer, string message)
    {
        var json = SunbirdSchemas.Lines("spec-input.pipeline-preprocessor.jsonl")[line - 1];
        Assert.Contains($"\"eid\":\"{eid}\"", json, StringComparison.Ordinal);

        var verdict = SunbirdSchemas.PreprocessorValidator.Validate(Encoding.UTF8.GetBytes(json));

        Assert.Equal(kind, verdict.Kind);
        Assert.Equal(pointer, verdict.Pointer);
        Assert.Equal(message, verdict.Message);
    }

    [SkippableFact]
    public void PipelinePreprocessor_SpecInput_TenValidSevenFailedAsTheSpecCounts()
    {
        var verdicts = SunbirdSchemas.Lines("spec-input.pipeline-preprocessor.jsonl").Select(l => SunbirdSchemas.PreprocessorValidator.Validate(Encoding.UTF8.GetBytes(l))).ToList();

        Assert.Equal(17, verdicts.Count);
        Assert.Equal(10, verdicts.Count(v => v.IsValid));
        Assert.Equal(7, verdicts.Count(v => !v.IsValid));
    }

    [SkippableFact]
    public void DruidValidator_SpecInput_OnlyEventTwoFailsAtContentdataFramework()
    {
        var lines = SunbirdSchemas.Lines("spec-input.druid-events-validator.jsonl");

        var verdicts = lines.Select(l => SunbirdSchemas.DruidValidator.Validate(Encoding.UTF8.GetBytes(l))).ToList();

        Assert.Equal(6, verdicts.Count);
        Assert.Equal([true, false, true, true, true, true], verdicts.Select(v => v.IsValid));
        Assert.Equal("/contentdata/framework", verdicts[1].Pointer);
        Assert.Equal("[\"NCF\"] is not of type string", verdicts[1].Message);

        // V1 (dedup first: the copy of event 1 never reaches validation): 4 ok, 1 failed; V3 (no dedup): 5 ok, 1 failed.
        Assert.Equal((4, 1), (verdicts.Take(5).Count(v => v.IsValid), verdicts.Take(5).Count(v => !v.IsValid)));
        Assert.Equal((5, 1), (verdicts.Count(v => v.IsValid), verdicts.Count(v => !v.IsValid)));
    }

    [SkippableFact]
    public void DruidValidator_SchemaChoice_SearchSummaryElseEnvelope()
    {
        var lines = SunbirdSchemas.Lines("spec-input.druid-events-validator.jsonl");

        var names = lines.Select(l =>
        {
            using var document = System.Text.Json.JsonDocument.Parse(l);
            return SunbirdSchemas.DruidValidator.SchemaFor(document.RootElement)!.Name;
        }).ToList();

        Assert.Equal(["envelope.json", "envelope.json", "me_workflow_summary.json", "search.json", "search.json", "envelope.json"], names);
    }

    [SkippableFact]
    public void Validate_ManyThreadsAtOnce_SameVerdictsAsOneThread()
    {
        var validator = SunbirdSchemas.PreprocessorValidator;
        var lines = SunbirdSchemas.Lines("spec-input.pipeline-preprocessor.jsonl").Select(Encoding.UTF8.GetBytes).ToArray();
        var expected = lines.Select(l => validator.Validate(l)).ToArray();

        var mismatches = 0;
        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if (validator.Validate(lines[i % lines.Length]) != expected[i % lines.Length])
            {
                Interlocked.Increment(ref mismatches);
            }
        });

        Assert.Equal(0, mismatches);
    }
}
