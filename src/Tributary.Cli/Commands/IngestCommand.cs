using System.CommandLine;
using Spectre.Console;
using Tributary.Store;
using Tributary.Store.Ingestion;

namespace Tributary.Cli.Commands;

/// <summary><c>tributary ingest TABLE FILE [--format csv|jsonl|json|parquet] [--tags k=v,…]</c>: one file becomes one extent, all or nothing.</summary>
internal static class IngestCommand
{
    private const long ProgressThresholdBytes = 8 * 1024 * 1024;

    public static Command Create(Option<string> data)
    {
        var table = new Argument<string>("table") { Description = "The table to load into (it must exist)" };
        var file = new Argument<string>("file") { Description = "The file to load" };
        var format = new Option<string?>("--format", "-f") { Description = "csv, jsonl, json or parquet (default: from the file extension)" };
        var tags = new Option<string?>("--tags", "-t") { Description = "Extent tags, comma-separated; k=v is stored as k:v (e.g. --tags source=OMRollout,drop-by:2024-05-22)" };
        var command = new Command("ingest", "Load a file into a table as one extent") { table, file, format, tags };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            var path = parse.GetValue(file)!;
            var fmt = ParseFormat(parse.GetValue(format));
            var tagList = ParseTags(parse.GetValue(tags));
            using var ops = Remote.OperationsFactory.Open(parse.GetValue(data)!);
            var store = (ops as Tributary.Operations.LocalOperations)?.Store;
            var size = File.Exists(path) ? new FileInfo(path).Length : 0;
            var ct = CliRunner.CancelOnCtrlC();
            IngestResult result;
            if (store is null)
            {
                result = ops.Ingest(parse.GetValue(table)!, path, fmt, tagList, ct);
            }
            else if (size >= ProgressThresholdBytes && !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive)
            {
                result = null!;
                AnsiConsole.Progress().AutoClear(true).Start(ctx =>
                {
                    var task = ctx.AddTask($"loading {Path.GetFileName(path)}", maxValue: Math.Max(1, size));
                    var progress = new Progress<IngestProgress>(p =>
                    {
                        task.Description = $"{p.Phase} {Path.GetFileName(path)}";
                        task.Value = Math.Min(p.BytesRead, size);
                    });
                    result = store.IngestFile(parse.GetValue(table)!, path, fmt, tagList, progress, ct);
                    task.Value = size;
                });
            }
            else if (size >= ProgressThresholdBytes && !Console.IsErrorRedirected)
            {
                // A terminal that cannot redraw a bar: one line as each phase starts.
                result = store.IngestFile(parse.GetValue(table)!, path, fmt, tagList, new PhaseLines(Path.GetFileName(path)), ct);
            }
            else if (size >= ProgressThresholdBytes)
            {
                // Not a terminal (a log, a pipe): progress lines would only fill it. One start line; the result line ends it.
                Console.Error.WriteLine($"loading {Path.GetFileName(path)} ({size:N0} bytes)…");
                result = store.IngestFile(parse.GetValue(table)!, path, fmt, tagList, null, ct);
            }
            else
            {
                result = store.IngestFile(parse.GetValue(table)!, path, fmt, tagList, null, ct);
            }

            Console.WriteLine($"ingested {result.Rows:N0} rows into {result.Table} as extent {result.ExtentId}{(result.Tags.Count > 0 ? " tagged " + string.Join(", ", result.Tags) : "")}");
            return 0;
        }));
        return command;
    }

    private static IngestFormat? ParseFormat(string? text) => text?.ToLowerInvariant() switch
    {
        null => null,
        "csv" => IngestFormat.Csv,
        "jsonl" or "ndjson" or "multijson" => IngestFormat.JsonLines,
        "json" => IngestFormat.Json,
        "parquet" => IngestFormat.Parquet,
        _ => throw new StoreException($"unknown format '{text}' (expected csv, jsonl, json or parquet)"),
    };

    internal static List<string> ParseTags(string? text)
    {
        var tags = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return tags;
        }

        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            tags.Add(eq > 0 ? part[..eq] + ":" + part[(eq + 1)..] : part);
        }

        return tags;
    }

    /// <summary>One line on standard error as each ingestion phase begins (reports also come from the poller's timer thread).</summary>
    private sealed class PhaseLines(string file) : IProgress<IngestProgress>
    {
        private readonly Lock _gate = new();
        private string _phase = "";

        public void Report(IngestProgress value)
        {
            lock (_gate)
            {
                if (value.Phase == _phase)
                {
                    return;
                }

                _phase = value.Phase;
                Console.Error.WriteLine($"{value.Phase} {file} ({value.TotalBytes:N0} bytes)…");
            }
        }
    }
}
