using System.CommandLine;
using Tributary.Cli.Remote;
using Tributary.Fleet;
using Tributary.Store;

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
        return new Command("generate", "Write realistic generated source data into the data directory") { fleet };
    }
}
