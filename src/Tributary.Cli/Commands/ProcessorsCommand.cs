using System.CommandLine;
using Tributary.Cli.Output;
using Tributary.Query;

namespace Tributary.Cli.Commands;

/// <summary>
/// <c>tributary processors list|pause|resume|run</c>: the pipeline's stream processors. A paused processor's input waits
/// in its topic for the topic's retention (seed 004's backlog); <c>list</c> shows when the oldest unread record expires.
/// </summary>
internal static class ProcessorsCommand
{
    public static Command Create(Option<string> data)
    {
        var processors = new Command("processors", "The stream processors: state, lag and backlog; pause, resume, run");
        var format = new Option<string>("--format", "-f") { Description = "Output format: table, csv or json", DefaultValueFactory = _ => "table" };
        var name = new Argument<string>("processor") { Description = "The processor (its name in the pipeline)" };

        var list = new Command("list", "Every processor: state, lag, oldest unread record and when retention drops it, counts") { format };
        list.SetAction(parse => JobsCommand.Run(data, parse, ops =>
        {
            ResultWriter.Write(StreamsPrinter.ProcessorsTable(ops.ListProcessors()), QueryCommand.ParseFormat(parse.GetValue(format)), Console.Out);
            return 0;
        }));
        processors.Add(list);

        foreach (var (verb, paused, what) in new[] { ("pause", true, "Pause a processor: its input waits in the topic, nothing is lost"), ("resume", false, "Resume a paused processor") })
        {
            var command = new Command(verb, what) { name, format };
            command.SetAction(parse => JobsCommand.Run(data, parse, ops =>
            {
                var status = ops.SetProcessorPaused(parse.GetValue(name)!, paused);
                Console.WriteLine($"processor '{status.Name}' is {status.State}; {status.Lag:N0} record(s) wait in '{status.Input}'");
                return 0;
            }));
            processors.Add(command);
        }

        var wait = new Option<string>("--wait") { Description = "Through a running server: how long to wait for its processors to catch up", DefaultValueFactory = _ => "30s" };
        var run = new Command("run", "Bring the processors up to date (offline: process everything waiting; through a server: wait until none lags)") { wait, format };
        run.SetAction(parse => JobsCommand.Run(data, parse, ops =>
        {
            var result = ops.RunProcessors(CliTime.ParseDuration(parse.GetValue(wait)!, "--wait"), CancellationToken.None);
            if (result.Processed > 0)
            {
                Console.Error.WriteLine($"processed {result.Processed:N0} record(s)");
            }

            ResultWriter.Write(StreamsPrinter.ProcessorsTable(result.Processors), QueryCommand.ParseFormat(parse.GetValue(format)), Console.Out);
            return 0;
        }));
        processors.Add(run);
        return processors;
    }
}
