using System.CommandLine;
using Tributary.Cli.Output;
using Tributary.Operations;
using Tributary.Query;
using Tributary.Streams;

namespace Tributary.Cli.Commands;

/// <summary><c>tributary topics create|list|describe|delete</c>: Kafka's <c>kafka-topics</c> on the data directory's log.</summary>
internal static class TopicsCommand
{
    public static Command Create(Option<string> data)
    {
        var topics = new Command("topics", "Create, list, describe and delete the log's topics");
        var name = new Argument<string>("name") { Description = "The topic (letters, digits, '.', '_', '-')" };
        var format = new Option<string>("--format", "-f") { Description = "Output format: table, csv or json", DefaultValueFactory = _ => "table" };

        var partitions = new Option<int>("--partitions") { Description = "Partitions (records go to one by a hash of their key)", DefaultValueFactory = _ => 1 };
        var retention = new Option<string>("--retention") { Description = "How long records are kept (e.g. 12h, 14d; 'forever')", DefaultValueFactory = _ => "14d" };
        var retentionBytes = new Option<string?>("--retention-bytes") { Description = "Most bytes a partition keeps, oldest dropped first (e.g. 512MB, 1GB)" };
        var create = new Command("create", "Create a topic") { name, partitions, retention, retentionBytes };
        create.SetAction(parse => JobsCommand.Run(data, parse, ops =>
        {
            var settings = new TopicSettings(parse.GetValue(partitions), Retention(parse.GetValue(retention)!), Size(parse.GetValue(retentionBytes), "--retention-bytes"));
            var info = ops.CreateTopic(parse.GetValue(name)!, settings);
            Console.WriteLine($"created topic '{info.Name}': {StreamsPrinter.Settings(info)}");
            return 0;
        }));
        topics.Add(create);

        var list = new Command("list", "Every topic: partitions, records, bytes, retention") { format };
        list.SetAction(parse => JobsCommand.Run(data, parse, ops =>
        {
            ResultWriter.Write(StreamsPrinter.TopicsTable(ops.ListTopics()), QueryCommand.ParseFormat(parse.GetValue(format)), Console.Out);
            return 0;
        }));
        topics.Add(list);

        var describe = new Command("describe", "A topic's settings and partitions: earliest and next offset, records, bytes, oldest and newest timestamp") { name, format };
        describe.SetAction(parse => JobsCommand.Run(data, parse, ops =>
        {
            var outputFormat = QueryCommand.ParseFormat(parse.GetValue(format));
            var info = ops.DescribeTopic(parse.GetValue(name)!);
            if (outputFormat == OutputFormat.Table)
            {
                Console.WriteLine($"topic '{info.Name}': {StreamsPrinter.Settings(info)}; {info.Records:N0} records, {StreamUnits.FormatSize(info.Bytes)}");
            }

            ResultWriter.Write(StreamsPrinter.PartitionsTable(info), outputFormat, Console.Out);
            return 0;
        }));
        topics.Add(describe);

        var delete = new Command("delete", "Delete a topic, its records and every group's offsets on it") { name };
        delete.SetAction(parse => JobsCommand.Run(data, parse, ops =>
        {
            var info = ops.DeleteTopic(parse.GetValue(name)!);
            Console.WriteLine($"deleted topic '{info.Name}' ({info.Partitions.Count} partition{(info.Partitions.Count == 1 ? "" : "s")}, {info.Records:N0} records)");
            return 0;
        }));
        topics.Add(delete);
        return topics;
    }

    internal static TimeSpan? Retention(string text) =>
        StreamUnits.TryParseRetention(text, out var age) ? age : throw new StreamException($"--retention '{text}' is not a duration (examples: 12h, 14d) or 'forever'");

    internal static long? Size(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        return StreamUnits.TryParseSize(text, out var bytes) ? bytes : throw new StreamException($"{option} '{text}' is not a size (examples: 512MB, 1GB, 1048576)");
    }
}
