using System.Text.Json;

namespace Tributary.Cli.Tests;

/// <summary>
/// Seed 000's pipeline (samples/pipelines/fleet-changes.yaml) driven through the CLI: its jobs, the queries that count
/// source rows and ChangeEventV2 rows per system, and the extents each job window wrote.
/// </summary>
internal static class FleetCli
{
    /// <summary>The jobs' start and the generated period.</summary>
    public const string From = "2023-05-22T00:00";

    public const string To = "2023-05-22T06:00";

    /// <summary>Every window of [From, To) is due by then (10m windows, 5m delay).</summary>
    public const string Until = "2023-05-22T06:10";

    /// <summary>Windows per job in [From, To).</summary>
    public const int WindowsPerJob = 36;

    public static readonly string[] Jobs =
    [
        "GetOMRollouts_EntityModel_Staging", "GetBatchingEvents_EntityModel_Staging", "GetOAASRollout_EntityModel_Staging",
        "GetScheduledEvents_EntityModel_Staging", "GetNodeLevelAppDeploymentsRaw",
        "OMRollOuts_EntityModel", "MapBatchingEvents_EntityModel", "MapOAASRollout_EntityModel", "MapScheduledEvents_EntityModel",
        "GetNodeLevelAppDeployments",
        "MapOMRollouts_ChangeEventV2", "MapBatchingEvents_ChangeEventV2", "MapOAASRollout_ChangeEventV2",
        "MapScheduledEvents_ChangeEventV2", "MoveNodeLevelAppDeploymentsToChangeEventV2",
    ];

    /// <summary>The five jobs that write ChangeEventV2.</summary>
    public static readonly string[] ChangeEventV2Jobs = Jobs.Where(j => j.Contains("ChangeEventV2", StringComparison.Ordinal)).ToArray();

    /// <summary>The seven source systems of seed 000.</summary>
    public static readonly string[] Systems =
        ["BatchingEvents", "OAASRollout", "OMRollout", "OMRollout:SOC", "ScheduledEvents_AzPE", "ScheduledEvents_TMMgmt", "ServiceVersionSwitch"];

    private static readonly Lazy<string> Pipeline = new(() => FindUp(Path.Combine("samples", "pipelines", "fleet-changes.yaml")));

    /// <summary>The pipeline file in the repository.</summary>
    public static string PipelinePath => Pipeline.Value;

    /// <summary>Source rows per system: EntityModelChangeEvents and EntityModelScheduledEvents by Source, plus ServiceVersionSwitch's count.</summary>
    public static SortedDictionary<string, long> SourceCounts(CliProcess cli)
    {
        var counts = CliAssert.Counts(cli.Run("query", "EntityModelChangeEvents | summarize count() by Source", "--format", "csv"));
        foreach (var (source, n) in CliAssert.Counts(cli.Run("query", "EntityModelScheduledEvents | summarize count() by Source", "--format", "csv")))
        {
            counts.Add(source, n);
        }

        counts.Add("ServiceVersionSwitch", CliAssert.Scalar(cli.Run("query", "ServiceVersionSwitch | count", "--format", "csv")));
        return counts;
    }

    /// <summary><c>ChangeEventV2 | summarize count() by Source</c>.</summary>
    public static SortedDictionary<string, long> ChangeEventV2Counts(CliProcess cli) =>
        CliAssert.Counts(cli.Run("query", "ChangeEventV2 | summarize count() by Source", "--format", "csv"));

    /// <summary>The materialized view's change counts per system.</summary>
    public static SortedDictionary<string, long> ViewCounts(CliProcess cli) =>
        CliAssert.Counts(cli.Run("query", "ChangeEventV2MaterializedView | summarize sum(ChangeCount) by Source", "--format", "csv"));

    /// <summary>ChangeEventV2 and its materialized view hold, per system, exactly the expected rows.</summary>
    public static void AssertExact(CliProcess cli, IReadOnlyDictionary<string, long> expected, string when)
    {
        var table = ChangeEventV2Counts(cli);
        Assert.True(expected.SequenceEqual(table), $"{when}: ChangeEventV2 per Source\n expected {Show(expected)}\n actual   {Show(table)}");
        var view = ViewCounts(cli);
        Assert.True(expected.SequenceEqual(view), $"{when}: ChangeEventV2MaterializedView sum(ChangeCount) per Source\n expected {Show(expected)}\n actual   {Show(view)}");
    }

    /// <summary>How many extents of <paramref name="table"/> carry each window tag (<c>window:JOB@START</c>), and their rows.</summary>
    public static Dictionary<string, (int Extents, long Rows)> ExtentsPerWindow(CliProcess cli, string table)
    {
        var r = CliAssert.Ok(cli.Run("query", $".show table {table} extents", "--format", "json"));
        using var doc = JsonDocument.Parse(r.Stdout);
        var result = new Dictionary<string, (int Extents, long Rows)>(StringComparer.Ordinal);
        foreach (var extent in doc.RootElement.EnumerateArray())
        {
            var tags = extent.GetProperty("Tags").GetString() ?? "";
            var windows = tags.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(t => t.StartsWith("window:", StringComparison.Ordinal)).ToList();
            Assert.True(windows.Count == 1, $"extent {extent.GetProperty("ExtentId")} of {table} has {windows.Count} window tags: {tags}");
            var (n, rows) = result.GetValueOrDefault(windows[0]);
            result[windows[0]] = (n + 1, rows + extent.GetProperty("RowCount").GetInt64());
        }

        return result;
    }

    /// <summary>The window tag a job window's extents carry.</summary>
    public static string WindowTag(string job, DateTime start) => $"window:{job}@{start:yyyy-MM-dd'T'HH:mm:ss'Z'}";

    /// <summary>The starts of the windows of [From, To).</summary>
    public static IEnumerable<DateTime> WindowStarts() =>
        Enumerable.Range(0, WindowsPerJob).Select(i => new DateTime(2023, 5, 22, 0, 0, 0, DateTimeKind.Utc).AddMinutes(10 * i));

    public static string Show(IEnumerable<KeyValuePair<string, long>> counts) => string.Join(", ", counts.Select(p => $"{p.Key}={p.Value}"));

    /// <summary>A file found by walking up from the test's output directory to the repository.</summary>
    public static string FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relative} is not above {AppContext.BaseDirectory}");
    }
}
