using System.Diagnostics;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Tributary.Operations;
using Tributary.Server;
using Tributary.Streams;
using Tributary.Streams.Ingest;
using Tributary.Streams.Processors;
using Tributary.Telemetry;

namespace Tributary.Bench;

/// <summary>
/// The Sunbird telemetry pipeline end to end — generated batches POSTed to <c>/v1/telemetry</c> by concurrent clients,
/// then extractor → validator → dedup → table sink in the server's background processors, until the table holds every
/// expected row — against <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/> of each batch and
/// of each event in it (the least work that unbatches the same bytes), one thread. Also the ingest half alone (HTTP →
/// durable in <c>ingest</c>), the processing half alone (batches pre-loaded, processors run offline), and the time of
/// each processor run on its own.
/// </summary>
internal static class StreamsBench
{
    private const double Target = 0.25;
    private const string Table = "TelemetryEvents";

    /// <summary>Passes over the batches in one timed run of the baseline (one takes only tens of ms: too short to time on a busy machine).</summary>
    private const int BaselineRepeats = 5;

    /// <summary>The processors of the benchmark pipeline, in the order events go through them.</summary>
    private static readonly string[] Stages = ["extractor", "validator", "dedup", "sink"];

    /// <summary>The generated period (fixed, so every run posts the same bytes).</summary>
    private static readonly DateTime From = new(2024, 5, 6, 0, 0, 0, DateTimeKind.Utc);

    public static List<Row> Run(Options options, string root)
    {
        var generated = TelemetryGenerator.Generate(new TelemetryGenerateOptions(From, From.AddDays(1)) { Batches = options.TelemetryBatches });
        var bodies = generated.Batches.Select(Encoding.UTF8.GetBytes).ToArray();
        var tally = generated.Tally;
        var events = tally.Events + tally.DuplicateBatchEvents;

        // LOG events go to events.log, so the table holds the valid, distinct events that are not LOG.
        var logEvents = tally.ByEid(TelemetryEventCategory.Valid).GetValueOrDefault("LOG");
        var expected = tally.ValidEvents - logEvents;
        var megabytes = bodies.Sum(b => (long)b.Length) / 1e6;
        var clients = options.Clients;
        var runs = Math.Max(3, options.Runs - 2);
        Console.WriteLine($"== streams: {bodies.Length:N0} Sunbird batches, {events:N0} events, {megabytes:0.0} MB " +
                          $"({tally.DuplicateBatches} re-sent batches, {tally.InvalidEvents:N0} invalid, {tally.DuplicateEvents:N0} duplicate, {logEvents:N0} valid LOG events); " +
                          $"table rows expected {expected:N0}; {clients} HTTP clients (load {Timing.Load()})");
        var pipeline = Pipeline(RepoPaths.Sample("pipelines", "schemas", "telemetry"));
        var results = new List<Row>();
        var run = 0;
        string NextDir() => Path.Combine(root, "streams-" + ++run);
        void Baseline()
        {
            for (var i = 0; i < BaselineRepeats; i++)
            {
                Expect("JsonDocument.Parse", ParseAll(bodies), events);
            }
        }

        // End to end: HTTP → ingest → processors in the background → table.
        var posting = new List<double>();
        var cpu = new Dictionary<string, List<double>> { ["e2e"] = [], ["ingest"] = [], ["processing"] = [] };
        Hosted? hosted = null;
        var (e2e, stj) = Timing.Pair(
            "end to end",
            () =>
            {
                var start = Stopwatch.GetTimestamp();
                var cpuStart = CpuSeconds();
                PostAll(hosted!, bodies, clients);
                posting.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
                WaitForRows(hosted!.Server.Operations, expected);
                cpu["e2e"].Add(CpuSeconds() - cpuStart);
            },
            "JsonDocument.Parse",
            Baseline,
            options.Warmups,
            runs,
            isOurs =>
            {
                Finish(hosted, tally);
                hosted = isOurs ? Hosted.Start(NextDir(), pipeline) : null;
            });
        Finish(hosted, tally);
        hosted = null;
        var postMedian = new Sample("posting", posting.Skip(options.Warmups).ToList()).Median;
        var note = $"; all POSTs answered after {Timing.Ms(postMedian)}, the table complete {Timing.Ms(e2e.Median - postMedian)} later; {CpuNote(cpu["e2e"], options.Warmups, e2e, events)}";
        results.Add(Report($"end to end: {events:N0} events, {clients} clients, HTTP → {Table}", events, e2e, stj, Target, note));

        // Ingest only: HTTP → durable in the log (the endpoint answers once the append is durable); no processors.
        var (ingest, stj2) = Timing.Pair(
            "ingest only",
            () =>
            {
                var cpuStart = CpuSeconds();
                PostAll(hosted!, bodies, clients);
                Expect("the ingest topic", hosted!.Server.Operations.Log.DescribeTopic("ingest").Records, bodies.Length);
                cpu["ingest"].Add(CpuSeconds() - cpuStart);
            },
            "JsonDocument.Parse",
            Baseline,
            options.Warmups,
            runs,
            isOurs =>
            {
                hosted?.Dispose();
                hosted = isOurs ? Hosted.Start(NextDir(), TopicsOnly(pipeline)) : null;
            });
        hosted?.Dispose();
        hosted = null;
        results.Add(Report($"ingest only: {events:N0} events, {clients} clients, HTTP → durable in ingest", events, ingest, stj2, null, "; " + CpuNote(cpu["ingest"], options.Warmups, ingest, events)));

        // Processing only: the batches pre-loaded into ingest as the endpoint writes them, then every processor run offline until idle.
        LocalOperations? offline = null;
        var (processing, stj3) = Timing.Pair(
            "processing only",
            () =>
            {
                var cpuStart = CpuSeconds();
                offline!.RunProcessors(TimeSpan.Zero, CancellationToken.None);
                cpu["processing"].Add(CpuSeconds() - cpuStart);
                CheckOutputs(offline, tally);
            },
            "JsonDocument.Parse",
            Baseline,
            options.Warmups,
            runs,
            isOurs =>
            {
                Close(offline);
                offline = isOurs ? Preloaded(NextDir(), pipeline, bodies) : null;
            });
        Close(offline);
        offline = null;
        results.Add(Report($"processing only: {events:N0} events pre-loaded, offline RunProcessors", events, processing, stj3, null, "; " + CpuNote(cpu["processing"], options.Warmups, processing, events)));

        var halves = ingest.Median + processing.Median;
        Console.WriteLine($"   end to end {Timing.Ms(e2e.Median)} against ingest only + processing only {Timing.Ms(halves)} ({Timing.F(e2e.Median / halves)}×): on {Environment.ProcessorCount} cores the two halves hardly overlap");
        // What the target leaves: the whole run, HTTP clients included, must fit in the cores' time at 0.25 of the baseline's rate.
        var budget = Environment.ProcessorCount * (stj.Median / BaselineRepeats / events) / Target;
        Console.WriteLine($"   CPU budget at the target: {Environment.ProcessorCount} cores × (JsonDocument.Parse's {Timing.F(stj.Median / BaselineRepeats / events * 1e6, "0.0")} µs an event ÷ {Timing.F(Target)}) = " +
                          $"{Timing.F(budget * 1e6, "0.0")} µs of CPU an event; ingest only takes {Timing.F(Median(cpu["ingest"], options.Warmups) / events * 1e6, "0.0")} µs, " +
                          $"processing only {Timing.F(Median(cpu["processing"], options.Warmups) / events * 1e6, "0.0")} µs, end to end {Timing.F(Median(cpu["e2e"], options.Warmups) / events * 1e6, "0.0")} µs");
        results.AddRange(StageBreakdown(NextDir, pipeline, bodies, events, tally, runs, events * BaselineRepeats / stj3.Median));
        return results;
    }

    /// <summary>
    /// Each processor on its own: all paused, then resumed one at a time in pipeline order, each run until idle. Then the
    /// same processor again over the same input read into memory beforehand, with no log: its own work (parse, check,
    /// rewrite; the sink's store append), and its own state made durable (Flush) once a chunk, as the runner does.
    /// What is left of the stage's time is the runner's log work: reading chunks, durable appends, offset commits.
    /// </summary>
    /// <param name="baselineRate">JsonDocument.Parse's events a second in this run, for the floor's ratio.</param>
    private static List<Row> StageBreakdown(Func<string> nextDir, string pipeline, byte[][] bodies, int events, TelemetryTally tally, int runs, double baselineRate)
    {
        var times = Stages.ToDictionary(s => s, _ => new List<double>());
        var memory = Stages.ToDictionary(s => s, _ => new List<InMemoryTimes>());
        var (offsetCommits, emptyAppends) = (new List<double>(), new List<double>());
        var inputs = new Dictionary<string, long>();
        IReadOnlyDictionary<string, long>[] counts = [];
        for (var i = 0; i < runs; i++)
        {
            var ops = Preloaded(nextDir(), pipeline, bodies);
            foreach (var stage in Stages)
            {
                ops.SetProcessorPaused(stage, paused: true);
            }

            foreach (var stage in Stages)
            {
                // Only this stage runs: RunProcessors would also open (and poll) every earlier one.
                inputs[stage] = ops.ListProcessors().First(p => p.Name == stage).Lag;
                ops.SetProcessorPaused(stage, paused: false);
                times[stage].Add(Timing.Time(() => ops.RunProcessors(TimeSpan.Zero, CancellationToken.None)));
                ops.SetProcessorPaused(stage, paused: true);
            }

            CheckOutputs(ops, tally);
            counts = [.. Stages.Select(s => ops.Processors.Metrics(s).Totals)];
            foreach (var stage in Stages)
            {
                memory[stage].Add(InMemory(ops, stage));
            }

            var (commit, append) = FixedCosts(ops);
            offsetCommits.Add(commit);
            emptyAppends.Add(append);

            Close(ops);
        }

        double Median(List<double> seconds) => new Sample("", seconds).Median;
        var total = Stages.Sum(s => Median(times[s]));
        Console.WriteLine($"   stages, each run alone over the previous one's output (median of {runs}; total {Timing.Ms(total)}, {events / total / 1e3:0.0}k events/s) (load {Timing.Load()}):");
        var rows = new List<Row>();
        for (var i = 0; i < Stages.Length; i++)
        {
            var stage = Stages[i];
            var t = Median(times[stage]);
            var m = memory[stage];
            var (setup, w, f) = (Median([.. m.Select(x => x.Setup)]), Median([.. m.Select(x => x.Work)]), Median([.. m.Select(x => x.Flush)]));
            var (json, store) = (Median([.. m.Select(x => x.SinkJson)]), Median([.. m.Select(x => x.SinkStore)]));
            var chunks = m[0].Chunks;
            var rest = Math.Max(0, t - setup - w - f);
            var input = inputs[stage];
            var what = i == 0 ? $"{input:N0} batches ({events:N0} events)" : $"{input:N0} events";
            var n = i == 0 ? events : input;
            var line = $"{Timing.Ms(t)}, {100 * t / total:0}% of the processing, {n / t / 1e3:0.0}k events/s in: " +
                       $"opening {Timing.Ms(setup)}, its own work {Timing.Ms(w)} ({n / w / 1e3:0.0}k events/s" +
                       (stage == "sink" ? $": reading the events into rows {Timing.Ms(json)}, the store's transactions {Timing.Ms(store)}, {Timing.F(store * 1e6 / n, "0.0")} µs a row" : "") + ")" +
                       (f > 0.0005 ? $", its Flush {Timing.Ms(f)}" : "") +
                       $", the runner's log work {Timing.Ms(rest)} ({chunks} chunks, {Timing.Ms(rest / chunks)} a chunk)";
            var metrics = string.Join(", ", counts[i].Where(c => c.Key.EndsWith("-count", StringComparison.Ordinal)).Select(c => $"{c.Key} {c.Value:N0}"));
            Console.WriteLine($"     {stage,-9} {what}: {line}; {metrics}");
            rows.Add(new Row("streams stage", $"{stage}: {what}", line, "–", "–", "–", null, Timing.Load()));
        }

        // The floor: what the processors compute, with no log, no durable state and no store (the sink's reading of events into rows only).
        var floor = Stages.Sum(s => s == "sink" ? Median([.. memory[s].Select(x => x.SinkJson)]) : Median([.. memory[s].Select(x => x.Work)]));
        var floorLine = $"{Timing.Ms(floor)}, {events / floor / 1e3:0.0}k events/s, {Timing.F(events / floor / baselineRate)} of JsonDocument.Parse's rate";
        Console.WriteLine($"     the processors' own work alone (no log, no Flush, no store; the sink reading events into rows), one after another: {floorLine}");
        rows.Add(new Row("streams stage", "processors' own work alone (no log, Flush or store)", floorLine, "–", "–", "–", null, Timing.Load()));

        var fixedCosts = $"an offset commit (the group's file written, flushed to disk, renamed) {Timing.Ms(Median(offsetCommits))}; " +
                         $"the sink's store transaction with no rows (extent and offsets rows, commit) {Timing.Ms(Median(emptyAppends))}";
        Console.WriteLine($"     once a chunk: {fixedCosts}");
        rows.Add(new Row("streams stage", "fixed costs once a chunk", fixedCosts, "–", "–", "–", null, Timing.Load()));
        return rows;
    }

    /// <summary>
    /// A processor of the applied pipeline over its input read into memory in the runner's chunks: the seconds of its
    /// own work (Prepare + Process, or the sink's WriteAsync), and of Flush after each chunk. Fresh state (dedup stores);
    /// the sink writes under another name, so its rows come on top of the table's.
    /// </summary>
    private static InMemoryTimes InMemory(LocalOperations ops, string stage)
    {
        var dir = ops.Store.DataDirectory;
        var definition = ProcessorCatalog.Load(dir).Get(stage).Definition;
        var state = Path.Combine(dir, "bench-state", stage);
        Directory.CreateDirectory(state);
        var schemas = Path.Combine(ProcessorCatalog.Root(dir), stage, EventValidator.SchemaDirectory);
        if (Directory.Exists(schemas))
        {
            Directory.CreateDirectory(Path.Combine(state, EventValidator.SchemaDirectory));
            foreach (var file in Directory.GetFiles(schemas))
            {
                File.Copy(file, Path.Combine(state, EventValidator.SchemaDirectory, Path.GetFileName(file)));
            }
        }

        var kind = ProcessorKinds.Find(definition.Kind)!;
        var services = new ProcessorServices(definition with { Name = "bench-" + stage }, new ProcessorMetrics(), ops.Store, state, TimeProvider.System);
        var chunks = new List<IReadOnlyList<StoredRecord>>();
        foreach (var partition in ops.Log.DescribeTopic(definition.Input).Partitions)
        {
            for (var offset = partition.EarliestOffset; offset < partition.NextOffset;)
            {
                var chunk = ops.Log.Read(definition.Input, partition.Partition, offset, ProcessorRunner.ChunkRecords);
                chunks.Add(chunk);
                offset = chunk[^1].Offset + 1;
            }
        }

        long workTicks = 0, flushTicks = 0;
        var opening = Stopwatch.GetTimestamp();
        if (kind.CreateProcessor is { } create)
        {
            using var processor = create(services);
            var setupTicks = Stopwatch.GetTimestamp() - opening;
            var outputs = new List<ProcessorOutput>();
            foreach (var chunk in chunks)
            {
                var start = Stopwatch.GetTimestamp();
                outputs.Clear();
                processor.Prepare(chunk);
                foreach (var record in chunk)
                {
                    processor.Process(record, outputs);
                }

                var flushStart = Stopwatch.GetTimestamp();
                processor.Flush();
                workTicks += flushStart - start;
                flushTicks += Stopwatch.GetTimestamp() - flushStart;
            }

            return new InMemoryTimes(chunks.Count, Seconds(setupTicks), Seconds(workTicks), Seconds(flushTicks), 0, 0);
        }
        else
        {
            using var sink = kind.CreateSink!(services);
            var setupTicks = Stopwatch.GetTimestamp() - opening;
            foreach (var chunk in chunks)
            {
                var start = Stopwatch.GetTimestamp();
                sink.WriteAsync([chunk], CancellationToken.None).GetAwaiter().GetResult();
                workTicks += Stopwatch.GetTimestamp() - start;
            }

            // The sink times its store transactions itself; the rest of its work is reading the events into rows.
            var store = sink is TableSink table ? table.StoreTime.TotalSeconds : 0;
            return new InMemoryTimes(chunks.Count, Seconds(setupTicks), Seconds(workTicks), 0, Seconds(workTicks) - store, store);
        }

        static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;
    }

    /// <summary>The median seconds of an offset commit, and of the sink's store transaction with no rows (20 of each).</summary>
    private static (double OffsetCommit, double EmptyAppend) FixedCosts(LocalOperations ops)
    {
        var commits = new List<double>();
        var appends = new List<double>();
        for (var i = 1; i <= 20; i++)
        {
            commits.Add(Timing.Time(() => ops.Log.CommitOffsets("bench-probe", "ingest", new Dictionary<int, long> { [0] = i })));
            appends.Add(Timing.Time(() => ops.Store.AppendRows(Table, [], ["sink:bench-probe", $"offsets:ingest/0/{i}-{i}"], ledger =>
            {
                ledger.Execute("DELETE FROM tributary_meta.sink_offsets WHERE sink = ? AND topic = ? AND part = ?", "bench-probe", "ingest", 0);
                ledger.Execute("INSERT INTO tributary_meta.sink_offsets VALUES (?, ?, ?, ?)", "bench-probe", "ingest", 0, (long)i);
            })));
        }

        return (new Sample("offset commit", commits).Median, new Sample("empty append", appends).Median);
    }

    /// <summary>
    /// Seconds of one processor's in-memory pass (<see cref="InMemory"/>); for the sink only, <paramref name="SinkStore"/>:
    /// its store transactions (as it times them), and <paramref name="SinkJson"/>: the rest, reading the events into rows.
    /// </summary>
    private sealed record InMemoryTimes(int Chunks, double Setup, double Work, double Flush, double SinkJson, double SinkStore);

    /// <summary>
    /// A copy of samples/pipelines/telemetry.yaml's extractor → validator → dedup → table sink: no router, denormalizer
    /// or backups, so the table has no DeviceData/UserData columns and the sink reads <c>unique</c>.
    /// </summary>
    private static string Pipeline(string schemas) => $$"""
        tables:
          {{Table}}: {
            Timestamp: datetime, Eid: string, Mid: string, ActorId: string, ActorType: string, Channel: string, Producer: string,
            DeviceId: string, SessionId: string, ObjectId: string, ObjectType: string, SyncTs: datetime,
            Context: dynamic, Object: dynamic, Edata: dynamic, Tags: dynamic, Flags: dynamic
          }

        topics:
          ingest: { partitions: 4, retention: 14d }
          raw: { partitions: 4, retention: 14d }
          events.log: { partitions: 2, retention: 7d }
          extractor.failed: { retention: 14d }
          extractor.duplicate: { retention: 14d }
          telemetry.failed: { partitions: 2, retention: 14d }
          valid: { partitions: 4, retention: 3d }
          telemetry.duplicate: { retention: 14d }
          unique: { partitions: 4, retention: 3d }

        processors:
          extractor:
            kind: extractor
            input: ingest
            maxEventBytes: 1MB
            ttl: 1d
            outputs: { events: raw, log: events.log, failed: telemetry.failed, batchFailed: extractor.failed, duplicate: extractor.duplicate }

          validator:
            kind: validator
            input: raw
            schemas: {{schemas}}
            outputs: { valid: valid, failed: telemetry.failed }

          dedup:
            kind: dedup
            input: valid
            key: mid
            ttl: 1d
            outputs: { unique: unique, duplicate: telemetry.duplicate }

          sink:
            kind: table
            input: unique
            table: {{Table}}
            columns:
              Timestamp: ets
              Eid: eid
              Mid: mid
              ActorId: actor.id
              ActorType: actor.type
              Channel: context.channel
              Producer: context.pdata.id
              DeviceId: context.did
              SessionId: context.sid
              ObjectId: object.id
              ObjectType: object.type
              SyncTs: syncts
              Context: context
              Object: object
              Edata: edata
              Tags: tags
              Flags: flags
        """;

    /// <summary>The pipeline's topics alone (no table, no processors).</summary>
    private static string TopicsOnly(string pipeline)
    {
        var start = pipeline.IndexOf("topics:", StringComparison.Ordinal);
        return pipeline[start..pipeline.IndexOf("processors:", StringComparison.Ordinal)];
    }

    /// <summary>A fresh data directory with the pipeline applied and every batch appended to ingest as the endpoint appends it.</summary>
    private static LocalOperations Preloaded(string dir, string pipeline, byte[][] bodies)
    {
        var ops = LocalOperations.Open(dir);
        try
        {
            ops.Apply(Path.Combine(dir, "bench.yaml"), pipeline, dryRun: false);
            var records = new List<LogRecord>(bodies.Length);
            foreach (var body in bodies)
            {
                using var batch = TelemetryBatch.Parse(body);
                batch.Validate(new TelemetryLimits());
                var mid = batch.Mid ?? throw new InvalidOperationException("a generated batch has no mid");
                records.Add(new LogRecord(Encoding.UTF8.GetBytes(mid), batch.Stamp(new TelemetryStamp(ops.Time.GetUtcNow().ToUnixTimeMilliseconds()), mid)));
            }

            foreach (var chunk in records.Chunk(500))
            {
                ops.Log.AppendAsync("ingest", chunk).AsTask().GetAwaiter().GetResult();
            }

            return ops;
        }
        catch
        {
            ops.Dispose();
            throw;
        }
    }

    /// <summary>Closes offline operations and deletes their data directory.</summary>
    private static void Close(LocalOperations? ops)
    {
        if (ops is null)
        {
            return;
        }

        var dir = ops.Store.DataDirectory;
        ops.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>POSTs every body to /v1/telemetry from <paramref name="clients"/> concurrent senders; any answer but 200 fails the run.</summary>
    private static void PostAll(Hosted hosted, byte[][] bodies, int clients)
    {
        var next = -1;
        async Task Sender()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Length)
            {
                using var content = new ByteArrayContent(bodies[i]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await hosted.Http.PostAsync(new Uri("v1/telemetry", UriKind.Relative), content).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    throw new InvalidOperationException($"POST /v1/telemetry of batch {i} answered {(int)response.StatusCode}: {text}");
                }
            }
        }

        Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(Sender))).GetAwaiter().GetResult();
    }

    /// <summary>Polls the table's row count until it reaches <paramref name="expected"/>; fails when it overshoots or stops growing for a minute.</summary>
    private static void WaitForRows(LocalOperations ops, long expected)
    {
        long last = -1;
        var lastChange = Stopwatch.GetTimestamp();
        while (true)
        {
            var rows = Rows(ops);
            if (rows == expected)
            {
                return;
            }

            if (rows > expected)
            {
                throw new InvalidOperationException($"the {Table} table holds {rows:N0} rows, more than the {expected:N0} expected");
            }

            if (rows != last)
            {
                (last, lastChange) = (rows, Stopwatch.GetTimestamp());
            }
            else if (Stopwatch.GetElapsedTime(lastChange) > TimeSpan.FromMinutes(1))
            {
                var processors = string.Join("; ", ops.ListProcessors().Select(p => $"{p.Name} {p.State} lag {p.Lag} {p.Error}"));
                throw new InvalidOperationException($"the {Table} table stopped at {rows:N0} rows of the {expected:N0} expected ({processors})");
            }

            Thread.Sleep(25);
        }
    }

    /// <summary>Once the processors are idle: checks every count against the tally, then stops the server and deletes its directory.</summary>
    private static void Finish(Hosted? hosted, TelemetryTally tally)
    {
        if (hosted is null)
        {
            return;
        }

        var ops = hosted.Server.Operations;
        var lagging = ops.RunProcessors(TimeSpan.FromMinutes(1), CancellationToken.None).Processors.Where(p => p.Lag > 0).ToList();
        if (lagging.Count > 0)
        {
            throw new InvalidOperationException($"processors still lag after a minute: {string.Join("; ", lagging.Select(p => $"{p.Name} {p.State} lag {p.Lag} {p.Error}"))}");
        }

        CheckOutputs(ops, tally);
        hosted.Dispose();
    }

    /// <summary>
    /// The table's rows and the records of the side topics against the generator's tally: LOG events (valid, invalid or
    /// copies) go to events.log and never reach the validator or dedup.
    /// </summary>
    private static void CheckOutputs(LocalOperations ops, TelemetryTally tally)
    {
        static int Logs(TelemetryTally tally, TelemetryEventCategory category) => tally.ByEid(category).GetValueOrDefault("LOG");
        Expect($"rows of {Table}", Rows(ops), tally.ValidEvents - Logs(tally, TelemetryEventCategory.Valid));
        Expect("records of telemetry.failed (schema-invalid)", ops.Log.DescribeTopic("telemetry.failed").Records, tally.InvalidEvents - Logs(tally, TelemetryEventCategory.Invalid));
        Expect("records of telemetry.duplicate", ops.Log.DescribeTopic("telemetry.duplicate").Records, tally.DuplicateEvents - Logs(tally, TelemetryEventCategory.Duplicate));
        Expect("records of extractor.duplicate (re-sent batches)", ops.Log.DescribeTopic("extractor.duplicate").Records, tally.DuplicateBatches);
    }

    private static long Rows(LocalOperations ops) => Convert.ToInt64(ops.Store.Execute($"{Table} | count").Rows[0][0], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The baseline: each batch parsed, then each of its events parsed from a copy of its bytes; returns the events parsed.</summary>
    private static long ParseAll(byte[][] bodies)
    {
        long events = 0;
        foreach (var body in bodies)
        {
            using var batch = JsonDocument.Parse(body);
            foreach (var e in batch.RootElement.GetProperty("events").EnumerateArray())
            {
                using var doc = JsonDocument.Parse(JsonMarshal.GetRawUtf8Value(e).ToArray());
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    events++;
                }
            }
        }

        return events;
    }

    /// <summary>The CPU time the whole process has used (every thread: the server, the processors, DuckDB's threads and the bench's HTTP clients).</summary>
    private static double CpuSeconds() => Environment.CpuUsage.TotalTime.TotalSeconds;

    private static double Median(List<double> seconds, int warmups) => new Sample("", seconds.Skip(warmups).ToList()).Median;

    /// <summary>"CPU 1.6 s (1.8 cores busy), 48.1 µs an event": the median CPU time of the timed runs against their median wall time.</summary>
    private static string CpuNote(List<double> cpuSeconds, int warmups, Sample wall, int events)
    {
        var cpu = Median(cpuSeconds, warmups);
        return $"CPU {Timing.Ms(cpu)} ({Timing.F(cpu / wall.Median, "0.0")} cores busy), {Timing.F(cpu / events * 1e6, "0.0")} µs an event";
    }

    private static void Expect(string who, long actual, long expected)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"{who}: {actual:N0}, expected {expected:N0}");
        }
    }

    private static Row Report(string name, int events, Sample ours, Sample baseline, double? target, string note)
    {
        var ratio = baseline.Median / BaselineRepeats / ours.Median;
        var ratioMin = baseline.Min / BaselineRepeats / ours.Min;
        bool? met = target is { } t ? ratio >= t : null;
        string Rate(Sample s, int n) => $"{n / s.Median / 1e3:0.0}k events/s ({Timing.Ms(s.Median)}, {Timing.Ms(s.Min)})";
        var verdict = met switch { true => "ok", false => $"MISSED (target >= {Timing.F(target!.Value)})", null => "(no target)" };
        Console.WriteLine($"   {name}: {Rate(ours, events)}{note}; JsonDocument.Parse {Rate(baseline, events * BaselineRepeats)} ({BaselineRepeats} passes a run); ratio {Timing.Ratio(ratio, ratioMin)} {verdict} (load {Timing.Load()})");
        return new Row("streams", name, Rate(ours, events) + note, $"JsonDocument.Parse of batch + each event, 1 thread, {BaselineRepeats} passes: {Rate(baseline, events * BaselineRepeats)}", Timing.Ratio(ratio, ratioMin),
            target is { } x ? $"ours/STJ ≥ {Timing.F(x)}" : "–", met, Timing.Load());
    }

    /// <summary>A server on loopback over its own data directory, with a pipeline applied, and a client of it.</summary>
    private sealed class Hosted : IDisposable
    {
        private Hosted(TributaryServer server, HttpClient http)
        {
            Server = server;
            Http = http;
        }

        public TributaryServer Server { get; }

        public HttpClient Http { get; }

        public static Hosted Start(string dir, string pipeline)
        {
            var server = TributaryServer.Create(new ServerOptions(dir, "http://127.0.0.1:0"));
            try
            {
                server.StartAsync().GetAwaiter().GetResult();
                server.Operations.Apply(Path.Combine(dir, "bench.yaml"), pipeline, dryRun: false);
            }
            catch
            {
                server.DisposeAsync().AsTask().GetAwaiter().GetResult();
                throw;
            }

            return new Hosted(server, new HttpClient { BaseAddress = new Uri(server.Url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(100) });
        }

        public void Dispose()
        {
            Http.Dispose();
            var dir = Server.Operations.Store.DataDirectory;
            Server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Directory.Delete(dir, recursive: true);
        }
    }
}
