using System.CommandLine;
using Tributary.Cli.Output;
using Tributary.Query;
using Tributary.Streams;
using Tributary.Streams.Ingest;

namespace Tributary.Cli.Commands;

/// <summary>
/// <c>tributary produce TOPIC [FILE]</c>: Kafka's console producer — one record per non-empty line of the file (or of
/// standard input), the key from a JSON field with <c>--key-field</c>. A <c>.jsonl</c> / <c>.ndjson</c> file must hold
/// JSON on every line. The whole input is read and checked first: a bad line produces nothing.
/// </summary>
internal static class ProduceCommand
{
    public static Command Create(Option<string> data)
    {
        var topic = new Argument<string>("topic") { Description = "The topic to append to" };
        var file = new Argument<string?>("file") { Description = "The lines to produce ('-' or none: standard input)", Arity = ArgumentArity.ZeroOrOne };
        var keyField = new Option<string?>("--key-field") { Description = "Take each record's key from this JSON field (a dotted path reaches into objects, e.g. context.did); without it, records have no key" };
        var format = new Option<string>("--format", "-f") { Description = "Output format: table, csv or json", DefaultValueFactory = _ => "table" };
        var command = new Command("produce", "Append records to a topic: one per non-empty line of FILE or standard input (JSON lines or plain lines)") { topic, file, keyField, format };
        command.SetAction(parse => JobsCommand.Run(data, parse, ops =>
        {
            var outputFormat = QueryCommand.ParseFormat(parse.GetValue(format));
            var path = parse.GetValue(file);
            var stdin = path is null or "-";
            var source = stdin ? "standard input" : path!;
            byte[] bytes;
            if (stdin)
            {
                using var input = Console.OpenStandardInput();
                using var buffer = new MemoryStream();
                input.CopyTo(buffer);
                bytes = buffer.ToArray();
            }
            else
            {
                bytes = File.Exists(path) ? File.ReadAllBytes(path!) : throw new StreamException($"file not found: {path}");
            }

            var json = !stdin && Path.GetExtension(path!).ToLowerInvariant() is ".jsonl" or ".ndjson";
            RecordLines lines;
            try
            {
                lines = RecordLines.Parse(bytes, json ? LineFormat.Json : LineFormat.Text, parse.GetValue(keyField));
            }
            catch (IngestException e)
            {
                throw new IngestException(e.Code, $"{source}: {e.Message}; nothing was produced", e.Rejection);
            }

            if (lines.Records.Count == 0)
            {
                throw new StreamException($"{source} has no records (one per non-empty line); nothing was produced");
            }

            var result = ops.Produce(parse.GetValue(topic)!, lines, CliRunner.CancelOnCtrlC());
            if (outputFormat == OutputFormat.Table)
            {
                Console.WriteLine($"produced {result.Records:N0} record{(result.Records == 1 ? "" : "s")} to topic '{result.Topic}' " +
                                  $"({string.Join(", ", result.Partitions.Select(p => $"partition {p.Partition}: {p.Records:N0}"))})");
            }

            ResultWriter.Write(StreamsPrinter.ProducedTable(result), outputFormat, Console.Out);
            return 0;
        }));
        return command;
    }
}
