using System.CommandLine;
using System.Text;
using Tributary.Operations;
using Tributary.Pipelines;
using Tributary.Streams;

namespace Tributary.Cli.Commands;

/// <summary>
/// <c>tributary consume TOPIC</c>: Kafka's console consumer — prints record values one per line (optionally with
/// partition, offset and key), as a group (starting at its committed offsets, committing after printing) or alone
/// (from the end unless <c>--from-beginning</c>); stops after <c>--max</c> records, when none arrives within
/// <c>--timeout</c>, or on Ctrl-C. See <see cref="TopicConsumer"/>.
/// </summary>
internal static class ConsumeCommand
{
    public static Command Create(Option<string> data)
    {
        var topic = new Argument<string>("topic") { Description = "The topic to read" };
        var group = new Option<string?>("--group", "-g") { Description = "Read as this consumer group: start at its committed offsets and commit what was printed" };
        var fromBeginning = new Option<bool>("--from-beginning") { Description = "Start at the earliest kept record (without it: only new records; a group's committed offsets win)" };
        var max = new Option<long?>("--max") { Description = "Stop after this many records" };
        var partition = new Option<int?>("--partition", "-p") { Description = "Read only this partition" };
        var timeout = new Option<string>("--timeout") { Description = "Stop when no record arrived for this long (e.g. 5s; 0: once everything is read; 'forever': until Ctrl-C)", DefaultValueFactory = _ => "5s" };
        var printKey = new Option<bool>("--print-key") { Description = "Print each record's key (or null) and a tab before its value" };
        var printOffset = new Option<bool>("--print-offset") { Description = "Print 'Partition:P<tab>Offset:O<tab>' before each record" };
        var command = new Command("consume", "Print a topic's records, one value per line") { topic, group, fromBeginning, max, partition, timeout, printKey, printOffset };
        command.SetAction(parse => JobsCommand.Run(data, parse, ops =>
        {
            var options = new ConsumeOptions(parse.GetValue(topic)!, parse.GetValue(group), parse.GetValue(fromBeginning), parse.GetValue(max), parse.GetValue(partition), Timeout(parse.GetValue(timeout)!));
            using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 64 * 1024) { AutoFlush = false, NewLine = "\n" };
            var withKey = parse.GetValue(printKey);
            var withOffset = parse.GetValue(printOffset);
            var count = TopicConsumer.Run(ops, options, r =>
            {
                if (withOffset)
                {
                    stdout.Write($"Partition:{r.Partition}\tOffset:{r.Offset}\t");
                }

                if (withKey)
                {
                    stdout.Write(r.Key ?? "null");
                    stdout.Write('\t');
                }

                stdout.WriteLine(r.Value);
            }, afterBatch: stdout.Flush, cancellationToken: CliRunner.CancelOnCtrlC());
            stdout.Flush();
            Console.Error.WriteLine($"consumed {count:N0} record{(count == 1 ? "" : "s")} from '{options.Topic}'{(options.Group is { } g ? $" as group '{g}'" : "")}");
            return 0;
        }));
        return command;
    }

    private static TimeSpan? Timeout(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t is "forever" or "none" or "infinite")
        {
            return null;
        }

        if (t == "0")
        {
            return TimeSpan.Zero;
        }

        return PipelineLoader.TryParseDuration(t, out var value) && value >= TimeSpan.Zero
            ? value
            : throw new StreamException($"--timeout '{text}' is not a duration (examples: 500ms, 5s, 1m; 0; forever)");
    }
}
