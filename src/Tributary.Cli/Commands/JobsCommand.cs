using System.CommandLine;
using Spectre.Console;
using Tributary.Charts;
using Tributary.Cli.Output;
using Tributary.Cli.Remote;
using Tributary.Jobs;
using Tributary.Operations;
using Tributary.Pipelines;
using Tributary.Query;
using Tributary.Store;

namespace Tributary.Cli.Commands;

/// <summary><c>tributary jobs list|show|run|rerun|backfill|pause|resume|set|kill</c>: seed 000's troubleshooting guide as commands.</summary>
internal static class JobsCommand
{
    public static Command Create(Option<string> data)
    {
        var jobs = new Command("jobs", "List, inspect, run and operate jobs");

        var format = new Option<string>("--format", "-f") { Description = "Output format: table, csv or json", DefaultValueFactory = _ => "table" };
        var asOf = new Option<string?>("--as-of") { Description = "Measure lag and pending windows as if the clock read this time (as after jobs run --until)" };
        var list = new Command("list", "Every job: state, last succeeded window, lag, windows failed / running / pending") { format, asOf };
        list.SetAction(parse => Run(data, parse, ops =>
        {
            ResultWriter.Write(JobsPrinter.ListTable(ops.ListJobs(CliTime.ParseOptional(parse.GetValue(asOf), "--as-of"))), QueryCommand.ParseFormat(parse.GetValue(format)), Console.Out);
            return 0;
        }));
        jobs.Add(list);

        var name = new Argument<string>("name") { Description = "The job" };
        var last = new Option<int>("--last") { Description = "How many windows to show, up to now", DefaultValueFactory = _ => 24 };
        var chart = new Option<string?>("--chart") { Description = "Also draw the window history as a picture (.png or .svg)" };
        var show = new Command("show", "A job's window history as a grid, with the attempts and errors of failed windows") { name, last, chart, asOf };
        show.SetAction(parse => Run(data, parse, ops =>
        {
            var history = ops.ShowJob(parse.GetValue(name)!, parse.GetValue(last), CliTime.ParseOptional(parse.GetValue(asOf), "--as-of"));
            var color = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Ansi;
            Console.Write(JobsPrinter.Grid(history, color));
            if (history.FailedAttempts.Count > 0)
            {
                Console.WriteLine();
                Console.WriteLine("failed windows, their last attempt (all attempts: query JobAttempts):");
                var lastAttempts = history.FailedAttempts.GroupBy(a => a.Window.Start).Select(g => g.MaxBy(a => a.Attempt)!).ToList();
                ResultWriter.Write(JobsPrinter.AttemptsTable(lastAttempts), OutputFormat.Table, Console.Out);
            }

            var failed = history.Windows.Where(w => w.State == WindowState.Failed).ToList();
            if (failed.Count > 0)
            {
                Console.WriteLine();
                Console.WriteLine($"to run the failed windows again: tributary jobs rerun {history.Job.Name} --from {TimeWindow.Format(failed[0].Window.Start)} --to {TimeWindow.Format(failed[^1].Window.End)} --failed-only");
            }

            if (parse.GetValue(chart) is { } path)
            {
                try
                {
                    WindowHistoryChart.Render(history, path);
                }
                catch (ArgumentException e)
                {
                    throw new StoreException($"--chart: {e.Message}", e);
                }

                Console.Error.WriteLine($"chart written to {Path.GetFullPath(path)}");
            }

            return 0;
        }));
        jobs.Add(show);

        var until = new Option<string>("--until") { Description = "Run every window due when the clock reads this time (ISO-8601 UTC or 'now')", Required = true };
        var run = new Command("run", "Run every window due up to a time, then exit (batch use, backfills, tests)") { until };
        run.SetAction(parse => Run(data, parse, ops =>
        {
            var t = CliTime.Parse(parse.GetValue(until), "--until");
            var report = RunWithProgress(ops, t);
            Console.WriteLine($"ran windows due by {TimeWindow.Format(t)}: {report.Succeeded} succeeded, {report.FailedAttempts} failed attempt(s), {report.RowsWritten:N0} rows written; {report.FailedWindows} window(s) failed in all");
            if (report.FailedWindows > 0)
            {
                Console.WriteLine("see which: tributary jobs list; then tributary jobs show NAME");
            }

            return 0;
        }));
        jobs.Add(run);

        var from = new Option<string>("--from") { Description = "Start of the range (ISO-8601 UTC)", Required = true };
        var to = new Option<string>("--to") { Description = "End of the range, exclusive", Required = true };
        var failedOnly = new Option<bool>("--failed-only") { Description = "Only the windows that failed" };
        var rerun = new Command("rerun", "Run the windows of a range again (each replaces its earlier output)") { name, from, to, failedOnly };
        rerun.SetAction(parse => Run(data, parse, ops => Print(ops.Rerun(parse.GetValue(name)!, CliTime.Parse(parse.GetValue(from), "--from"), CliTime.Parse(parse.GetValue(to), "--to"), parse.GetValue(failedOnly)))));
        jobs.Add(rerun);

        var backfill = new Command("backfill", "Run every window of a range, also before the job's start") { name, from, to };
        backfill.SetAction(parse => Run(data, parse, ops => Print(ops.Backfill(parse.GetValue(name)!, CliTime.Parse(parse.GetValue(from), "--from"), CliTime.Parse(parse.GetValue(to), "--to")))));
        jobs.Add(backfill);

        var pause = new Command("pause", "Start no new windows of a job (running ones finish)") { name };
        pause.SetAction(parse => Run(data, parse, ops => Print(ops.SetPaused(parse.GetValue(name)!, true))));
        jobs.Add(pause);
        var resume = new Command("resume", "Let a paused job start windows again") { name };
        resume.SetAction(parse => Run(data, parse, ops => Print(ops.SetPaused(parse.GetValue(name)!, false))));
        jobs.Add(resume);

        var parallelism = new Option<int?>("--max-parallelism") { Description = "Attempts (queries) that may run at once" };
        var timeout = new Option<string?>("--timeout") { Description = "Longest an attempt may run (e.g. 15m)" };
        var attempts = new Option<int?>("--attempts") { Description = "Attempts a window gets" };
        var delay = new Option<string?>("--delay") { Description = "Lateness allowance (e.g. 5m)" };
        var rowLimit = new Option<long?>("--row-limit") { Description = "Most rows a window may write (0: no limit)" };
        var enabled = new Option<bool?>("--enabled") { Description = "true or false" };
        var batch = new Option<int?>("--batch") { Description = "Windows one query may cover when the job is behind (1: each alone)" };
        var set = new Command("set", "Change a job's settings (a later apply of its file sets them as the file says)") { name, parallelism, timeout, attempts, delay, rowLimit, enabled, batch };
        set.SetAction(parse => Run(data, parse, ops =>
        {
            var settings = new JobSettings(parse.GetValue(parallelism), Duration(parse.GetValue(timeout), "--timeout"), parse.GetValue(attempts),
                Duration(parse.GetValue(delay), "--delay"), parse.GetValue(rowLimit), parse.GetValue(enabled), parse.GetValue(batch));
            if (settings == new JobSettings())
            {
                throw new StoreException("say what to change: --max-parallelism, --timeout, --attempts, --delay, --row-limit, --batch or --enabled");
            }

            return Print(ops.SetJob(parse.GetValue(name)!, settings));
        }));
        jobs.Add(set);

        var window = new Option<string?>("--window") { Description = "Only the attempt of the window containing this time" };
        var kill = new Command("kill", "Interrupt a job's running attempts; they end Failed (Killed) and wait for an operator") { name, window };
        kill.SetAction(parse => Run(data, parse, ops => Print(ops.Kill(parse.GetValue(name)!, CliTime.ParseOptional(parse.GetValue(window), "--window")))));
        jobs.Add(kill);
        return jobs;
    }

    internal static int Print(OperationResult result)
    {
        Console.WriteLine(result.Message);
        if (result.Windows.Count > 0)
        {
            ResultWriter.Write(JobsPrinter.WindowsTable(result.Windows), OutputFormat.Table, Console.Out);
        }

        return 0;
    }

    internal static int Run(Option<string> data, ParseResult parse, Func<ITributaryOperations, int> action) => CliRunner.Run(() =>
    {
        using var ops = OperationsFactory.Open(parse.GetValue(data)!);
        return action(ops);
    });

    private static TimeSpan? Duration(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        return PipelineLoader.TryParseDuration(text, out var value) ? value : throw new StoreException($"{option} '{text}' is not a duration (examples: 30s, 10m, 1h, 1d)");
    }

    private static RunReport RunWithProgress(ITributaryOperations ops, DateTime until)
    {
        var ct = CliRunner.CancelOnCtrlC();
        if (ops is LocalOperations && !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive)
        {
            RunReport report = null!;
            AnsiConsole.Status().Start("running due windows…", ctx =>
            {
                var progress = new Progress<RunProgress>(p => ctx.Status($"running due windows: {p.Finished} finished, {p.Running} running, {p.FailedAttempts} failed attempt(s)"));
                report = ops.RunJobs(until, progress, ct);
            });
            return report;
        }

        if (!Console.IsErrorRedirected)
        {
            Console.Error.WriteLine($"running every window due by {TimeWindow.Format(until)}…");
        }

        return ops.RunJobs(until, null, ct);
    }
}
