using System.Diagnostics;
using System.Reflection;
using System.Text;
using Tributary.Cli.Output;
using Tributary.Demo;
using Tributary.Operations;
using Tributary.Query;
using Tributary.Store;
using Tributary.Store.Ingestion;
using Tributary.Streams;
using Tributary.Streams.Ingest;
using Tributary.Telemetry;

namespace Tributary.Cli.Commands;

/// <summary>
/// The demo's fourth part (seed 002): realistic Sunbird telemetry batches, stamped as <c>POST /v1/telemetry</c> stamps
/// them, go into the log's <c>ingest</c> topic; the processors of samples/pipelines/telemetry.yaml unbatch, validate,
/// deduplicate, route, denormalize and load them; the table then holds exactly the valid distinct events.
/// </summary>
internal static class TelemetryDemo
{
    private static readonly DateTime From = new(2023, 5, 22, 0, 0, 0, DateTimeKind.Utc);

    public static void Run(TributaryStore store, LocalOperations ops)
    {
        DemoCommand.Section("Part 4 — seed 002: telemetry through the log and its processors");
        var pipeline = WritePipeline(Path.Combine(store.DataDirectory, "demo-input", "telemetry"));
        var applied = ops.Apply(pipeline, File.ReadAllText(pipeline), dryRun: false);
        Console.WriteLine($"applied samples/pipelines/telemetry.yaml: {string.Join(", ", applied.Steps.GroupBy(s => s.Kind).Select(g => $"{g.Count()} {g.Key}s"))}");

        var watch = Stopwatch.StartNew();
        var generated = TelemetryGenerator.Generate(new TelemetryGenerateOptions(From, From.AddHours(22)) { Batches = 2_000, EventsPerBatch = 20, Seed = 11, DuplicateBatches = 0.01 });
        var tally = generated.Tally;
        Console.WriteLine($"$ tributary generate telemetry --batches 2000   ({watch.ElapsedMilliseconds:N0} ms)");
        Console.WriteLine($"  {tally.Batches:N0} batches: {tally.Events:N0} events ({tally.ValidEvents:N0} valid, {tally.InvalidEvents:N0} schema-invalid, {tally.DuplicateEvents:N0} repeated), {tally.DuplicateBatches} batch(es) sent twice");

        // The denormalizer's lookup tables, as an operator loads them: every device and user the apps use but one in 20
        // (so both hits and misses show), with made-up places.
        var input = Path.GetDirectoryName(pipeline)!;
        var lookups = new TelemetryLookups();
        foreach (var batch in generated.Batches)
        {
            lookups.Add(batch);
        }

        foreach (var lookup in lookups.Write(input, From))
        {
            var loaded = ops.Ingest(lookup.Table, lookup.Path, IngestFormat.Csv, ["demo:lookups"], CancellationToken.None);
            Console.WriteLine($"$ tributary ingest {lookup.Table} {Path.GetRelativePath(store.DataDirectory, lookup.Path)}   ({loaded.Rows:N0} of the {lookup.Ids:N0} {lookup.Table.ToLowerInvariant()} the apps use)");
        }

        watch.Restart();
        var records = generated.Batches.Select((text, i) =>
        {
            using var batch = TelemetryBatch.Parse(Encoding.UTF8.GetBytes(text));
            var mid = batch.Mid ?? $"demo-batch-{i}";
            return new LogRecord(Encoding.UTF8.GetBytes(mid), batch.Stamp(new TelemetryStamp(new DateTimeOffset(From.AddSeconds(i)).ToUnixTimeMilliseconds()), mid));
        }).ToList();
        ops.Log.AppendAsync("ingest", records).AsTask().GetAwaiter().GetResult();
        Console.WriteLine($"$ curl -X POST …/v1/telemetry   × {records.Count:N0}: durable in topic 'ingest' in {watch.ElapsedMilliseconds:N0} ms");

        watch.Restart();
        var run = ops.RunProcessors(TimeSpan.Zero, CancellationToken.None);
        var seconds = Math.Max(0.001, watch.Elapsed.TotalSeconds);
        Console.WriteLine($"$ tributary processors run   ({run.Processed:N0} records through {run.Processors.Count} processors in {seconds:N1} s, {tally.Events / seconds:N0} events/s)");
        // processors list, without the backlog columns (nothing waits once they ran).
        var table = StreamsPrinter.ProcessorsTable(run.Processors);
        int[] shown = [0, 1, 2, 4, 7];
        ResultWriter.Write(new QueryResult([.. shown.Select(i => table.Columns[i])], [.. table.Rows.Select(r => shown.Select(i => r[i]).ToArray())]), OutputFormat.Table, Console.Out);

        Console.WriteLine();
        Console.WriteLine("where every event went (records per topic):");
        foreach (var topic in new[] { "ingest", "raw", "events.log", "telemetry.failed", "extractor.duplicate", "valid", "telemetry.duplicate", "unique", "events.error", "denorm" })
        {
            Console.WriteLine($"  {topic,-22} {ops.Log.DescribeTopic(topic).Records,8:N0}");
        }

        // LOG events leave at the extractor and ERROR events at the router; every other valid event lands once.
        int Of(TelemetryEventCategory c, string eid) => tally.ByEid(c).GetValueOrDefault(eid);
        var expected = tally.ValidEvents - Of(TelemetryEventCategory.Valid, "LOG") - Of(TelemetryEventCategory.Valid, "ERROR");
        var rows = (long)store.ExecuteAs("demo", "TelemetryEvents | count").Rows[0][0]!;
        var distinct = (long)store.ExecuteAs("demo", "TelemetryEvents | summarize dcount(Mid)").Rows[0][0]!;
        Console.WriteLine($"TelemetryEvents holds {rows:N0} rows, {distinct:N0} distinct mids; the generator's tally says {expected:N0} valid distinct events reach it: " +
                          (rows == expected && distinct == expected ? "exactly once ✓" : "MISMATCH ✗"));

        foreach (var question in Questions)
        {
            DemoCommand.Ask(store, question, null);
        }
    }

    private static readonly DemoQuestion[] Questions =
    [
        new("002", "what the apps sent, by event type", "TelemetryEvents\n| summarize Events = count(), Users = dcount(ActorId), Devices = dcount(DeviceId) by Eid\n| order by Events desc"),
        new("002", "where the devices are (the denormalizer's lookup of Devices by context.did)",
            "TelemetryEvents\n| extend State = iff(isempty(tostring(DeviceData.State)), '(device not in Devices)', tostring(DeviceData.State))\n| summarize Events = count(), Devices = dcount(DeviceId), Users = dcount(ActorId) by State\n| order by Events desc"),
        new("002", "what the processors dropped, and why (Sunbird's metric names)",
            "ProcessorMetrics\n| where Metric has 'failed' or Metric has 'duplicate' or Metric has 'skipped'\n| summarize Count = sum(Value) by Processor, Metric\n| order by Processor asc, Metric asc"),
    ];

    /// <summary>Writes the pipeline and its schemas (shipped inside the CLI) where the demo applies them from.</summary>
    private static string WritePipeline(string directory)
    {
        var assembly = Assembly.GetExecutingAssembly();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n == "telemetry.yaml" || n.StartsWith("schemas/telemetry/", StringComparison.Ordinal)))
        {
            var path = Path.Combine(directory, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var file = File.Create(path);
            stream.CopyTo(file);
        }

        return Path.Combine(directory, "telemetry.yaml");
    }
}
