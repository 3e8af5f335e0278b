using System.CommandLine;
using System.Globalization;
using System.Text;
using Tributary.Cli.Remote;
using Tributary.Fleet;
using Tributary.Store;
using Tributary.Telemetry;

namespace Tributary.Cli.Commands;

/// <summary>
/// <c>tributary generate fleet --from T --to T [--nodes N] [--seed S] [--spike SOURCE@T]…</c>: writes realistic
/// seed-000 source rows for the period into the source tables (apply samples/pipelines/fleet-changes.yaml first).
/// </summary>
internal static class GenerateCommand
{
    public static Command Create(Option<string> data)
    {
        var from = new Option<string>("--from") { Description = "Start of the period (ISO-8601 UTC)", Required = true };
        var to = new Option<string>("--to") { Description = "End of the period, exclusive", Required = true };
        var nodes = new Option<int>("--nodes") { Description = "How many nodes the fleet has", DefaultValueFactory = _ => 200 };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same rows", DefaultValueFactory = _ => 1 };
        var spikes = new Option<string[]>("--spike") { Description = "SOURCE@TIME[xFACTOR][/DURATION]: multiply one system's volume (default x20 for 1h)", AllowMultipleArgumentsPerToken = false };
        var output = new Option<string?>("--out") { Description = "Also keep the generated JSON-lines files in this directory" };
        var fleet = new Command("fleet", "Source rows of the seven change systems of seed 000") { from, to, nodes, seed, spikes, output };
        fleet.SetAction(parse => CliRunner.Run(() =>
        {
            List<FleetSpike> parsedSpikes;
            try
            {
                parsedSpikes = (parse.GetValue(spikes) ?? []).Select(FleetSpike.Parse).ToList();
            }
            catch (FormatException e)
            {
                throw new StoreException($"--spike: {e.Message}", e);
            }

            var options = new FleetGenerateOptions(CliTime.Parse(parse.GetValue(from), "--from"), CliTime.Parse(parse.GetValue(to), "--to"),
                parse.GetValue(nodes), parse.GetValue(seed), parsedSpikes);
            IReadOnlyList<SourceRows> generated;
            try
            {
                generated = FleetChangeGenerator.Generate(options);
            }
            catch (ArgumentException e)
            {
                throw new StoreException(e.Message, e);
            }

            var keep = parse.GetValue(output);
            var dir = keep ?? Path.Combine(Path.GetTempPath(), $"tributary-fleet-{Guid.NewGuid():N}");
            Directory.CreateDirectory(dir);
            try
            {
                using var ops = OperationsFactory.Open(parse.GetValue(data)!);
                foreach (var rows in generated)
                {
                    var path = Path.Combine(dir, rows.Table.Name + ".jsonl");
                    FleetChangeGenerator.WriteJsonLines(rows, path);
                    var result = ops.Ingest(rows.Table.Name, path, Store.Ingestion.IngestFormat.JsonLines, ["generator:fleet", $"seed:{options.Seed}"], CancellationToken.None);
                    Console.WriteLine($"  {rows.Table.Name,-28} {result.Rows,10:N0} rows (extent {result.ExtentId})");
                }

                foreach (var (system, count) in FleetChangeGenerator.CountBySystem(generated))
                {
                    Console.WriteLine($"    {system,-26} {count,10:N0}");
                }

                Console.WriteLine($"generated {generated.Sum(r => r.Rows.Count):N0} source rows for {options.Nodes} nodes, [{Jobs.TimeWindow.Format(options.From)}, {Jobs.TimeWindow.Format(options.To)})" +
                                  (parsedSpikes.Count > 0 ? $", spikes: {string.Join(", ", parsedSpikes.Select(s => $"{s.Source} x{s.Factor} at {Jobs.TimeWindow.Format(s.At)}"))}" : ""));
            }
            finally
            {
                if (keep is null)
                {
                    Directory.Delete(dir, recursive: true);
                }
            }

            return 0;
        }));
        return new Command("generate", "Write realistic generated source data into the data directory, or telemetry into a file") { fleet, Telemetry() };
    }

    /// <summary>
    /// <c>tributary generate telemetry [--batches N] [--events-per-batch N] [--seed S] [--from T] [--to T] [--users N]
    /// [--duplicates F] [--invalid F] [--duplicate-batches F] [--malformed F] [--oversize F] [--oversize-bytes SIZE] --out FILE|-</c>:
    /// Sunbird telemetry batches as JSON lines, the tally on stderr. The file appears whole or not at all.
    /// </summary>
    private static Command Telemetry()
    {
        var defaults = new TelemetryGenerateOptions(DateTime.UnixEpoch, DateTime.UnixEpoch.AddDays(1));
        var batches = new Option<int>("--batches") { Description = "How many batches (lines), re-sent and malformed ones included", DefaultValueFactory = _ => defaults.Batches };
        var perBatch = new Option<int>("--events-per-batch") { Description = "The most events a batch holds (a session's last batch holds fewer)", DefaultValueFactory = _ => defaults.EventsPerBatch };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed and period give the same file", DefaultValueFactory = _ => defaults.Seed };
        var from = new Option<string?>("--from") { Description = "Start of the period of the events' ets (ISO-8601 UTC; default: a day before --to)" };
        var to = new Option<string?>("--to") { Description = "End of the period, exclusive (default: a day after --from, else now)" };
        var users = new Option<int?>("--users") { Description = "How many signed-in users (default: one per six batches, at least 10)" };
        var duplicates = new Option<double>("--duplicates") { Description = "Share of events repeating an earlier event's mid", DefaultValueFactory = _ => defaults.DuplicateEvents };
        var invalid = new Option<double>("--invalid") { Description = "Share of events that break the schemas (no actor, ets not a number, unknown eid)", DefaultValueFactory = _ => defaults.InvalidEvents };
        var duplicateBatches = new Option<double>("--duplicate-batches") { Description = "Share of batches re-sending an earlier params.msgid", DefaultValueFactory = _ => defaults.DuplicateBatches };
        var malformed = new Option<double>("--malformed") { Description = "Share of batches that are not JSON", DefaultValueFactory = _ => defaults.MalformedBatches };
        var oversize = new Option<double>("--oversize") { Description = "Share of events larger than --oversize-bytes", DefaultValueFactory = _ => defaults.OversizeEvents };
        var oversizeBytes = new Option<string>("--oversize-bytes") { Description = "The size oversize events exceed (e.g. 1MB, 64KB)", DefaultValueFactory = _ => "1MB" };
        var output = new Option<string>("--out", "-o") { Description = "The JSON-lines file to write, or - for stdout", Required = true };
        var lookups = new Option<string?>("--lookups") { Description = "Also write devices.csv and users.csv into this directory: the denormalizer's lookups for these batches (ingest them into Devices and Users)" };
        var command = new Command("telemetry", "Sunbird telemetry v3 batches as /v1/telemetry receives them, with duplicates, invalid events and bad batches")
        {
            batches, perBatch, seed, from, to, users, duplicates, invalid, duplicateBatches, malformed, oversize, oversizeBytes, output, lookups,
        };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            Whole("--batches", parse.GetValue(batches), 1, TelemetryGenerateOptions.MaxBatches);
            Whole("--events-per-batch", parse.GetValue(perBatch), 1, TelemetryGenerateOptions.MaxEventsPerBatch);
            if (parse.GetValue(users) is { } u)
            {
                Whole("--users", u, 1, TelemetryGenerateOptions.MaxUsers);
            }

            foreach (var (name, option) in new[] { ("--duplicates", duplicates), ("--invalid", invalid), ("--duplicate-batches", duplicateBatches), ("--malformed", malformed), ("--oversize", oversize) })
            {
                var value = parse.GetValue(option);
                if (!(value >= 0 && value <= 1))
                {
                    throw new StoreException($"{name} must be a fraction between 0 and 1, not {value.ToString(CultureInfo.InvariantCulture)}");
                }
            }

            var sizeText = parse.GetValue(oversizeBytes)!;
            if (!Operations.StreamUnits.TryParseSize(sizeText, out var size) || size < TelemetryGenerateOptions.MinOversizeBytes || size > TelemetryGenerateOptions.MaxOversizeBytes)
            {
                throw new StoreException($"--oversize-bytes '{sizeText}' is not a size between 4KB and 64MB (examples: 64KB, 1MB)");
            }

            var (start, end) = Period(parse.GetValue(from), parse.GetValue(to));
            var options = new TelemetryGenerateOptions(start, end)
            {
                Batches = parse.GetValue(batches),
                EventsPerBatch = parse.GetValue(perBatch),
                Seed = parse.GetValue(seed),
                Users = parse.GetValue(users),
                DuplicateEvents = parse.GetValue(duplicates),
                InvalidEvents = parse.GetValue(invalid),
                DuplicateBatches = parse.GetValue(duplicateBatches),
                MalformedBatches = parse.GetValue(malformed),
                OversizeEvents = parse.GetValue(oversize),
                OversizeBytes = (int)size,
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new StoreException(OptionNames(e.Message), e);
            }

            var lookupDirectory = parse.GetValue(lookups);
            if (lookupDirectory is not null && !Directory.Exists(lookupDirectory))
            {
                throw new StoreException(File.Exists(lookupDirectory) ? $"--lookups '{lookupDirectory}' is a file, not a directory" : $"--lookups '{lookupDirectory}': the directory does not exist");
            }

            var target = parse.GetValue(output)!;
            var collected = lookupDirectory is null ? null : new TelemetryLookups();
            var tally = target == "-" ? WriteToStdout(options, collected) : WriteToFile(options, target, collected);
            Console.Error.WriteLine($"wrote {tally.Batches} batches to {(target == "-" ? "stdout" : target)}, events in [{Jobs.TimeWindow.Format(start)}, {Jobs.TimeWindow.Format(end)}), seed {options.Seed}");
            Console.Error.Write(tally.Format());
            if (collected is not null)
            {
                foreach (var file in WriteLookups(collected, lookupDirectory!, options.From))
                {
                    Console.Error.WriteLine($"wrote {file.Rows:N0} of the {file.Ids:N0} {file.Table.ToLowerInvariant()} the batches hold to {file.Path} (for: tributary ingest {file.Table} {file.Path})");
                }
            }

            return 0;
        }));
        return command;
    }

    private static IReadOnlyList<TelemetryLookupFile> WriteLookups(TelemetryLookups lookups, string directory, DateTime before)
    {
        try
        {
            return lookups.Write(directory, before);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"--lookups '{directory}': cannot write there ({(e is UnauthorizedAccessException ? "permission denied" : e.Message)})", e);
        }
    }

    private static void Whole(string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            throw new StoreException($"{name} must be between {min} and {max}, not {value}");
        }
    }

    /// <summary>The period from --from and --to: either may be left out (a day each way; both out: the day before now).</summary>
    private static (DateTime From, DateTime To) Period(string? fromText, string? toText)
    {
        var from = CliTime.ParseOptional(fromText, "--from");
        var to = CliTime.ParseOptional(toText, "--to") ?? from?.AddDays(1) ?? DateTime.UtcNow;
        from ??= to.AddDays(-1);
        if (from.Value >= to)
        {
            throw new StoreException($"--from ({Jobs.TimeWindow.Format(from.Value)}) must be before --to ({Jobs.TimeWindow.Format(to)})");
        }

        if (from.Value < DateTime.UnixEpoch)
        {
            throw new StoreException($"--from ({Jobs.TimeWindow.Format(from.Value)}) must not be before 1970");
        }

        return (from.Value, to);
    }

    /// <summary>The generator's message in the words of the command line (a backstop: the checks above come first).</summary>
    private static string OptionNames(string message) => message
        .Replace("DuplicateEvents", "--duplicates", StringComparison.Ordinal)
        .Replace("InvalidEvents", "--invalid", StringComparison.Ordinal)
        .Replace("OversizeEvents", "--oversize", StringComparison.Ordinal)
        .Replace("DuplicateBatches", "--duplicate-batches", StringComparison.Ordinal)
        .Replace("MalformedBatches", "--malformed", StringComparison.Ordinal)
        .Replace("From", "--from", StringComparison.Ordinal)
        .Replace("To", "--to", StringComparison.Ordinal);

    private static TelemetryTally WriteToStdout(TelemetryGenerateOptions options, TelemetryLookups? lookups)
    {
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
        return TelemetryGenerator.WriteJsonLines(options, stdout, CliRunner.CancelOnCtrlC(), lookups is null ? null : lookups.Add);
    }

    /// <summary>Writes beside the target and renames at the end, so a failed or cancelled run leaves no partial file.</summary>
    private static TelemetryTally WriteToFile(TelemetryGenerateOptions options, string target, TelemetryLookups? lookups)
    {
        var path = Path.GetFullPath(target);
        var directory = Path.GetDirectoryName(path)!;
        if (Directory.Exists(path))
        {
            throw new StoreException($"--out '{target}' is a directory, not a file");
        }

        if (!Directory.Exists(directory))
        {
            throw new StoreException($"--out '{target}': directory '{directory}' does not exist");
        }

        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            TelemetryTally tally;
            using (var stream = Open(temp, target))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16))
            {
                tally = TelemetryGenerator.WriteJsonLines(options, writer, CliRunner.CancelOnCtrlC(), lookups is null ? null : lookups.Add);
            }

            File.Move(temp, path, overwrite: true);
            return tally;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static FileStream Open(string temp, string target)
    {
        try
        {
            return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"--out '{target}': cannot write there ({(e is UnauthorizedAccessException ? "permission denied" : e.Message)})", e);
        }
    }
}
