using Tributary.Bench;

// dotnet run -c Release --project bench/Tributary.Bench -- [all|latest|ingest|translate|jobs|scheduler|freshness|cli|jobs-all|log|validator|dedup|streams|streams-all|series] [--rows N] …
Options options;
try
{
    options = Options.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(Options.Usage);
    return 0;
}

#if DEBUG
Console.WriteLine("WARNING: a Debug build; run with -c Release for meaningful figures");
#endif
Console.WriteLine($"Tributary.Bench: {options.Mode}, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
Console.WriteLine($"   snapshot rows {options.SnapshotRows:N0}, file rows {options.FileRows:N0}, {options.Warmups} warm-up + {options.Runs} timed runs (load {Timing.Load()})");

var root = Path.Combine(Path.GetTempPath(), "tributary-bench-" + Guid.NewGuid().ToString("N")[..12]);
Directory.CreateDirectory(root);
var rows = new List<Row>();
try
{
    // Each benchmark and the modes that run it.
    (string[] Modes, Func<Options, string, List<Row>> Run)[] benchmarks =
    [
        (["all", "latest"], LatestStateBench.Run),
        (["all", "ingest"], IngestBench.Run),
        (["all", "translate"], TranslateBench.Run),
        (["jobs", "jobs-all"], JobsBench.Run),
        (["scheduler", "jobs-all"], SchedulerBench.Run),
        (["freshness", "jobs-all"], FreshnessBench.Run),
        (["cli", "jobs-all"], CliBench.Run),
        (["log", "streams-all"], LogBench.Run),
        (["validator", "streams-all"], ValidatorBench.Run),
        (["dedup", "streams-all"], DedupBench.Run),
        (["streams", "streams-all"], StreamsBench.Run),
        (["series"], SeriesBench.Run),
    ];
    foreach (var (modes, run) in benchmarks.Where(b => b.Modes.Contains(options.Mode)))
    {
        rows.AddRange(run(options, root));
    }
}
finally
{
    Directory.Delete(root, recursive: true);
}

Console.WriteLine();
Console.WriteLine("| Benchmark | Case | Tributary (median, min) | Baseline (median, min) | Ratio: median (of mins) | Target | Met | Load (1/5/15 min) |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");
foreach (var r in rows)
{
    Console.WriteLine($"| {r.Bench} | {Cell(r.Case)} | {Cell(r.Ours)} | {Cell(r.Baseline)} | {r.Ratio} | {r.Target} | {r.Met switch { true => "yes", false => "**no**", null => "–" }} | {r.Load} |");
}

return rows.All(r => r.Met != false) ? 0 : 1;

// A markdown table cell: KQL pipes are escaped.
static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
