using System.Globalization;
using Tributary.Fleet;
using Tributary.Tests.Store;
using Xunit.Abstractions;

namespace Tributary.Tests.Fleet;

/// <summary>
/// samples/pipelines/fleet-changes.yaml, seed 000's pipeline: its tables, functions and view load into a real store,
/// and running its jobs by hand window by window carries every source row to ChangeEventV2 exactly once.
/// </summary>
public sealed class FleetPipelineTests(ITestOutputHelper output) : TempDirectoryTest("fleet-pipeline")
{
    private static readonly DateTime Start = new(2023, 5, 22, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    private static readonly string[] SeedJobs =
    [
        "GetOMRollouts_EntityModel_Staging", "GetBatchingEvents_EntityModel_Staging", "GetOAASRollout_EntityModel_Staging",
        "GetScheduledEvents_EntityModel_Staging", "GetNodeLevelAppDeploymentsRaw",
        "OMRollOuts_EntityModel", "MapBatchingEvents_EntityModel", "MapOAASRollout_EntityModel", "MapScheduledEvents_EntityModel",
        "GetNodeLevelAppDeployments",
        "MapOMRollouts_ChangeEventV2", "MapBatchingEvents_ChangeEventV2", "MapOAASRollout_ChangeEventV2",
        "MapScheduledEvents_ChangeEventV2", "MoveNodeLevelAppDeploymentsToChangeEventV2",
    ];

    private static PipelineFile Pipeline() => PipelineFile.Load(PipelineFile.SamplePath("fleet-changes.yaml"));

    /// <summary>Creates the pipeline's tables, functions and views in the store.</summary>
    private static void Deploy(TempStore store, PipelineFile pipeline)
    {
        foreach (var table in pipeline.Tables)
        {
            store.Execute(PipelineFile.CreateTable(table));
        }

        foreach (var function in pipeline.Functions)
        {
            store.Execute(PipelineFile.CreateFunction(function));
        }

        foreach (var view in pipeline.Views)
        {
            store.Execute(PipelineFile.CreateView(view));
        }
    }

    private void Ingest(TempStore store, IReadOnlyList<SourceRows> rows)
    {
        foreach (var table in rows)
        {
            var path = Path.Combine(Dir, table.Table.Name + ".jsonl");
            FleetChangeGenerator.WriteJsonLines(table, path);
            store.Store.IngestFile(table.Table.Name, path);
        }
    }

    private static long RunJob(TempStore store, PipelineFile.PipelineJob job, DateTime start)
    {
        var result = store.Execute($".set-or-append {job.Target} <| {PipelineFile.Bind(job.Query, start, start + Window)}");
        return (long)result.Rows[0][result.IndexOf("RowCount")]!;
    }

    private static Dictionary<string, long> CountBySource(TempStore store, string query) =>
        store.Rows($"{query} | summarize n = count() by Source").ToDictionary(r => (string)r[0]!, r => (long)r[1]!);

    private static Dictionary<string, long> NonZero(IReadOnlyDictionary<string, long> counts) =>
        counts.Where(p => p.Value > 0).ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void Yaml_DeclaresSeed000sTablesJobsAndView()
    {
        var pipeline = Pipeline();
        Assert.Equal(SeedJobs.Order(StringComparer.Ordinal), pipeline.Jobs.Select(j => j.Name).Order(StringComparer.Ordinal));
        string[] tables =
        [
            "EntityModelChangeEvents", "EntityModelScheduledEvents", "ServiceVersionSwitch",
            "OMRollouts_EntityModel_Staging", "BatchingEvents_EntityModel_Staging", "OAASRollout_EntityModel_Staging",
            "ScheduledEvents_EntityModel_Staging", "NodeLevelAppDeploymentsRaw", "EntityChangeEvents", "NodeLevelAppDeployments", "ChangeEventV2",
        ];
        Assert.Equal(tables, pipeline.Tables.Select(t => t.Name));
        foreach (var source in FleetSources.Tables)
        {
            var declared = pipeline.Tables.Single(t => t.Name == source.Name);
            Assert.Equal(source.CslSchema, string.Join(", ", declared.Columns.Select(c => $"{c.Name}:{c.Type}")));
        }

        var view = Assert.Single(pipeline.Views);
        Assert.Equal(("ChangeEventV2MaterializedView", "ChangeEventV2"), (view.Name, view.Source));

        var names = pipeline.Jobs.Select(j => j.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var job in pipeline.Jobs)
        {
            Assert.Contains(job.Target, tables);
            Assert.All(job.DependsOn, d => Assert.Contains(d, names));
            Assert.Equal(job.Name.Contains("Staging", StringComparison.Ordinal) || job.Name == "GetNodeLevelAppDeploymentsRaw", job.DependsOn.Count == 0);
            Assert.Equal("10m", job.Fields["window"]);
            Assert.Equal("5m", job.Fields["delay"]);
            Assert.Equal("2023-05-22T00:00:00Z", job.Fields["start"]);
            Assert.Equal($"f{job.Name}(startTime, endTime)", job.Query);
            Assert.Contains(pipeline.Functions, f => job.Query.StartsWith(f.Name + "(", StringComparison.Ordinal));
        }

        Assert.Equal(["OMRollOuts_EntityModel"], pipeline.Jobs.Where(j => j.Fields.ContainsKey("rowLimit")).Select(j => j.Name));
        Assert.Equal("ChangeEventV2", pipeline.Jobs.Single(j => j.Name == "MoveNodeLevelAppDeploymentsToChangeEventV2").Target);
        Assert.Equal(["GetNodeLevelAppDeployments"], pipeline.Jobs.Single(j => j.Name == "MoveNodeLevelAppDeploymentsToChangeEventV2").DependsOn);
        Assert.Equal(["OMRollOuts_EntityModel"], pipeline.Jobs.Single(j => j.Name == "MapOMRollouts_ChangeEventV2").DependsOn);
        Assert.Equal(["GetOMRollouts_EntityModel_Staging"], pipeline.Jobs.Single(j => j.Name == "OMRollOuts_EntityModel").DependsOn);
        // Seed 000's statistics tables and load query, over the real job history.
        Assert.Subset(pipeline.Functions.Select(f => f.Name).ToHashSet(), new HashSet<string> { "KO_RepeatableQueryStatistic", "KO_StreamingQueryStatistic", "UserRecentFailures" });
    }

    [Fact]
    public void Functions_AreValidKql_AndTheJobChain_CarriesEveryRowToChangeEventV2()
    {
        var pipeline = Pipeline();
        using var store = new TempStore();
        Deploy(store, pipeline);
        Assert.Equal(pipeline.Functions.Count, store.Rows(".show functions").Count);

        var rows = FleetChangeGenerator.Generate(new FleetGenerateOptions(Start, Start.AddHours(1), Seed: 5));
        Ingest(store, rows);
        var jobs = pipeline.JobsInDependencyOrder();
        for (var w = Start; w < Start.AddHours(1); w += Window)
        {
            foreach (var job in jobs)
            {
                RunJob(store, job, w);
            }

            // After each window, ChangeEventV2 holds exactly that window's rows of every system.
            var expected = NonZero(FleetChangeGenerator.CountBySystem(rows, w, w + Window));
            var actual = CountBySource(store, $"ChangeEventV2 | where Timestamp >= {PipelineFile.Literal(w)} and Timestamp < {PipelineFile.Literal(w + Window)}");
            output.WriteLine($"{w:HH:mm} {string.Join(", ", actual.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}");
            Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
        }

        var all = NonZero(FleetChangeGenerator.CountBySystem(rows));
        Assert.Equal(FleetSources.All.Order(StringComparer.Ordinal), all.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(all.OrderBy(p => p.Key, StringComparer.Ordinal), CountBySource(store, "ChangeEventV2").OrderBy(p => p.Key, StringComparer.Ordinal));

        // Every stage in between holds its systems' rows exactly once too.
        var entityModel = all.Where(p => p.Key != FleetSources.ServiceVersionSwitch).OrderBy(p => p.Key, StringComparer.Ordinal);
        Assert.Equal(entityModel, CountBySource(store, "EntityChangeEvents").OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(all[FleetSources.ServiceVersionSwitch], store.Count("NodeLevelAppDeploymentsRaw"));
        Assert.Equal(all[FleetSources.ServiceVersionSwitch], store.Count("NodeLevelAppDeployments"));
        Assert.Equal(all[FleetSources.OMRollout] + all[FleetSources.OMRolloutSoc], store.Count("OMRollouts_EntityModel_Staging"));
        Assert.Equal(all[FleetSources.ScheduledEventsTMMgmt] + all[FleetSources.ScheduledEventsAzPE], store.Count("ScheduledEvents_EntityModel_Staging"));

        // The materialized view counts the same, per system and 10-minute bin.
        var view = store.Rows("ChangeEventV2MaterializedView")
            .Select(r => ((string)r[0]!, (DateTime)r[1]!, (long)r[2]!)).Order().ToList();
        var bins = rows.SelectMany(t => Enumerable.Range(0, 6).Select(i => Start + (i * Window)))
            .Distinct()
            .SelectMany(b => FleetChangeGenerator.CountBySystem(rows, b, b + Window).Where(p => p.Value > 0).Select(p => (p.Key, b, p.Value)))
            .Order().ToList();
        Assert.Equal(bins, view);

        // The enrichment: ids, kinds, details and the job that wrote each row.
        Assert.Equal(0L, store.Scalar("ChangeEventV2 | where not(EntityId startswith 'node/') or EntityType != 'Node' or isempty(Summary) | count"));
        Assert.Equal(0L, store.Scalar("ChangeEventV2 | where ChangeKind !in ('Create', 'Update', 'Delete', 'BatchStart', 'BatchEnd', 'BatchAbort', 'Maintenance', 'Move', 'Rollback') | count"));
        Assert.Equal(
            [
                ("BatchingEvents", "MapBatchingEvents_ChangeEventV2"), ("OAASRollout", "MapOAASRollout_ChangeEventV2"),
                ("OMRollout", "MapOMRollouts_ChangeEventV2"), ("OMRollout:SOC", "MapOMRollouts_ChangeEventV2"),
                ("ScheduledEvents_AzPE", "MapScheduledEvents_ChangeEventV2"), ("ScheduledEvents_TMMgmt", "MapScheduledEvents_ChangeEventV2"),
                ("ServiceVersionSwitch", "MoveNodeLevelAppDeploymentsToChangeEventV2"),
            ],
            store.Rows("ChangeEventV2 | distinct Source, Job").Select(r => ((string)r[0]!, (string)r[1]!)).Order());
        Assert.Equal(0L, store.Scalar(
            "ChangeEventV2 | where Source startswith 'OMRollout' and (isempty(tostring(Details.RolloutId)) or isempty(tostring(Details.TargetBuild))) | count"));
        Assert.Equal(0L, store.Scalar("ChangeEventV2 | where Source startswith 'Scheduled' and array_length(Details.Resources) < 1 | count"));
        Assert.True((long)store.Scalar("ChangeEventV2 | where ChangeKind == 'Rollback' | count")! > 0);
        Assert.Equal(0L, store.Scalar("ChangeEventV2 | where Source == 'ServiceVersionSwitch' and tostring(Details.FromVersion) == tostring(Details.ToVersion) | count"));
    }

    [Fact]
    public void RowLimit_NormalVolumeUnderHalf_A20xOMRolloutSpikeExceedsIt()
    {
        var pipeline = Pipeline();
        var job = pipeline.Jobs.Single(j => j.Name == "OMRollOuts_EntityModel");
        var limit = long.Parse(job.Fields["rowLimit"], CultureInfo.InvariantCulture);

        // Normal volume over six hours: every window of the job's input is well under half the limit.
        var normal = FleetChangeGenerator.Generate(new FleetGenerateOptions(Start, Start.AddHours(6)));
        var worst = Enumerable.Range(0, 36).Select(i => Start + (i * Window))
            .Max(w => FleetChangeGenerator.ExpectedRows(normal, FleetSources.OMRollout, w, w + Window)
                      + FleetChangeGenerator.ExpectedRows(normal, FleetSources.OMRolloutSoc, w, w + Window));
        output.WriteLine($"rowLimit {limit}; busiest normal window {worst}");
        Assert.True(worst * 2 < limit, $"busiest normal window has {worst} rows; the limit {limit} should be over twice that");

        // A 20x OMRollout spike over 00:10-00:20: the job's query returns more than the limit for that window only.
        var spiked = FleetChangeGenerator.Generate(new FleetGenerateOptions(Start, Start.AddMinutes(30),
            Spikes: [new FleetSpike(FleetSources.OMRollout, Start + Window, 20, Window)]));
        using var store = new TempStore();
        Deploy(store, pipeline);
        Ingest(store, spiked);
        var staging = pipeline.Jobs.Single(j => j.Name == "GetOMRollouts_EntityModel_Staging");
        var counts = new List<long>();
        for (var w = Start; w < Start.AddMinutes(30); w += Window)
        {
            RunJob(store, staging, w);
            counts.Add((long)store.Scalar($"{PipelineFile.Bind(job.Query, w, w + Window)} | count")!);
        }

        output.WriteLine($"OMRollOuts_EntityModel output per window: {string.Join(", ", counts)}");
        Assert.True(counts[0] * 2 < limit);
        Assert.True(counts[1] > limit, $"the spike window returned {counts[1]} rows, not over the limit {limit}");
        Assert.True(counts[2] * 2 < limit);
    }
}
