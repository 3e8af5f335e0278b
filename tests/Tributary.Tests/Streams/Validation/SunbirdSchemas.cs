using System.Text.Json;
using Tributary.Streams.Validation;
using Tributary.Tests.Sunbird;

namespace Tributary.Tests.Streams.Validation;

/// <summary>The real Sunbird schemas and events from ../shared (tests skip without it), loaded once.</summary>
internal static class SunbirdSchemas
{
    private static readonly Lazy<JsonSchemaSet> PreprocessorSet = new(() => JsonSchemaSet.Load(PreprocessorDirectory));
    private static readonly Lazy<JsonSchemaSet> DruidTelemetrySet = new(() => JsonSchemaSet.Load(Path.Combine(Root, "schemas", "druid-events-validator", "telemetry")));
    private static readonly Lazy<JsonSchemaSet> DruidSummarySet = new(() => JsonSchemaSet.Load(Path.Combine(Root, "schemas", "druid-events-validator", "summary")));

    /// <summary>../shared/data/sunbird; skips the test when absent.</summary>
    public static string Root => SharedData.RequireSunbird();

    public static string PreprocessorDirectory => Path.Combine(Root, "schemas", "pipeline-preprocessor", "telemetry", "3.0");

    public static string DruidTelemetryDirectory => Path.Combine(Root, "schemas", "druid-events-validator", "telemetry");

    public static string DruidSummaryDirectory => Path.Combine(Root, "schemas", "druid-events-validator", "summary");

    public static JsonSchemaSet Preprocessor => PreprocessorSet.Value;

    public static EventSchemaValidator PreprocessorValidator => EventSchemaValidator.ForPipelinePreprocessor(PreprocessorSet.Value);

    public static EventSchemaValidator DruidValidator => EventSchemaValidator.ForDruidValidator(DruidTelemetrySet.Value, DruidSummarySet.Value);

    public static JsonSchemaSet DruidTelemetry => DruidTelemetrySet.Value;

    public static JsonSchemaSet DruidSummary => DruidSummarySet.Value;

    /// <summary>The non-blank lines of events/<paramref name="file"/>, in order.</summary>
    public static List<string> Lines(string file) => [.. File.ReadLines(Path.Combine(Root, "events", file)).Where(l => l.Trim().Length > 0)];

    /// <summary>Every line of every events/*.jsonl file that is a JSON object with a string eid: (file:line, eid, text).</summary>
    public static List<(string Where, string Eid, string Json)> EventsWithEid()
    {
        var events = new List<(string, string, string)>();
        foreach (var path in Directory.GetFiles(Path.Combine(Root, "events"), "*.jsonl").Order(StringComparer.Ordinal))
        {
            var number = 0;
            foreach (var line in File.ReadLines(path))
            {
                number++;
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                using var document = JsonDocument.Parse(line);
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("eid", out var eid)
                    && eid.ValueKind == JsonValueKind.String)
                {
                    events.Add(($"{Path.GetFileName(path)}:{number}", eid.GetString()!, line));
                }
            }
        }

        return events;
    }
}
