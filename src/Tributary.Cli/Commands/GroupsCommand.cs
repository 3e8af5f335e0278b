using System.CommandLine;
using Tributary.Cli.Output;
using Tributary.Query;
using Tributary.Streams;

namespace Tributary.Cli.Commands;

/// <summary><c>tributary groups list|describe|reset-offsets</c>: Kafka's <c>kafka-consumer-groups</c> on the data directory's log (seed 002).</summary>
internal static class GroupsCommand
{
    public static Command Create(Option<string> data)
    {
        var groups = new Command("groups", "Consumer groups: their offsets and lag, and resetting them");
        var name = new Argument<string>("group") { Description = "The consumer group" };
        var format = new Option<string>("--format", "-f") { Description = "Output format: table, csv or json", DefaultValueFactory = _ => "table" };

        var list = new Command("list", "Every consumer group with committed offsets: topics, partitions, lag") { format };
        list.SetAction(parse => JobsCommand.Run(data, parse, ops =>
        {
            ResultWriter.Write(StreamsPrinter.GroupsTable(ops.ListGroups()), QueryCommand.ParseFormat(parse.GetValue(format)), Console.Out);
            return 0;
        }));
        groups.Add(list);

        var describeTopic = new Option<string?>("--topic") { Description = "Only this topic (every partition, committed or not)" };
        var describe = new Command("describe", "A group's committed offset, end offset and lag per topic and partition") { name, describeTopic, format };
        describe.SetAction(parse => JobsCommand.Run(data, parse, ops =>
        {
            ResultWriter.Write(StreamsPrinter.LagTable(ops.DescribeGroup(parse.GetValue(name)!, parse.GetValue(describeTopic))), QueryCommand.ParseFormat(parse.GetValue(format)), Console.Out);
            return 0;
        }));
        groups.Add(describe);

        var topic = new Option<string>("--topic") { Description = "The topic whose offsets move (all its partitions)", Required = true };
        var toEarliest = new Option<bool>("--to-earliest") { Description = "To the earliest kept record" };
        var toLatest = new Option<bool>("--to-latest") { Description = "To the end (skip everything there is)" };
        var toDatetime = new Option<string?>("--to-datetime") { Description = "To the first record at or after this time (ISO-8601, UTC unless an offset is given)" };
        var shiftBy = new Option<long?>("--shift-by") { Description = "By this many records (negative: back)" };
        var toOffset = new Option<long?>("--to-offset") { Description = "To this offset" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only show the moves" };
        var reset = new Command("reset-offsets", "Move a group's offsets on a topic (exactly one of --to-earliest, --to-latest, --to-datetime, --shift-by, --to-offset)")
        {
            name, topic, toEarliest, toLatest, toDatetime, shiftBy, toOffset, dryRun, format,
        };
        reset.SetAction(parse => JobsCommand.Run(data, parse, ops =>
        {
            var outputFormat = QueryCommand.ParseFormat(parse.GetValue(format));
            var chosen = new List<(string Option, OffsetReset Reset)>();
            if (parse.GetValue(toEarliest))
            {
                chosen.Add(("--to-earliest", new OffsetReset(OffsetResetKind.ToEarliest)));
            }

            if (parse.GetValue(toLatest))
            {
                chosen.Add(("--to-latest", new OffsetReset(OffsetResetKind.ToLatest)));
            }

            if (parse.GetValue(toDatetime) is { } time)
            {
                chosen.Add(("--to-datetime", new OffsetReset(OffsetResetKind.ToDatetime, Time: CliTime.Parse(time, "--to-datetime"))));
            }

            if (parse.GetValue(shiftBy) is { } shift)
            {
                chosen.Add(("--shift-by", new OffsetReset(OffsetResetKind.ShiftBy, Value: shift)));
            }

            if (parse.GetValue(toOffset) is { } offset)
            {
                chosen.Add(("--to-offset", new OffsetReset(OffsetResetKind.ToOffset, Value: offset)));
            }

            if (chosen.Count == 0)
            {
                throw new StreamException("say where to move the offsets: one of --to-earliest, --to-latest, --to-datetime T, --shift-by N, --to-offset N");
            }

            if (chosen.Count > 1)
            {
                throw new StreamException($"give one of --to-earliest, --to-latest, --to-datetime, --shift-by, --to-offset, not {string.Join(" and ", chosen.Select(c => c.Option))}");
            }

            var group = parse.GetValue(name)!;
            var dry = parse.GetValue(dryRun);
            var moves = ops.ResetOffsets(group, parse.GetValue(topic)!, chosen[0].Reset, dry);
            if (outputFormat == OutputFormat.Table)
            {
                Console.WriteLine(dry
                    ? $"dry run: group '{group}' would move as below ({chosen[0].Option}); nothing changed — run again without --dry-run to move it"
                    : $"moved group '{group}' ({chosen[0].Option}):");
            }

            ResultWriter.Write(StreamsPrinter.MovesTable(moves), outputFormat, Console.Out);
            return 0;
        }));
        groups.Add(reset);
        return groups;
    }
}
