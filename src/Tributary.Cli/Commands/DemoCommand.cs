using System.CommandLine;
using System.Diagnostics;
using System.Reflection;
using Tributary.Charts;
using Tributary.Cli.Output;
using Tributary.Demo;
using Tributary.Fleet;
using Tributary.Jobs;
using Tributary.Operations;
using Tributary.Pipelines;
using Tributary.Query;
using Tributary.Store;

namespace Tributary.Cli.Commands;

/// <summary>
/// <c>tributary demo</c>: the product working end to end on the embedded engines, in a minute.
/// Part 1 (seed 001): a VM/host fleet's snapshots loaded and asked the object-modelling questions.
/// Part 2 (seed 000): the real change pipeline — applied, fed a day of source rows with a spike, run by
/// the job scheduler; the spike fails a job, the on-call questions of seed 000 are asked of the real job
/// history, the job is fixed and its failed windows re-run, and every source row is checked to have
/// arrived exactly once. Part 3 (seed 003): a run under a transaction id.
/// </summary>
internal static class DemoCommand
{
    private const int RowsShown = 12;

    /// <summary>Seed 000's "current timestamp" for the pipeline part: the jobs run as if the clock read this.</summary>
    public static readonly DateTime PipelineNow = new(2023, 5, 22, 22, 17, 0, DateTimeKind.Utc);

    private static readonly DateTime DayStart = new(2023, 5, 22, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime SpikeAt = new(2023, 5, 22, 14, 0, 0, DateTimeKind.Utc);
    private static readonly HashSet<string> SnapshotTables = new(StringComparer.Ordinal) { "VMSnapshot", "HostServiceSnapshot", "WindowsEvent" };

    public static Command Create(Option<string> data)
    {
        var vms = new Option<int>("--vms") { Description = "How many VMs the fleet has", DefaultValueFactory = _ => 2000 };
        var hosts = new Option<int>("--hosts") { Description = "How many hosts the fleet has", DefaultValueFactory = _ => 200 };
        var nodes = new Option<int>("--nodes") { Description = "How many nodes feed the change pipeline", DefaultValueFactory = _ => 200 };
        var chart = new Option<string?>("--chart") { Description = "Where to write the latency chart (.png or .svg)" };
        var command = new Command("demo", "Run the product end to end: snapshots and their questions, the seed-000 job pipeline with a failure and its repair, then seed 002's telemetry through the log and its processors") { vms, hosts, nodes, chart };
        command.SetAction(parse => CliRunner.Run(() => Run(parse.GetValue(data)!, parse.GetValue(vms), parse.GetValue(hosts), parse.GetValue(nodes), parse.GetValue(chart))));
        return command;
    }

    /// <summary>The fleet pipeline shipped inside the CLI (the same text as samples/pipelines/fleet-changes.yaml).</summary>
    public static string FleetPipelineYaml()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("fleet-changes.yaml")
                           ?? throw new InvalidOperationException("the fleet pipeline is missing from the CLI assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static int Run(string dataDirectory, int vms, int hosts, int nodes, string? chartPath)
    {
        if (vms < 1 || hosts < 1 || vms > 1_000_000 || hosts > 100_000 || nodes < 1 || nodes > 10_000)
        {
            throw new StoreException("--vms must be 1 to 1,000,000, --hosts 1 to 100,000 and --nodes 1 to 10,000");
        }

        var clock = new SimulatedClock(TimeProvider.System);
        using var store = TributaryStore.Open(dataDirectory, clock);
        var total = Stopwatch.StartNew();
        Console.WriteLine($"Tributary demo — data directory {store.DataDirectory}");
        Snapshots(store, clock, vms, hosts);
        using (var ops = new LocalOperations(store, clock, user: "demo"))
        {
            Pipeline(store, ops, nodes, chartPath);
            TelemetryDemo.Run(store, ops);
        }

        Console.WriteLine();
        Console.WriteLine($"demo finished in {total.Elapsed.TotalSeconds:N1} s. Try:");
        Console.WriteLine($"  ./tributary jobs list --as-of {TimeWindow.Format(PipelineNow)}");
        Console.WriteLine("  ./tributary jobs show OMRollOuts_EntityModel --last 36 --as-of 2023-05-22T17:00Z --chart window-history.png");
        Console.WriteLine("  ./tributary query \"ChangeEventV2MaterializedView | summarize sum(ChangeCount) by Source\"");
        Console.WriteLine("  ./tributary processors list     # the telemetry pipeline: state, lag, backlog, counts");
        Console.WriteLine("  ./tributary serve      # then the same commands go through the server");
        return 0;
    }

    private static void Snapshots(TributaryStore store, SimulatedClock clock, int vms, int hosts)
    {
        Section("Part 1 — seed 001: objects as snapshot streams");
        var input = Path.Combine(store.DataDirectory, "demo-input");
        var watch = Stopwatch.StartNew();
        var batches = FleetGenerator.Generate(new DemoOptions(clock.GetUtcNow().UtcDateTime, vms, hosts), input);
        Console.WriteLine($"generated a fleet of {vms:N0} VMs on {hosts:N0} hosts in {watch.ElapsedMilliseconds:N0} ms ({input})");
        watch.Restart();
        var loaded = DemoScript.Load(store, batches, clock, null, SnapshotTables);
        foreach (var table in loaded.GroupBy(r => r.Table))
        {
            Console.WriteLine($"  {table.Key,-34} {table.Sum(r => r.Rows),10:N0} rows in {table.Count(),3} extent(s)");
        }

        Console.WriteLine($"loaded {loaded.Sum(r => r.Rows):N0} rows in {watch.ElapsedMilliseconds:N0} ms");
        foreach (var question in DemoScript.Questions.Where(q => q.Seed.StartsWith("001", StringComparison.Ordinal)))
        {
            Ask(store, question, null);
        }
    }

    private static void Pipeline(TributaryStore store, LocalOperations ops, int nodes, string? chartPath)
    {
        Section("Part 2 — seed 000: the change pipeline, run by jobs");
        Reset(store, ops);
        var applied = ops.Apply("fleet-changes.yaml", FleetPipelineYaml(), dryRun: false);
        Console.WriteLine($"applied samples/pipelines/fleet-changes.yaml: {string.Join(", ", applied.Steps.GroupBy(s => s.Kind).Select(g => $"{g.Count()} {g.Key}s"))}");

        var generated = FleetChangeGenerator.Generate(new FleetGenerateOptions(DayStart, PipelineNow, nodes, 7, [new FleetSpike(FleetSources.OMRollout, SpikeAt)]));
        var dir = Path.Combine(store.DataDirectory, "demo-input");
        Directory.CreateDirectory(dir);
        foreach (var rows in generated)
        {
            var path = Path.Combine(dir, rows.Table.Name + ".jsonl");
            FleetChangeGenerator.WriteJsonLines(rows, path);
            ops.Ingest(rows.Table.Name, path, Store.Ingestion.IngestFormat.JsonLines, ["generator:fleet"], CancellationToken.None);
        }

        // Rows after the end of the last window due by then wait for the next windows.
        var processedEnd = new DateTime(2023, 5, 22, 22, 10, 0, DateTimeKind.Utc);
        var expected = FleetChangeGenerator.CountBySystem(generated, DayStart, processedEnd);
        Console.WriteLine($"generated {generated.Sum(r => r.Rows.Count):N0} source rows of the seven systems for {nodes} nodes, 2023-05-22 00:00 to 22:17, " +
                          $"with OMRollout's volume x20 from {SpikeAt:HH:mm} for an hour (an incident of seed 000)");

        var watch = Stopwatch.StartNew();
        var report = ops.RunJobs(PipelineNow, null, CancellationToken.None);
        Console.WriteLine();
        Console.WriteLine($"$ tributary jobs run --until {TimeWindow.Format(PipelineNow)}");
        Console.WriteLine($"{report.Succeeded:N0} windows succeeded, {report.FailedAttempts} failed attempts, {report.RowsWritten:N0} rows written in {watch.Elapsed.TotalSeconds:N1} s; {report.FailedWindows} window(s) failed");
        Console.WriteLine();
        Console.WriteLine($"$ tributary jobs list --as-of {TimeWindow.Format(PipelineNow)}   (the failing jobs)");
        var failing = ops.ListJobs(PipelineNow).Where(j => j.Failed > 0).ToList();
        ResultWriter.Write(JobsPrinter.ListTable(failing), OutputFormat.Table, Console.Out);
        Console.WriteLine();
        Console.WriteLine("$ tributary jobs show OMRollOuts_EntityModel --last 30 --as-of 2023-05-22T17:00Z");
        var history = ops.ShowJob("OMRollOuts_EntityModel", 30, new DateTime(2023, 5, 22, 17, 0, 0, DateTimeKind.Utc));
        Console.Write(JobsPrinter.Grid(history, color: !Console.IsOutputRedirected));
        if (history.FailedAttempts.Count > 0)
        {
            var last = history.FailedAttempts[^1];
            Console.WriteLine($"last error ({last.ErrorKind}, attempt {last.Attempt}): {last.Error}");
        }

        var windowChart = Path.Combine(Path.GetDirectoryName(store.DataDirectory.TrimEnd(Path.DirectorySeparatorChar)) ?? ".", "tributary-window-history.png");
        WindowHistoryChart.Render(history, windowChart);
        Console.WriteLine($"window history chart written to {windowChart}");

        Section("Seed 000's troubleshooting questions, asked of the real job history");
        foreach (var question in PipelineQuestions)
        {
            Ask(store, question, chartPath);
        }

        Section("The fix: raise the job's row budget and re-run its failed windows (seed 000: \"rerun the failing instances to backfill\")");
        Print("jobs set OMRollOuts_EntityModel --row-limit 100000", ops.SetJob("OMRollOuts_EntityModel", new JobSettings(RowLimit: 100_000)));
        Print("jobs rerun OMRollOuts_EntityModel --from 2023-05-22T14:00Z --to 2023-05-22T15:00Z --failed-only",
            ops.Rerun("OMRollOuts_EntityModel", SpikeAt, SpikeAt.AddHours(1), failedOnly: true), windows: false);
        report = ops.RunJobs(PipelineNow, null, CancellationToken.None);
        Console.WriteLine($"$ tributary jobs run --until {TimeWindow.Format(PipelineNow)}");
        Console.WriteLine($"{report.Succeeded} windows succeeded (the downstream MapOMRollouts_ChangeEventV2 windows waiting on them ran too); {report.FailedWindows} window(s) failed");

        var actual = store.Execute("ChangeEventV2 | summarize count() by Source").Rows.ToDictionary(r => (string)r[0]!, r => (long)r[1]!);
        var view = store.Execute("ChangeEventV2MaterializedView | summarize sum(ChangeCount) by Source").Rows.ToDictionary(r => (string)r[0]!, r => System.Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture));
        Console.WriteLine();
        Console.WriteLine("exactly once? source rows in the windows run so far (to 22:10; 22:17 minus the 5-minute delay, floored to a window) vs ChangeEventV2 rows and its materialized view, per system:");
        foreach (var (system, count) in expected)
        {
            var got = actual.GetValueOrDefault(system);
            Console.WriteLine($"  {system,-24} {count,8:N0} → {got,8:N0}  view {view.GetValueOrDefault(system),8:N0}  {(got == count && view.GetValueOrDefault(system) == count ? "✓" : "✗ MISMATCH")}");
        }

        Section("Part 3 — seed 003: a run under one transaction id");
        var jobs = new[] { "GetOAASRollout_EntityModel_Staging", "MapOAASRollout_EntityModel", "MapOAASRollout_ChangeEventV2" };
        var at = new DateTime(2023, 5, 22, 12, 0, 0, DateTimeKind.Utc);
        Console.WriteLine($"$ tributary runs start --jobs {string.Join(",", jobs)} --window {TimeWindow.Format(at)} --transaction nightly-2023-05-22");
        ops.StartRun(jobs, at, "nightly-2023-05-22");
        ops.RunJobs(PipelineNow, null, CancellationToken.None);
        var run = ops.ShowRun("nightly-2023-05-22");
        Console.WriteLine("$ tributary runs show nightly-2023-05-22");
        ResultWriter.Write(JobsPrinter.RunTable(run), OutputFormat.Table, Console.Out);
    }

    /// <summary>Seed 000's questions; the failing-instances one names a job of this pipeline (the seed's ActivityId is a job of theirs).</summary>
    private static readonly DemoQuestion[] PipelineQuestions =
    [
        new("000 step 4a", "Is data still arriving in staging? (rows by source per 10 minutes of ingestion)",
            "OMRollouts_EntityModel_Staging \n| where ingestion_time() >= ago(3h) \n| extend IngestionTime = ingestion_time() \n| summarize count() by Source, bin(IngestionTime, 10min)"),
        new("000 step 1", "Has the volume from a source spiked? (source rows per hour)",
            "OMRollouts_EntityModel_Staging \n| summarize count() by Source, bin(Timestamp, 1h)\n| order by Timestamp asc, Source asc"),
        new("000 step 4b", "Which job instances failed, with their parameters? (ActivityId: our job's name)",
            "KO_StreamingQueryStatistic \n| where ActivityId ==  'OMRollOuts_EntityModel' and StartedOn >= ago(6h) \n| join kind=inner KO_RepeatableQueryStatistic on $left.RepeatableQueryActorId == $right.ActorId \n| where State == \"Failed\" \n| project QueryString "),
        new("000 load", "Who is loading the store?",
            "let _startTime = ago(6h); \nlet _endTime = now(); \nUserRecentFailures( _startTime, _endTime)"),
        new("000 latency step 1", "p95 job duration per hour (chart)",
            "KO_RepeatableQueryStatistic \n| where ingestion_time() >= ago(5d) \n| extend JobName = tostring(split(ActorId, \":\")[0]) \n| extend KustoFunctionName = tostring(split(QueryString, \"(\")[0]) \n| summarize percentile(Duration, 95) by JobName, KustoFunctionName, bin(StartedOn, 1h) \n| render timechart "),
    ];

    /// <summary>A demo run starts the pipeline afresh: its jobs' history, views and tables from an earlier run go.</summary>
    private static void Reset(TributaryStore store, LocalOperations ops)
    {
        var pipeline = PipelineLoader.Parse(FleetPipelineYaml(), "fleet-changes.yaml");
        store.Ledger(l =>
        {
            foreach (var job in pipeline.Jobs)
            {
                JobLedger.Forget(l, job.Definition.Name);
            }

            JobLedger.DeleteRun(l, "nightly-2023-05-22");
            return 0;
        });
        foreach (var view in pipeline.Views)
        {
            store.Execute($".drop materialized-view {Kql.MaterializedViewPlan.Quote(view.Name)} ifexists");
        }

        foreach (var table in pipeline.Tables)
        {
            store.Execute($".drop table {Kql.MaterializedViewPlan.Quote(table.Name)} ifexists");
        }

        ops.Scheduler.Reload();
    }

    internal static void Ask(TributaryStore store, DemoQuestion question, string? chartPath)
    {
        Console.WriteLine();
        Console.WriteLine($"── seed {question.Seed}: {question.Title}");
        foreach (var line in question.Query.Split('\n'))
        {
            Console.WriteLine("   " + line.TrimEnd());
        }

        var watch = Stopwatch.StartNew();
        var result = store.ExecuteAs("demo", question.Query);
        var elapsed = watch.ElapsedMilliseconds;
        ResultWriter.WriteTable(result, Console.Out, RowsShown);

        Console.WriteLine($"({elapsed:N0} ms)");
        if (result.Render is { } render && result.Rows.Count > 0)
        {
            var path = chartPath ?? QueryCommand.DefaultChartPath(store.DataDirectory, "latency-" + render.Kind);
            ChartRenderer.Render(result, render with { Title = render.Title ?? "p95 job duration per hour" }, path);
            Console.WriteLine($"chart written to {Path.GetFullPath(path)}");
        }
    }

    private static void Print(string command, OperationResult result, bool windows = true)
    {
        Console.WriteLine($"$ tributary {command}");
        Console.WriteLine(result.Message);
        if (windows && result.Windows.Count > 0)
        {
            ResultWriter.Write(JobsPrinter.WindowsTable(result.Windows), OutputFormat.Table, Console.Out);
        }
    }

    internal static void Section(string title)
    {
        Console.WriteLine();
        Console.WriteLine(new string('═', Math.Min(100, title.Length + 4)));
        Console.WriteLine($"  {title}");
        Console.WriteLine(new string('═', Math.Min(100, title.Length + 4)));
    }
}
