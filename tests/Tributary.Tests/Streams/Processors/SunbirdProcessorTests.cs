using System.Text.Json;
using Tributary.Streams.Processors;
using Tributary.Tests.Sunbird;

namespace Tributary.Tests.Streams.Processors;

/// <summary>The scenarios of ../shared/data/sunbird/SCENARIOS.md replayed through our processors (skipped without ../shared).</summary>
public sealed class SunbirdProcessorTests : TempDirectoryTest
{
    public SunbirdProcessorTests()
        : base("sunbird-processors")
    {
    }

    private static readonly ProcessorDefinition Extractor = new("extractor", "extractor", "ingest",
        new Dictionary<string, string> { ["events"] = "raw", ["log"] = "events.log", ["failed"] = "failed", ["batchFailed"] = "extractor.failed", ["duplicate"] = "extractor.duplicate" },
        new Dictionary<string, string> { ["maxEventBytes"] = "859", ["ttl"] = "1h" });

    private static string Flag(JsonElement e, string name) =>
        e.TryGetProperty("flags", out var f) && f.TryGetProperty(name, out var v) ? v.GetRawText() : "absent";

    [SkippableFact]
    public async Task Extractor_E1_MixedInput_CountsPerOutputFlagsAndMetrics()
    {
        var input = File.ReadAllLines(Path.Combine(SharedData.RequireSunbird(), "events", "spec-input.telemetry-extractor.txt")).Where(l => l.Length > 0).ToList();
        using var f = new ProcessorFixture(Dir);
        f.Topics("ingest");
        await f.ProduceAsync("ingest", input);

        var metrics = await f.RunAsync(s => new TelemetryExtractor(s), Extractor);

        var raw = f.Read("raw");
        var log = f.Read("events.log");
        var audit = log.Where(e => e.GetProperty("edata").TryGetProperty("type", out var t) && t.GetString() == "telemetry_audit").ToList();
        // Sunbird: raw 6 (+5 ASSESS/RESPONSE that its redactor also copies: we have no redactor, they go to raw like the ERROR),
        // log-route 38, audit 2, failed 2, batch-failed 1, duplicate 1.
        Assert.Equal(6, raw.Count);
        Assert.Equal(38, log.Count - audit.Count);
        Assert.Equal(2, audit.Count);
        Assert.Equal(2, f.Read("failed").Count);
        Assert.Single(f.Read("extractor.failed"));
        Assert.Single(f.Read("extractor.duplicate"));
        Assert.Equal(3, metrics["success-batch-count"]);
        Assert.Equal(1, metrics["failed-batch-count"]);
        Assert.Equal(2, metrics["unique-event-count"]);
        Assert.Equal(1, metrics["duplicate-event-count"]);
        Assert.Equal(44, metrics["success-event-count"]);
        Assert.Equal(2, metrics["failed-event-count"]);
        Assert.Equal(2, metrics["audit-event-count"]);

        Assert.All(raw, e => Assert.Equal("true", Flag(e, "ex_processed")));
        Assert.All(raw, e => Assert.Equal(1529500243955, e.GetProperty("syncts").GetInt64()));
        Assert.All(raw, e => Assert.Equal("2018-06-20T13:10:43.955Z", e.GetProperty("@timestamp").GetString()));
        Assert.Equal("true", Flag(f.Read("extractor.duplicate")[0], "extractor_duplicate"));
        Assert.All(f.Read("failed"), e =>
        {
            Assert.Equal("false", Flag(e, "ex_processed"));
            Assert.Equal("START", e.GetProperty("eid").GetString());
            Assert.Equal("Event size is Exceeded", e.GetProperty("metadata").GetProperty("ex_error").GetString());
        });
        Assert.Equal([21, 25], audit.Select(a => a.GetProperty("edata").GetProperty("params")[0].GetProperty("events_count").GetInt32()).Order());
    }

    [SkippableFact]
    public async Task Extractor_E3_EmptyOrMissingEvents_OneAuditEventWithZeroEvents()
    {
        var fixtures = File.ReadAllLines(Path.Combine(SharedData.RequireSunbird(), "events", "telemetry-extractor.fixtures.jsonl")).Take(4).ToList();
        using var f = new ProcessorFixture(Dir);
        f.Topics("ingest");
        await f.ProduceAsync("ingest", [fixtures[2], fixtures[3]]);

        var metrics = await f.RunAsync(s => new TelemetryExtractor(s), Extractor with { Settings = new Dictionary<string, string> { ["dedup"] = "false" } });

        var audit = f.Read("events.log");
        Assert.Equal(2, audit.Count);
        Assert.All(audit, a => Assert.Equal(0, a.GetProperty("edata").GetProperty("params")[0].GetProperty("events_count").GetInt32()));
        Assert.Equal(2, metrics["audit-event-count"]);
    }

    [SkippableFact]
    public async Task Dedup_P1_SeventeenEvents_NullMidIsADuplicate()
    {
        // Scenario P1's dedup step over its valid events: 11 is a copy of 1; valid non-LOG events only reach dedup.
        var lines = File.ReadAllLines(Path.Combine(SharedData.RequireSunbird(), "events", "spec-input.pipeline-preprocessor.jsonl")).Where(l => l.Length > 0).ToList();
        int[] valid = [1, 2, 4, 5, 6, 11, 12, 15, 17];
        using var f = new ProcessorFixture(Dir);
        f.Topics("valid");
        await f.ProduceAsync("valid", valid.Select(i => lines[i - 1]));
        var dedup = new ProcessorDefinition("dedup", "dedup", "valid", new Dictionary<string, string> { ["unique"] = "unique", ["duplicate"] = "duplicate" },
            new Dictionary<string, string> { ["flag"] = "pp_duplicate" });

        var metrics = await f.RunAsync(s => new EventDeduplicator(s), dedup);

        // 1 INTERACT, 2 ERROR, 4 AUDIT, 5 SHARE, 6 ASSESS, 12 SEARCH, 15 SUMMARY, 17 METRICS are unique (8); 11 repeats 1.
        Assert.Equal(8, metrics["unique-event-count"]);
        Assert.Equal(1, metrics["duplicate-event-count"]);
        var duplicate = Assert.Single(f.Read("duplicate"));
        Assert.Equal("mid4", duplicate.GetProperty("mid").GetString());
        Assert.Equal("true", Flag(duplicate, "pp_duplicate"));
        Assert.All(f.Read("unique"), e => Assert.Equal("absent", Flag(e, "pp_duplicate")));
    }

    [SkippableFact]
    public async Task ValidatorThenDedup_P1_SeventeenEvents_RoutesAsSunbird()
    {
        var sunbird = SharedData.RequireSunbird();
        var lines = File.ReadAllLines(Path.Combine(sunbird, "events", "spec-input.pipeline-preprocessor.jsonl")).Where(l => l.Length > 0).ToList();
        var schemas = Path.Combine(sunbird, "schemas", "pipeline-preprocessor", "telemetry", "3.0");
        var yaml = $$"""
            topics:
              raw: {}
              valid: {}
              failed: {}
              unique: { partitions: 2 }
              duplicate: {}
            processors:
              validator:
                kind: validator
                input: raw
                schemas: {{schemas}}
                outputs: { valid: valid, failed: failed }
              dedup:
                kind: dedup
                input: valid
                flag: pp_duplicate
                skip: LOG
                outputs: { unique: unique, duplicate: duplicate }
            """;
        using var f = new ProcessorFixture(Dir);
        Tributary.Pipelines.StreamsApplier.Apply(f.Log, f.Store, Tributary.Pipelines.PipelineLoader.Parse(yaml, Path.Combine(Dir, "p.yaml")));
        await f.ProduceAsync("raw", lines);
        await using var host = new ProcessorHost(f.Store, f.Log);

        await host.RunUntilIdleAsync(CancellationToken.None);

        Assert.Equal(10, f.Read("valid").Count);
        Assert.Equal(7, f.Read("failed").Count);
        Assert.Equal(9, f.Read("unique").Count);
        Assert.Single(f.Read("duplicate"));
        Assert.Equal(10, host.Metrics("validator")["validation-success-event-count"]);
        Assert.Equal(7, host.Metrics("validator")["validation-failed-event-count"]);
        Assert.Equal(8, host.Metrics("dedup")["unique-event-count"]);
        Assert.Equal(1, host.Metrics("dedup")["duplicate-event-count"]);
        Assert.Equal(1, host.Metrics("dedup")["skipped-event-count"]);
        Assert.All(f.Read("valid"), e => Assert.Equal("true", Flag(e, "pp_validation_processed")));
        var failed = f.Read("failed");
        Assert.All(failed, e => Assert.Equal("false", Flag(e, "pp_validation_processed")));
        Assert.Equal(3, failed.Count(e => e.GetProperty("metadata").GetProperty("validation_error").GetString() == "Schema not found: eid looks incorrect, sending to failed"));
        Assert.Contains(failed, e => e.GetProperty("metadata").GetProperty("validation_error").GetString()!.StartsWith("/edata/extra/0/value", StringComparison.Ordinal));

        // The counts are queryable with KQL.
        var counts = f.Store.Execute("ProcessorMetrics | summarize sum(Value) by Processor, Metric | where Metric endswith 'event-count' | order by Processor asc, Metric asc");
        Assert.Contains(counts.Rows, r => (string)r[0]! == "dedup" && (string)r[1]! == "duplicate-event-count" && (long)r[2]! == 1);
    }
}
