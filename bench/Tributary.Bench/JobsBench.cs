using System.Globalization;
using Tributary.Fleet;
using Tributary.Jobs;
using Tributary.Kql;
using Tributary.Kql.Binding;
using Tributary.Pipelines;
using Tributary.Store;

namespace Tributary.Bench;

/// <summary>
/// Jobs throughput: samples/pipelines/fleet-changes.yaml (3 stages, 15 jobs, 10-minute windows) run by
/// <see cref="JobScheduler.RunDueAsync"/> on a fresh store over generated seed-000 source rows, against the same
/// transformation written by hand as one <c>INSERT INTO … SELECT …</c> per target table over the whole period, on the
/// same store and engine.
/// </summary>
internal static class JobsBench
{
    private static readonly DateTime Start = new(2023, 5, 22, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Delay = TimeSpan.FromMinutes(5);

    private static readonly KqlColumn[] CountColumn = [new("Count", KqlType.Long)];

    /// <summary>The pipeline's tables whose rows the baseline writes (its own plain copies, prefixed bl_).</summary>
    private static readonly string[] Written =
    [
        "OMRollouts_EntityModel_Staging", "BatchingEvents_EntityModel_Staging", "OAASRollout_EntityModel_Staging",
        "ScheduledEvents_EntityModel_Staging", "NodeLevelAppDeploymentsRaw", "EntityChangeEvents", "NodeLevelAppDeployments", "ChangeEventV2",
    ];

    public static List<Row> Run(Options options, string root)
    {
        var hours = options.FleetHours;
        var nodes = options.FleetNodes;
        Console.WriteLine($"== jobs throughput: fleet-changes.yaml, {nodes:N0} nodes x {hours} h (load {Timing.Load()})");
        var dataDir = Path.Combine(root, "fleet");
        Directory.CreateDirectory(dataDir);
        IReadOnlyList<SourceRows> generated = [];
        var generate = Timing.Time(() => generated = FleetChangeGenerator.Generate(new FleetGenerateOptions(Start, Start.AddHours(hours), nodes, Seed: 1)));
        var files = new List<(string Table, string Path)>();
        foreach (var t in generated)
        {
            var path = Path.Combine(dataDir, t.Table.Name + ".jsonl");
            FleetChangeGenerator.WriteJsonLines(t, path);
            files.Add((t.Table.Name, path));
        }

        long sourceRows = generated.Sum(t => (long)t.Rows.Count);
        var perTable = string.Join(", ", generated.Select(t => $"{t.Table.Name} {t.Rows.Count:N0}"));
        generated = [];
        Console.WriteLine($"   generated {sourceRows:N0} source rows ({perTable}) in {Timing.F(generate, "0.0")} s");

        var pipeline = LoadPipeline(options.FleetBatch, out var rowLimits);
        if (rowLimits.Count > 0)
        {
            Console.WriteLine($"   rowLimit removed for the benchmark (it models seed 000's memory budget at 200 nodes): {string.Join(", ", rowLimits)}");
        }

        Console.WriteLine(options.FleetBatch is { } forced
            ? $"   every job's batch set to {forced} (--batch)"
            : $"   batch as the file says: {string.Join(", ", pipeline.Jobs.Select(j => j.Definition.Batch).Distinct())} windows a query when behind");

        var jobs = pipeline.Jobs.Count;
        var windowsPerJob = hours * 6;
        var windows = jobs * windowsPerJob;
        var results = new List<Row>();
        var tributary = new List<double>();
        var baseline = new List<double>();
        // Each round runs the whole pipeline on a fresh store: 2 timed rounds by default (--runs 5), 1 with --quick.
        var runs = Math.Max(1, options.Runs - 3);
        var breakdowns = new List<Breakdown>();
        var windowed = new List<double>();
        for (var round = 0; round < options.Warmups + runs; round++)
        {
            var warm = round < options.Warmups;

            // A warm-up runs the first hour only: it compiles the same code paths for a fraction of the time.
            var until = warm ? Start.AddHours(Math.Min(1, hours)) : Start.AddHours(hours);
            var dir = Path.Combine(root, $"jobs-{round}");
            using (var store = TributaryStore.Open(dir))
            {
                var setup = Timing.Time(() => Prepare(store, pipeline, files));
                double ours = 0, duck = 0;
                RunReport? report = null;
                var oursFirst = round % 2 == 0;
                for (var side = 0; side < 2; side++)
                {
                    if ((side == 0) == oursFirst)
                    {
                        ours = Timing.Time(() =>
                        {
                            using var scheduler = JobScheduler.Open(store);
                            report = scheduler.RunDueAsync(until + Delay).GetAwaiter().GetResult();
                        });
                    }
                    else
                    {
                        var statements = new List<double>();
                        duck = Timing.Time(() => RunBaseline(store, Start, until, statements));
                        if (options.Breakdown)
                        {
                            Console.WriteLine($"     SQL statements: {string.Join(", ", statements.Select(Timing.Ms))}");
                        }
                    }
                }

                var expectedWindows = jobs * (int)((until - Start) / TimeSpan.FromMinutes(10));
                if (report!.Succeeded != expectedWindows || report.FailedAttempts != 0)
                {
                    throw new InvalidOperationException($"jobs: {report.Succeeded} windows succeeded and {report.FailedAttempts} attempts failed; expected {expectedWindows} and 0");
                }

                var rows = Check(store, warm ? null : sourceRows);
                var b = Breakdown.Read(store);
                if (options.Breakdown && !warm)
                {
                    var w = Timing.Time(() => RunWindowedSql(store, pipeline, Start, until));
                    windowed.Add(w);
                    Console.WriteLine($"     the jobs' generated SQL run by hand, one INSERT … SELECT per window and job ({report.Succeeded} statements, serial, no scheduler): {Timing.F(w, "0.00")} s");
                }

                Console.WriteLine($"   {(warm ? "warm-up (1 h)" : $"run {round - options.Warmups + 1}")}: setup {Timing.F(setup, "0.0")} s; " +
                    $"jobs {Timing.F(ours, "0.00")} s ({report.Succeeded} windows, {rows:N0} rows through 3 stages), hand-written SQL {Timing.F(duck, "0.00")} s; " +
                    $"{(oursFirst ? "jobs first" : "SQL first")} (load {Timing.Load()})");
                if (!warm)
                {
                    tributary.Add(ours);
                    baseline.Add(duck);
                    breakdowns.Add(b);
                }
            }

            Directory.Delete(dir, recursive: true);
        }

        var o = new Sample("jobs", tributary);
        var d = new Sample("SQL", baseline);
        var oursRate = sourceRows / o.Median;
        var duckRate = sourceRows / d.Median;
        var ratio = oursRate / duckRate;
        var minRatio = d.Min / o.Min;
        var met = ratio >= 0.5;
        var windowRate = windows / o.Median;
        Console.WriteLine($"   jobs: {Rate(oursRate)} source rows/s through 3 stages ({windowRate:0.0} windows/s; median {Timing.Ms(o.Median)}, min {Timing.Ms(o.Min)}), " +
            $"hand-written SQL {Rate(duckRate)} (median {Timing.Ms(d.Median)}, min {Timing.Ms(d.Min)}), ratio {Timing.Ratio(ratio, minRatio)} {(met ? "ok" : "MISSED (target >= 0.5)")}");
        var bd = breakdowns[breakdowns.Count / 2];
        Console.WriteLine($"   per window (from JobAttempts and QueryLog, median run): query staged {Timing.Ms(bd.StageSeconds / bd.Windows)}, " +
            $"start to commit incl. waiting for the store's lock {Timing.Ms(bd.TotalSeconds / bd.Windows)}, {bd.Rows / (double)bd.Windows:0} rows; " +
            $"summed over windows {Timing.F(bd.TotalSeconds, "0.0")} s in {Timing.F(o.Median, "0.0")} s of wall time (windows overlap)");
        var name = $"fleet-changes.yaml, {nodes:N0} nodes x {hours} h: {sourceRows:N0} source rows, {windows:N0} windows, batch {(options.FleetBatch is { } fb ? fb.ToString(CultureInfo.InvariantCulture) : "as in the file (" + pipeline.Jobs[0].Definition.Batch.ToString(CultureInfo.InvariantCulture) + ")")}";
        results.Add(new Row("jobs", name,
            $"{Rate(oursRate)} rows/s, {windowRate:0.0} windows/s ({Timing.Ms(o.Median)}, {Timing.Ms(o.Min)})",
            $"INSERT … SELECT per table: {Rate(duckRate)} rows/s ({Timing.Ms(d.Median)}, {Timing.Ms(d.Min)})",
            Timing.Ratio(ratio, minRatio), "jobs/SQL ≥ 0.5", met, Timing.Load()));
        results.Add(new Row("jobs", "per window: query staged; start to commit incl. waiting for the store's lock (JobAttempts, QueryLog)",
            $"{Timing.Ms(bd.StageSeconds / bd.Windows)}, {Timing.Ms(bd.TotalSeconds / bd.Windows)}", "–", "–", "–", null, Timing.Load()));
        if (windowed.Count > 0)
        {
            var w = new Sample("windowed", windowed);
            results.Add(new Row("jobs", "the jobs' generated SQL, one INSERT … SELECT per window, serial, no scheduler",
                $"{Rate(sourceRows / w.Median)} rows/s ({Timing.Ms(w.Median)}, {Timing.Ms(w.Min)})", "–", Timing.Ratio(o.Median / w.Median, o.Min / w.Min) + " jobs/windowed time", "–", null, Timing.Load()));
        }

        if (options.ShowSql)
        {
            PrintSql(root, pipeline);
        }

        return results;
    }

    /// <summary>The sample pipeline, unchanged but for any rowLimit (fleets this large exceed it by design) and, with --batch, every job's batch.</summary>
    private static PipelineDefinition LoadPipeline(int? batch, out List<string> rowLimits)
    {
        var pipeline = PipelineLoader.Load(RepoPaths.Sample("pipelines", "fleet-changes.yaml"));
        rowLimits = pipeline.Jobs.Where(j => j.Definition.RowLimit is not null).Select(j => $"{j.Definition.Name} ({j.Definition.RowLimit:N0})").ToList();
        return pipeline with { Jobs = pipeline.Jobs.Select(j => j with { Definition = j.Definition with { RowLimit = null, Batch = batch ?? j.Definition.Batch } }).ToList() };
    }

    /// <summary>Applies the pipeline, ingests the source files (one extent each) and creates the baseline's plain tables.</summary>
    private static void Prepare(TributaryStore store, PipelineDefinition pipeline, List<(string Table, string Path)> files)
    {
        PipelineApplier.Apply(store, pipeline);
        foreach (var (table, path) in files)
        {
            store.IngestFile(table, path);
        }

        foreach (var t in pipeline.Tables.Where(t => Written.Contains(t.Name)))
        {
            store.RunSql($"CREATE TABLE bl_{t.Name} ({string.Join(", ", t.Columns.Select(c => $"{Sql.Ident(c.Name)} {KqlTypes.SqlType(c.Type)}"))})", CountColumn);
        }

        store.RunSql("CREATE TABLE bl_ChangeEventV2MaterializedView (Source VARCHAR, \"Timestamp\" BIGINT, ChangeCount BIGINT)", CountColumn);
        store.RunSql("CHECKPOINT", [new KqlColumn("Success", KqlType.Bool)]);
    }

    /// <summary>The three stages (and the view) as hand-written DuckDB SQL over the whole period: one INSERT … SELECT per target table.</summary>
    private static void RunBaseline(TributaryStore store, DateTime from, DateTime to, List<double>? statementSeconds = null)
    {
        foreach (var sql in BaselineSql(from, to))
        {
            var t = Timing.Time(() => store.RunSql(sql, CountColumn));
            statementSeconds?.Add(t);
        }
    }

    /// <summary>
    /// The same windows without the scheduler: each job's generated SQL for each window, one autocommit
    /// <c>INSERT … SELECT</c> on the store's connection into a plain copy of its target, stage after stage.
    /// </summary>
    private static void RunWindowedSql(TributaryStore store, PipelineDefinition pipeline, DateTime from, DateTime to)
    {
        foreach (var t in pipeline.Tables.Where(t => Written.Contains(t.Name)))
        {
            store.RunSql($"CREATE OR REPLACE TABLE w_{t.Name} ({string.Join(", ", t.Columns.Select(c => $"{Sql.Ident(c.Name)} {KqlTypes.SqlType(c.Type)}"))})", CountColumn);
        }

        foreach (var job in pipeline.Jobs.Select(j => j.Definition))
        {
            for (var w = from; w < to; w += job.Window)
            {
                var parameters = new Dictionary<string, object?>(StringComparer.Ordinal) { ["startTime"] = w, ["endTime"] = w + job.Window };
                var translation = store.Translate(job.Query, parameters);
                var columns = string.Join(", ", translation.Columns.Select(c => Sql.Ident(c.Name)));
                store.RunSql($"INSERT INTO w_{job.Target} ({columns}) SELECT {columns} FROM ({translation.Sql}) AS q", CountColumn);
            }
        }
    }

    internal static IReadOnlyList<string> BaselineSql(DateTime from, DateTime to)
    {
        // Datetimes are stored as ticks (100 ns since 0001-01-01).
        var range = $"\"Timestamp\" >= {from.Ticks} AND \"Timestamp\" < {to.Ticks}";
        static string P(string key) => $"coalesce(Properties->>'{key}', '')";
        const string Node = "'Node', concat('node/', NodeId), NodeId";
        static string V(string version, int part) => $"TRY_CAST(split_part({version}, '.', {part}) AS BIGINT)";
        return
        [
            // _Staging: the source rows as they are.
            $"INSERT INTO bl_OMRollouts_EntityModel_Staging SELECT \"Timestamp\", Source, NodeId, ChangeType, Properties FROM EntityModelChangeEvents WHERE {range} AND Source IN ('OMRollout', 'OMRollout:SOC')",
            $"INSERT INTO bl_BatchingEvents_EntityModel_Staging SELECT \"Timestamp\", Source, NodeId, ChangeType, Properties FROM EntityModelChangeEvents WHERE {range} AND Source = 'BatchingEvents'",
            $"INSERT INTO bl_OAASRollout_EntityModel_Staging SELECT \"Timestamp\", Source, NodeId, ChangeType, Properties FROM EntityModelChangeEvents WHERE {range} AND Source = 'OAASRollout'",
            $"INSERT INTO bl_ScheduledEvents_EntityModel_Staging SELECT \"Timestamp\", Source, NodeId, EventType, Properties FROM EntityModelScheduledEvents WHERE {range} AND Source IN ('ScheduledEvents_TMMgmt', 'ScheduledEvents_AzPE')",
            $"INSERT INTO bl_NodeLevelAppDeploymentsRaw SELECT \"Timestamp\", 'ServiceVersionSwitch', NodeId, ServiceName, FromVersion, ToVersion FROM ServiceVersionSwitch WHERE {range}",

            // _EntityModel: enrich and map.
            $"""
            INSERT INTO bl_EntityChangeEvents
            SELECT "Timestamp", Source, {Node}, ChangeType, {P("ServiceName")}, {P("RolloutId")}, {P("TargetBuild")}, {P("Region")}, {P("Cluster")}, {P("Phase")}, Properties
              FROM bl_OMRollouts_EntityModel_Staging WHERE {range}
            UNION ALL
            SELECT "Timestamp", Source, {Node}, ChangeType, {P("ServiceName")}, {P("BatchId")}, '', {P("Region")}, {P("Cluster")},
                   concat({P("Phase")}, ' ', {P("Sequence")}, '/', {P("BatchSize")}), Properties
              FROM bl_BatchingEvents_EntityModel_Staging WHERE {range}
            UNION ALL
            SELECT "Timestamp", Source, {Node}, ChangeType, {P("ServiceName")}, {P("RolloutId")}, {P("TargetVersion")}, {P("Region")}, {P("Cluster")}, {P("Stage")}, Properties
              FROM bl_OAASRollout_EntityModel_Staging WHERE {range}
            UNION ALL
            SELECT "Timestamp", Source, {Node}, EventType, {P("Initiator")}, {P("EventId")}, '', {P("Region")}, {P("Cluster")}, {P("EventStatus")}, Properties
              FROM bl_ScheduledEvents_EntityModel_Staging WHERE {range}
            """,
            $"""
            INSERT INTO bl_NodeLevelAppDeployments
            SELECT "Timestamp", Source, {Node}, ServiceName, FromVersion, ToVersion,
                   CASE WHEN {V("ToVersion", 1)} > {V("FromVersion", 1)} THEN 'Upgrade'
                        WHEN {V("ToVersion", 1)} < {V("FromVersion", 1)} THEN 'Rollback'
                        WHEN {V("ToVersion", 2)} >= {V("FromVersion", 2)} THEN 'Upgrade'
                        ELSE 'Rollback' END
              FROM bl_NodeLevelAppDeploymentsRaw WHERE {range}
            """,

            // _ChangeEventV2: map to the V2 schema.
            $"""
            INSERT INTO bl_ChangeEventV2
            SELECT "Timestamp", Source, EntityType, EntityId,
                   CASE ChangeType WHEN 'Add' THEN 'Create' WHEN 'Delete' THEN 'Delete' ELSE 'Update' END,
                   concat(ServiceName, ' ', ChangeType, ' to build ', TargetVersion, ' (', Status, ') on ', EntityId),
                   json_object('RolloutId', OperationId, 'ServiceName', ServiceName, 'TargetBuild', TargetVersion, 'Region', Region, 'Cluster', Cluster,
                               'Phase', Status, 'Attempt', Properties->'Attempt', 'Tags', Properties->'Details'->'Tags'),
                   'MapOMRollouts_ChangeEventV2'
              FROM bl_EntityChangeEvents WHERE {range} AND Source IN ('OMRollout', 'OMRollout:SOC')
            UNION ALL
            SELECT "Timestamp", Source, EntityType, EntityId,
                   CASE ChangeType WHEN 'BatchStarted' THEN 'BatchStart' WHEN 'BatchAborted' THEN 'BatchAbort' ELSE 'BatchEnd' END,
                   concat('batch ', OperationId, ' ', ChangeType, ' for ', ServiceName, ' on ', EntityId, ' (', Status, ')'),
                   json_object('BatchId', OperationId, 'ServiceName', ServiceName, 'Region', Region, 'Cluster', Cluster, 'Progress', Status,
                               'BatchSize', Properties->'BatchSize'),
                   'MapBatchingEvents_ChangeEventV2'
              FROM bl_EntityChangeEvents WHERE {range} AND Source = 'BatchingEvents'
            UNION ALL
            SELECT "Timestamp", Source, EntityType, EntityId,
                   CASE ChangeType WHEN 'Install' THEN 'Create' WHEN 'Uninstall' THEN 'Delete' ELSE 'Update' END,
                   concat(ServiceName, ' ', ChangeType, ' to ', TargetVersion, ' (', Status, ') on ', EntityId),
                   json_object('RolloutId', OperationId, 'ServiceName', ServiceName, 'TargetVersion', TargetVersion, 'Region', Region, 'Cluster', Cluster,
                               'Stage', Status, 'Attempt', Properties->'Attempt'),
                   'MapOAASRollout_ChangeEventV2'
              FROM bl_EntityChangeEvents WHERE {range} AND Source = 'OAASRollout'
            UNION ALL
            SELECT "Timestamp", Source, EntityType, EntityId,
                   CASE WHEN ChangeType IN ('Terminate', 'Preempt') THEN 'Delete' WHEN ChangeType = 'LiveMigration' THEN 'Move' ELSE 'Maintenance' END,
                   concat(ChangeType, ' ', Status, ' on ', EntityId, ' by ', ServiceName, ', not before ', {P("NotBefore")}),
                   json_object('EventId', OperationId, 'EventType', ChangeType, 'EventStatus', Status, 'Region', Region, 'Cluster', Cluster,
                               'NotBefore', Properties->'NotBefore', 'DurationInSeconds', Properties->'DurationInSeconds', 'Resources', Properties->'Resources'),
                   'MapScheduledEvents_ChangeEventV2'
              FROM bl_EntityChangeEvents WHERE {range} AND Source IN ('ScheduledEvents_TMMgmt', 'ScheduledEvents_AzPE')
            UNION ALL
            SELECT "Timestamp", Source, EntityType, EntityId,
                   CASE WHEN Direction = 'Rollback' THEN 'Rollback' ELSE 'Update' END,
                   concat(ServiceName, ' ', FromVersion, ' -> ', ToVersion, ' on ', EntityId),
                   json_object('ServiceName', ServiceName, 'FromVersion', FromVersion, 'ToVersion', ToVersion, 'Direction', Direction),
                   'MoveNodeLevelAppDeploymentsToChangeEventV2'
              FROM bl_NodeLevelAppDeployments WHERE {range}
            """,

            // The materialized view, computed once at the end.
            "INSERT INTO bl_ChangeEventV2MaterializedView SELECT Source, \"Timestamp\" // 6000000000 * 6000000000, count(*) FROM bl_ChangeEventV2 GROUP BY ALL",
        ];
    }

    /// <summary>Both sides wrote the same rows into every table (checked untimed); returns the rows in ChangeEventV2.</summary>
    private static long Check(TributaryStore store, long? expected)
    {
        var columns = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["EntityChangeEvents"] = "\"Timestamp\", Source, EntityType, EntityId, NodeId, ChangeType, ServiceName, OperationId, TargetVersion, Region, Cluster, Status, Properties::VARCHAR",
            ["NodeLevelAppDeployments"] = "\"Timestamp\", Source, EntityType, EntityId, NodeId, ServiceName, FromVersion, ToVersion, Direction",
            ["ChangeEventV2"] = "\"Timestamp\", Source, EntityType, EntityId, ChangeKind, Summary, Details::VARCHAR, Job",
            ["ChangeEventV2MaterializedView"] = "Source, \"Timestamp\", ChangeCount",
        };
        long final = 0;
        foreach (var (table, list) in columns)
        {
            string Fingerprint(string t) =>
                string.Join(" ", store.RunSql($"SELECT count(*)::VARCHAR, coalesce(sum(hash({list})), 0)::VARCHAR FROM {t}", [new("n", KqlType.String), new("h", KqlType.String)]).Rows[0]);
            var ours = Fingerprint(Sql.Ident(table));
            var theirs = Fingerprint("bl_" + table);
            if (ours != theirs)
            {
                throw new InvalidOperationException($"jobs: {table} differs from the hand-written SQL's (count, hash): {ours} vs {theirs}");
            }

            if (table == "ChangeEventV2")
            {
                final = long.Parse(ours.Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        if (expected is { } e && final != e)
        {
            throw new InvalidOperationException($"jobs: ChangeEventV2 holds {final:N0} rows, expected every source row ({e:N0})");
        }

        return final;
    }

    private static void PrintSql(string root, PipelineDefinition pipeline)
    {
        var dir = Path.Combine(root, "jobs-sql");
        using var store = TributaryStore.Open(dir);
        PipelineApplier.Apply(store, pipeline);
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal) { ["startTime"] = Start, ["endTime"] = Start.AddMinutes(10) };
        foreach (var j in pipeline.Jobs)
        {
            Console.WriteLine($"-- {j.Definition.Name}: generated SQL for one window\n{store.Translate(j.Definition.Query, parameters).Sql}\n");
        }

        foreach (var sql in BaselineSql(Start, Start.AddHours(1)))
        {
            Console.WriteLine($"-- baseline\n{sql}\n");
        }
    }

    private static string Rate(double rowsPerSecond) => rowsPerSecond >= 1e6
        ? (rowsPerSecond / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " M"
        : (rowsPerSecond / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " k";

    /// <summary>What the ledger says the windows cost: attempt durations (the staged query) and QueryLog durations (from the start to the commit, waiting for the lock included).</summary>
    private sealed record Breakdown(long Windows, long Rows, double StageSeconds, double TotalSeconds)
    {
        public static Breakdown Read(TributaryStore store)
        {
            var a = store.LedgerQuery("SELECT count(*), coalesce(sum(rows_written), 0)::BIGINT, coalesce(sum(duration_ticks), 0)::BIGINT FROM tributary_meta.job_attempts WHERE state = 'Succeeded'")[0];
            var q = store.LedgerQuery("SELECT coalesce(sum(duration_ticks), 0)::BIGINT FROM tributary_meta.query_log WHERE user_name LIKE 'job:%'")[0];
            return new Breakdown(L(a[0]), L(a[1]), L(a[2]) / 1e7, L(q[0]) / 1e7);
        }

        private static long L(object? v) => Convert.ToInt64(v, CultureInfo.InvariantCulture);
    }
}
