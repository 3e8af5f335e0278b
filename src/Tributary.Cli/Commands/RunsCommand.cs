using System.CommandLine;
using Tributary.Cli.Output;
using Tributary.Jobs;
using Tributary.Query;

namespace Tributary.Cli.Commands;

/// <summary><c>tributary runs start|show|rerun|retract</c>: seed 003's nightly DAG under one transaction id.</summary>
internal static class RunsCommand
{
    public static Command Create(Option<string> data)
    {
        var runs = new Command("runs", "Start, inspect, re-run and retract runs (job windows under one transaction id)");
        var jobs = new Option<string>("--jobs") { Description = "The jobs, comma-separated", Required = true };
        var window = new Option<string>("--window") { Description = "A time inside the window each job runs (ISO-8601 UTC)", Required = true };
        var transaction = new Option<string?>("--transaction") { Description = "The transaction id (default: a new one)" };
        var start = new Command("start", "Run the window containing --window of each job under one transaction id") { jobs, window, transaction };
        start.SetAction(parse => JobsCommand.Run(data, parse, ops => Print(ops.StartRun(Split(parse.GetValue(jobs)), CliTime.Parse(parse.GetValue(window), "--window"), parse.GetValue(transaction)))));
        runs.Add(start);

        var id = new Argument<string>("id") { Description = "The transaction id" };
        var show = new Command("show", "Per job of a run: committed or not, rows, extents, error") { id };
        show.SetAction(parse => JobsCommand.Run(data, parse, ops => Print(ops.ShowRun(parse.GetValue(id)!))));
        runs.Add(show);

        var rerun = new Command("rerun", "Run a run again with the same id: committed outputs are kept, the rest run") { id };
        rerun.SetAction(parse => JobsCommand.Run(data, parse, ops => Print(ops.RerunRun(parse.GetValue(id)!))));
        runs.Add(rerun);

        var only = new Option<string?>("--jobs") { Description = "Only these jobs' outputs (comma-separated)" };
        var retract = new Command("retract", "Retract the committed outputs of a run") { id, only };
        retract.SetAction(parse => JobsCommand.Run(data, parse, ops =>
            JobsCommand.Print(ops.RetractRun(parse.GetValue(id)!, parse.GetValue(only) is { } o ? Split(o) : null))));
        runs.Add(retract);
        return runs;
    }

    private static List<string> Split(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static int Print(RunView run)
    {
        var committed = run.Jobs.Count(j => j.Committed);
        Console.WriteLine($"run {run.TransactionId}: {committed} of {run.Jobs.Count} job(s) committed{(run.Jobs.Any(j => j.State is WindowState.Pending or WindowState.Running) ? " (the rest run as their dependencies allow; 'jobs run --until now' runs them without a server)" : "")}");
        ResultWriter.Write(JobsPrinter.RunTable(run), OutputFormat.Table, Console.Out);
        return 0;
    }
}
