using DuckDB.NET.Data;
using Tributary.Jobs;
using Tributary.Kql;
using Tributary.Kql.Binding;
using Tributary.Pipelines;
using Tributary.Store;

namespace Tributary.Bench;

/// <summary>
/// The scheduler's fixed cost per window: a trivial job (one row a window, or none) over N one-minute windows run by
/// <see cref="JobScheduler.RunDueAsync"/>, then the steps one window takes (the same internal calls the scheduler makes)
/// timed one by one, with a bare DuckDB commit as the floor.
/// </summary>
internal static class SchedulerBench
{
    private const double TargetSeconds = 0.005;
    private static readonly DateTime T0 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly KqlColumn[] CountColumn = [new("Count", KqlType.Long)];

    /// <summary>One case: a job's query and its parallelism.</summary>
    private sealed record Case(string Name, string Job, string Query, int MaxParallelism, bool OneRow, int Batch = JobDefinition.DefaultBatch);

    public static List<Row> Run(Options options, string root)
    {
        var n = options.SchedulerWindows;
        Console.WriteLine($"== scheduler overhead: trivial jobs over {n:N0} one-minute windows each (load {Timing.Load()})");
        var results = new List<Row>();
        Case[] cases =
        [
            new("print, 1 row a window, default settings (maxParallelism 5, batch 48)", "Print5", "print Timestamp = startTime, N = 1", 5, true),
            new("empty range, 0 rows a window, default settings", "Empty5", "Empty | where Timestamp >= startTime and Timestamp < endTime", 5, false),
            new("print, 1 row a window, batch 1 (a query and a commit per window), maxParallelism 5", "Print5Alone", "print Timestamp = startTime, N = 1", 5, true, 1),
            new("print, 1 row a window, batch 1, maxParallelism 1", "Print1", "print Timestamp = startTime, N = 1", 1, true, 1),
        ];

        var steps = new List<Row>();
        foreach (var c in cases)
        {
            // A short untimed warm-up on a store of its own, so JIT is not in the figure.
            var warmDir = Path.Combine(root, "scheduler-warm-" + c.Job);
            using (var warm = TributaryStore.Open(warmDir))
            {
                Apply(warm, c);
                using var scheduler = JobScheduler.Open(warm);
                scheduler.RunDueAsync(T0.AddMinutes(20)).GetAwaiter().GetResult();
            }

            Directory.Delete(warmDir, recursive: true);
            var dir = Path.Combine(root, "scheduler-" + c.Job);
            using (var store = TributaryStore.Open(dir))
            {
                Apply(store, c);
                var half = n / 2;
                long reported = 0;
                double first, second;
                using (var scheduler = JobScheduler.Open(store))
                {
                    first = Timing.Time(() => reported += Check(scheduler.RunDueAsync(T0.AddMinutes(half)).GetAwaiter().GetResult(), half)) / half;
                    second = Timing.Time(() => reported += Check(scheduler.RunDueAsync(T0.AddMinutes(n)).GetAwaiter().GetResult(), n - half)) / (n - half);
                }

                var rows = (long)store.Execute("Tick | count").Rows[0][0]!;
                var perWindow = ((first * half) + (second * (n - half))) / n;
                var met = perWindow < TargetSeconds;
                var undercount = c.OneRow && reported != rows ? $"; RunReport.RowsWritten says {reported:N0} rows, the table holds {rows:N0}" : "";
                Console.WriteLine($"   {c.Name}: {Timing.Ms(perWindow)} a window ({1 / perWindow:0} windows/s); first half {Timing.Ms(first)}, second half {Timing.Ms(second)}" +
                    $"{undercount} {(met ? "ok" : "MISSED (target < 5 ms)")} (load {Timing.Load()})");
                results.Add(new Row("scheduler", $"{c.Name}, {n:N0} windows", $"{Timing.Ms(perWindow)} a window (first half {Timing.Ms(first)}, second {Timing.Ms(second)})",
                    "–", "–", "< 5 ms a window", met, Timing.Load()));
                if (c.MaxParallelism == 1)
                {
                    // The steps one window takes, timed one by one on this store (its ledger holds the n windows just run).
                    steps.AddRange(Steps(store, c, n));
                }
            }

            Directory.Delete(dir, recursive: true);
        }

        results.AddRange(steps);
        return results;
    }

    private static long Check(RunReport report, int windows)
    {
        if (report.Succeeded != windows || report.FailedAttempts != 0)
        {
            throw new InvalidOperationException($"scheduler: {report.Succeeded} windows succeeded and {report.FailedAttempts} attempts failed; expected {windows} and 0");
        }

        return report.RowsWritten;
    }

    private static void Apply(TributaryStore store, Case c)
    {
        var yaml = $"""
            tables:
              Tick: {"{"} Timestamp: datetime, N: long {"}"}
              Empty: {"{"} Timestamp: datetime, N: long {"}"}
            jobs:
              {c.Job}:
                query: "{c.Query}"
                target: Tick
                window: 1m
                delay: 0s
                start: {TimeWindow.Format(T0)}
                maxParallelism: {c.MaxParallelism}
                batch: {c.Batch}
            """;
        PipelineApplier.Apply(store, PipelineLoader.Parse(yaml, "scheduler-bench.yaml"));
    }

    /// <summary>
    /// The steps of one window, each timed on its own, serially, the way <c>JobScheduler.Start</c> and <c>Execute</c> make them,
    /// on a store whose ledger already holds the windows of a run.
    /// </summary>
    private static List<Row> Steps(TributaryStore store, Case c, int n)
    {
        var results = new List<Row>();
        var m = Math.Clamp(n / 4, 50, 300);
        Console.WriteLine($"   steps of one window ({c.Name}), each timed {m} times one after another, on its store after its {n:N0} windows (load {Timing.Load()})");

        // As JobScheduler.Start and Execute make them (as of commit 0b9ad13: pooled staging connections, QueryLog in the commit).
        {
            var definition = new JobLedger(store).LoadJobs().Single(j => j.Definition.Name == c.Job).Definition;
            store.RunSql("CREATE TABLE bench_commit (i BIGINT)", CountColumn);
            var database = Path.Combine(store.DataDirectory, TributaryStore.DatabaseFileName);
            var steps = new (string Name, List<double> Times)[]
            {
                ("translate the query (store.Translate)", []),
                ("a new connection + session set-up (2 SETs, 3 macros; staging pools them)", []),
                ("stage: StageQuery (translate, pooled connection, CREATE TEMP TABLE AS, count)", []),
                ("commit: CommitStaged with RecordAttempt + SaveWindow + QueryLog row (nothing is written when an attempt starts)", []),
                ("release: drop the staged table, connection back to the pool", []),
                ("floor: one-row INSERT, autocommit (bare DuckDB commit)", []),
            };
            for (var i = 0; i < m; i++)
            {
                var window = new TimeWindow(T0.AddMinutes(n + i), T0.AddMinutes(n + i + 1));
                var parameters = new Dictionary<string, object?>(StringComparer.Ordinal) { ["startTime"] = window.Start, ["endTime"] = window.End };
                var record = new WindowRecord(c.Job, window) { Attempts = 1, TotalAttempts = 1, State = WindowState.Running, UpdatedOn = DateTime.UtcNow };
                var attempt = new AttemptRecord(Guid.NewGuid(), c.Job, window, 1, DateTime.UtcNow, JobScheduler.BoundQueryText(definition, window), definition.Target, null);
                var k = 0;
                steps[k++].Times.Add(Timing.Time(() => store.Translate(definition.Query, parameters)));
                steps[k++].Times.Add(Timing.Time(() => OpenSession(database).Dispose()));
                StagedQuery? staged = null;
                steps[k++].Times.Add(Timing.Time(() => staged = store.StageQuery(definition.Query, parameters, CancellationToken.None)));
                var tags = new List<string> { $"job:{c.Job}", JobScheduler.WindowTag(c.Job, window), $"attempt:{attempt.Id:D}" };
                steps[k++].Times.Add(Timing.Time(() => store.CommitStaged(staged!, definition.Target, JobScheduler.WindowTag(c.Job, window), tags, l =>
                {
                    JobLedger.RecordAttempts(l, [new AttemptOutcome(attempt, "Succeeded", TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1), staged!.Rows, ErrorKind.None, "")]);
                    record.State = WindowState.Succeeded;
                    JobLedger.SaveWindows(l, [record]);
                })));
                steps[k++].Times.Add(Timing.Time(() => staged!.Dispose()));
                steps[k++].Times.Add(Timing.Time(() => store.RunSql($"INSERT INTO bench_commit VALUES ({i})", CountColumn)));
            }

            double sum = 0;
            for (var s = 0; s < steps.Length; s++)
            {
                var sample = new Sample(steps[s].Name, steps[s].Times);
                if (s is 2 or 3 or 4)
                {
                    sum += sample.Median;
                }

                Console.WriteLine($"     {steps[s].Name}: median {Timing.Dur(sample.Median)} (min {Timing.Dur(sample.Min)})");
                results.Add(new Row("scheduler step", steps[s].Name, $"{Timing.Dur(sample.Median)}, {Timing.Dur(sample.Min)}", "–", "–", "–", null, Timing.Load()));
            }

            Console.WriteLine($"     sum of the steps a window takes (stage, commit, release): {Timing.Ms(sum)}");
            results.Add(new Row("scheduler step", "sum of stage + commit + release", Timing.Ms(sum), "–", "–", "–", null, Timing.Load()));
            // The per-statement breakdown below (CommitStatements) replays the statements of commit 0b9ad13 and is kept for reference only.
        }

        return results;
    }

    /// <summary>
    /// The statements of one window's commit transaction (<c>CommitStaged</c> with the ledger writes of <c>Execute</c>), written
    /// out as the store runs them and timed one by one on a connection of their own, with an empty transaction for comparison.
    /// </summary>
    private static List<Row> CommitStatements(string database, JobDefinition definition, int n, int m)
    {
        var results = new List<Row>();
        using var connection = OpenSession(database);
        var attemptId = (Guid)Query(connection, "SELECT attempt_id FROM tributary_meta.job_attempts LIMIT 1")!;
        var names = new[]
        {
            "BEGIN TRANSACTION", "INSERT the window's row into the target (AppendQuery)", "INSERT INTO tributary_meta.extents (AddExtent)",
            "SELECT extents tagged with the window (ExtentsTagged)", "UPDATE job_attempts (FinishAttempt)", "DELETE FROM job_windows (SaveWindow)",
            "INSERT INTO job_windows (SaveWindow)", "INSERT INTO query_log (LogQuery)", "COMMIT", "empty transaction: BEGIN + COMMIT",
        };
        var times = names.Select(_ => new List<double>()).ToArray();
        for (var i = 0; i < m; i++)
        {
            var window = new TimeWindow(T0.AddMinutes(n + 1000 + i), T0.AddMinutes(n + 1001 + i));
            var extent = Guid.NewGuid();
            var now = DateTime.UtcNow;
            var tag = JobScheduler.WindowTag(definition.Name, window);
            var tags = $"['job:{definition.Name}', {Sql.String(tag)}, 'attempt:{Guid.NewGuid():D}']::VARCHAR[]";
            var ts = Sql.Literal(window.Start, KqlType.DateTime);
            var statements = new (string Sql, object?[] Args)[]
            {
                ("BEGIN TRANSACTION", []),
                ($"INSERT INTO {Sql.Ident(definition.Target)} (\"Timestamp\", \"N\", {Sql.Ident(TableSchema.ExtentColumn)}, {Sql.Ident(TableSchema.IngestionTimeColumn)}) " +
                    $"SELECT q.\"Timestamp\", q.\"N\", '{extent:D}'::UUID, {Sql.Literal(now, KqlType.DateTime)} FROM (SELECT {ts} AS \"Timestamp\", 1::BIGINT AS \"N\") AS q", []),
                ($"INSERT INTO tributary_meta.extents VALUES ('{extent:D}'::UUID, {Sql.String(definition.Target)}, 1, {Sql.Literal(now, KqlType.DateTime)}, {tags})", []),
                ($"SELECT extent_id FROM tributary_meta.extents WHERE table_name = {Sql.String(definition.Target)} AND list_contains(tags, {Sql.String(tag)})", []),
                ("UPDATE tributary_meta.job_attempts SET state = ?, duration_ticks = ?, rows_written = ?, error_kind = ?, error = ? WHERE attempt_id = ?",
                    ["Succeeded", 10_000L, 1L, null, "", attemptId]),
                ("DELETE FROM tributary_meta.job_windows WHERE job = ? AND window_start = ?", [definition.Name, window.Start]),
                ("INSERT INTO tributary_meta.job_windows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [definition.Name, window.Start, window.End, "Succeeded", 1, 1L, null, "", now, null, false, null]),
                ("INSERT INTO tributary_meta.query_log VALUES (?, ?, ?, ?, ?, ?, ?)", [$"job:{definition.Name}", definition.Query, now, 10_000L, "Completed", "", 1L]),
                ("COMMIT", []),
            };
            for (var s = 0; s < statements.Length; s++)
            {
                times[s].Add(Timing.Time(() => Query(connection, statements[s].Sql, statements[s].Args)));
            }

            times[^1].Add(Timing.Time(() =>
            {
                Query(connection, "BEGIN TRANSACTION");
                Query(connection, "COMMIT");
            }));
        }

        Console.WriteLine($"     the commit's statements, each timed {m} times on a connection of their own:");
        for (var s = 0; s < names.Length; s++)
        {
            var sample = new Sample(names[s], times[s]);
            Console.WriteLine($"       {names[s]}: median {Timing.Dur(sample.Median)} (min {Timing.Dur(sample.Min)})");
            results.Add(new Row("scheduler commit", names[s], $"{Timing.Dur(sample.Median)}, {Timing.Dur(sample.Min)}", "–", "–", "–", null, Timing.Load()));
        }

        return results;
    }

    private static object? Query(DuckDBConnection connection, string sql, params object?[] args)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new DuckDBParameter(arg ?? DBNull.Value));
        }

        using var reader = cmd.ExecuteReader();
        object? first = null;
        while (reader.Read())
        {
            first ??= reader.GetValue(0);
        }

        return first;
    }

    /// <summary>What <c>StageQuery</c> does before its query: a new connection to the store's file and the session set-up.</summary>
    private static DuckDBConnection OpenSession(string database)
    {
        var connection = new DuckDBConnection($"Data Source={database}");
        connection.Open();
        foreach (var sql in new[] { "SET TimeZone='UTC'", "SET autoinstall_known_extensions=false" }.Concat(SqlMacros.Statements))
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            cmd.ExecuteNonQuery();
        }

        return connection;
    }
}
