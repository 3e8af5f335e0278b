using System.CommandLine;
using System.Diagnostics;
using Tributary.Charts;
using Tributary.Demo;
using Tributary.Query;
using Tributary.Store;

namespace Tributary.Cli.Commands;

/// <summary>
/// <c>tributary demo</c>: generates a fleet (VM and host snapshots, host events, a rollout change feed
/// and job statistics), loads it, and asks the questions of seeds 000 and 001, printing the answers
/// and drawing the latency chart.
/// </summary>
internal static class DemoCommand
{
    private const int RowsShown = 12;

    public static Command Create(Option<string> data)
    {
        var vms = new Option<int>("--vms") { Description = "How many VMs the fleet has", DefaultValueFactory = _ => 2000 };
        var hosts = new Option<int>("--hosts") { Description = "How many hosts the fleet has", DefaultValueFactory = _ => 200 };
        var chart = new Option<string?>("--chart") { Description = "Where to write the latency chart (.png or .svg)" };
        var command = new Command("demo", "Generate a fleet, load it and answer the seed questions") { vms, hosts, chart };
        command.SetAction(parse => CliRunner.Run(() => Run(parse.GetValue(data)!, parse.GetValue(vms), parse.GetValue(hosts), parse.GetValue(chart))));
        return command;
    }

    private static int Run(string dataDirectory, int vms, int hosts, string? chartPath)
    {
        if (vms < 1 || hosts < 1 || vms > 1_000_000 || hosts > 100_000)
        {
            throw new StoreException("--vms must be 1 to 1,000,000 and --hosts 1 to 100,000");
        }

        var clock = new SimulatedClock(TimeProvider.System);
        using var store = TributaryStore.Open(dataDirectory, clock);
        var input = Path.Combine(store.DataDirectory, "demo-input");
        var total = Stopwatch.StartNew();

        Console.WriteLine($"Tributary demo — data directory {store.DataDirectory}");
        Console.WriteLine();
        var watch = Stopwatch.StartNew();
        var batches = FleetGenerator.Generate(new DemoOptions(clock.GetUtcNow().UtcDateTime, vms, hosts), input);
        Console.WriteLine($"generated {batches.Count} files for a fleet of {vms:N0} VMs on {hosts:N0} hosts in {watch.ElapsedMilliseconds:N0} ms ({input})");

        watch.Restart();
        // A live counter only on a terminal; redirected output stays clean.
        var live = !Console.IsErrorRedirected;
        var progress = live ? new Progress<int>(n => Console.Error.Write($"\rloading batch {n}/{batches.Count}")) : null;
        var loaded = DemoScript.Load(store, batches, clock, progress);
        if (live)
        {
            Console.Error.Write("\r" + new string(' ', 40) + "\r");
        }
        foreach (var table in loaded.GroupBy(r => r.Table))
        {
            Console.WriteLine($"  {table.Key,-34} {table.Sum(r => r.Rows),10:N0} rows in {table.Count(),3} extent(s)");
        }

        Console.WriteLine($"loaded {loaded.Sum(r => r.Rows):N0} rows in {watch.ElapsedMilliseconds:N0} ms");

        foreach (var question in DemoScript.Questions)
        {
            Console.WriteLine();
            Console.WriteLine($"── seed {question.Seed}: {question.Title}");
            foreach (var line in question.Query.Split('\n'))
            {
                Console.WriteLine("   " + line.TrimEnd());
            }

            watch.Restart();
            var result = store.Execute(question.Query);
            var elapsed = watch.ElapsedMilliseconds;
            var shown = result.Rows.Count > RowsShown ? result with { Rows = result.Rows.Take(RowsShown).ToList() } : result;
            ResultWriter.Write(shown, OutputFormat.Table, Console.Out);
            if (result.Rows.Count > RowsShown)
            {
                Console.WriteLine($"… {result.Rows.Count - RowsShown:N0} more rows ({result.Rows.Count:N0} in all)");
            }

            Console.WriteLine($"({elapsed:N0} ms)");
            if (result.Render is { } render)
            {
                var path = chartPath ?? QueryCommand.DefaultChartPath(store.DataDirectory, "latency-" + render.Kind);
                ChartRenderer.Render(result, render with { Title = render.Title ?? "p95 KO job duration per hour" }, path);
                Console.WriteLine($"chart written to {Path.GetFullPath(path)}");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"demo finished in {total.Elapsed.TotalSeconds:N1} s. Try: ./tributary query \"OMRollouts_EntityModel_Staging | summarize count() by Source\" --data {dataDirectory}");
        return 0;
    }
}
