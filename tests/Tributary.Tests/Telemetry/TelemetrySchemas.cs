using Tributary.Streams.Validation;

namespace Tributary.Tests.Telemetry;

/// <summary>Our own telemetry schemas (samples/pipelines/schemas/telemetry), loaded once.</summary>
internal static class TelemetrySchemas
{
    private static readonly Lazy<JsonSchemaSet> SetValue = new(() => JsonSchemaSet.Load(Directory));

    /// <summary>The eids we have a schema for (lower-case file names without .json, upper-cased).</summary>
    public static readonly string[] Eids =
        ["ASSESS", "AUDIT", "END", "ERROR", "FEEDBACK", "HEARTBEAT", "IMPRESSION", "INTERACT", "INTERRUPT", "LOG", "METRICS", "RESPONSE", "SEARCH", "SHARE", "START", "SUMMARY"];

    /// <summary>samples/pipelines/schemas/telemetry of this repository.</summary>
    public static string Directory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Tributary.slnx")))
                {
                    return Path.Combine(dir.FullName, "samples", "pipelines", "schemas", "telemetry");
                }
            }

            throw new InvalidOperationException("the repository root (Tributary.slnx) was not found above the test assembly");
        }
    }

    public static JsonSchemaSet Set => SetValue.Value;

    /// <summary>The pipeline-preprocessor's choice over our schemas: lower-case eid + ".json".</summary>
    public static EventSchemaValidator Validator => EventSchemaValidator.ForPipelinePreprocessor(Set);
}
