using System.CommandLine;
using Tributary.Charts;
using Tributary.Query;
using Tributary.Store;

namespace Tributary.Cli.Commands;

/// <summary><c>tributary query "&lt;KQL or .command&gt;" [--format table|csv|json] [--chart FILE] [--param name=value]</c>.</summary>
internal static class QueryCommand
{
    public static Command Create(Option<string> data)
    {
        var text = new Argument<string>("text") { Description = "A KQL query or a control command (.create table …); '-' reads it from standard input" };
        var format = new Option<string>("--format", "-f") { Description = "Output format: table, csv or json", DefaultValueFactory = _ => "table" };
        var chart = new Option<string?>("--chart") { Description = "Where a query ending in 'render …' writes its chart (.png or .svg)" };
        var parameters = new Option<string[]>("--param", "-p") { Description = "A query parameter name=value (repeatable)", AllowMultipleArgumentsPerToken = false };
        var command = new Command("query", "Run a KQL query or a control command and print the result") { text, format, chart, parameters };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            var query = parse.GetValue(text)!;
            if (query == "-")
            {
                query = Console.In.ReadToEnd();
            }

            var outputFormat = ParseFormat(parse.GetValue(format));
            var values = ParseParameters(parse.GetValue(parameters) ?? []);
            var dataDirectory = parse.GetValue(data)!;
            using var ops = Remote.OperationsFactory.Open(dataDirectory);
            var result = ops.Query(query, values, CliRunner.CancelOnCtrlC());
            ResultWriter.Write(result, outputFormat, Console.Out);
            if (result.Render is { } render && render.Kind != "table")
            {
                var path = parse.GetValue(chart) ?? DefaultChartPath(dataDirectory, render.Kind);
                try
                {
                    ChartRenderer.Render(result, render, path);
                }
                catch (ArgumentException e)
                {
                    throw new StoreException($"cannot draw the {render.Kind}: {e.Message}", e);
                }

                Console.Error.WriteLine($"chart written to {Path.GetFullPath(path)}");
            }

            return 0;
        }));
        return command;
    }

    /// <summary>A file beside the data directory: ./.tributary → ./tributary-timechart.png.</summary>
    public static string DefaultChartPath(string dataDirectory, string kind)
    {
        var full = Path.GetFullPath(dataDirectory).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(full) ?? ".";
        return Path.Combine(parent, $"tributary-{kind}.png");
    }

    internal static OutputFormat ParseFormat(string? text) => text?.ToLowerInvariant() switch
    {
        null or "table" => OutputFormat.Table,
        "csv" => OutputFormat.Csv,
        "json" => OutputFormat.Json,
        _ => throw new StoreException($"unknown format '{text}' (expected table, csv or json)"),
    };

    private static Dictionary<string, object?> ParseParameters(string[] pairs)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0)
            {
                throw new StoreException($"--param needs name=value, not '{pair}'");
            }

            values[pair[..eq]] = pair[(eq + 1)..];
        }

        return values;
    }
}
