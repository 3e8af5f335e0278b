using System.CommandLine;

namespace Tributary.Cli.Commands;

/// <summary><c>tributary windows mark-succeeded|clear|retract NAME --window T</c>: seed 003's runbook on one window.</summary>
internal static class WindowsCommand
{
    public static Command Create(Option<string> data)
    {
        var windows = new Command("windows", "Operate on one window of a job");
        var name = new Argument<string>("name") { Description = "The job" };
        var window = new Option<string>("--window") { Description = "A time inside the window (ISO-8601 UTC)", Required = true };

        var mark = new Command("mark-succeeded", "Commit an empty window so downstream windows proceed (seed 003: commit an empty dataset / mark success)") { name, window };
        mark.SetAction(parse => JobsCommand.Run(data, parse, ops => JobsCommand.Print(ops.MarkSucceeded(parse.GetValue(name)!, CliTime.Parse(parse.GetValue(window), "--window")))));
        windows.Add(mark);

        var downstream = new Option<bool>("--downstream") { Description = "Also every window downstream that overlaps it (seed 003: clear downstream)" };
        var clear = new Command("clear", "Run a window again when its dependencies allow") { name, window, downstream };
        clear.SetAction(parse => JobsCommand.Run(data, parse, ops => JobsCommand.Print(ops.Clear(parse.GetValue(name)!, CliTime.Parse(parse.GetValue(window), "--window"), parse.GetValue(downstream)))));
        windows.Add(clear);

        var cascade = new Option<bool>("--cascade") { Description = "Run the downstream windows that read it again (without: they are listed)" };
        var retract = new Command("retract", "Drop a window's output (its extents); it counts as done with no rows") { name, window, cascade };
        retract.SetAction(parse => JobsCommand.Run(data, parse, ops => JobsCommand.Print(ops.Retract(parse.GetValue(name)!, CliTime.Parse(parse.GetValue(window), "--window"), parse.GetValue(cascade)))));
        windows.Add(retract);
        return windows;
    }
}
