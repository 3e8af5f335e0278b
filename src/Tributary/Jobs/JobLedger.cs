using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tributary.Store;

namespace Tributary.Jobs;

/// <summary>
/// The jobs' durable state in the store: definitions (<c>tributary_meta.jobs</c>), window states
/// (<c>JobWindows</c>), attempts (<c>JobAttempts</c>) and runs. All SQL is parameterized.
/// </summary>
internal sealed class JobLedger(TributaryStore store)
{
    public TributaryStore Store { get; } = store;

    // ---- definitions -------------------------------------------------------------------------

    public List<(JobDefinition Definition, bool Paused)> LoadJobs() =>
        Store.LedgerQuery("SELECT definition_json, paused FROM tributary_meta.jobs ORDER BY name")
            .Select(r => (Deserialize((string)r[0]!), (bool)r[1]!)).ToList();

    public static void SaveJob(ILedger ledger, JobDefinition job, bool paused, DateTime now)
    {
        ledger.Execute("DELETE FROM tributary_meta.jobs WHERE name = ?", job.Name);
        ledger.Execute("INSERT INTO tributary_meta.jobs VALUES (?, ?, ?, ?)", job.Name, Serialize(job), paused, now);
    }

    public static void DeleteJob(ILedger ledger, string name) => ledger.Execute("DELETE FROM tributary_meta.jobs WHERE name = ?", name);

    public static string Serialize(JobDefinition job) => JsonSerializer.Serialize(StoredJob.From(job), JobJsonContext.Default.StoredJob);

    public static JobDefinition Deserialize(string json) =>
        (JsonSerializer.Deserialize(json, JobJsonContext.Default.StoredJob) ?? throw new InvalidDataException("a stored job definition is empty")).ToDefinition();

    // ---- windows ------------------------------------------------------------------------------

    public List<WindowRecord> LoadWindows()
    {
        var totals = Store.LedgerQuery("SELECT job, window_start, count(*) FROM tributary_meta.job_attempts GROUP BY ALL")
            .ToDictionary(r => ((string)r[0]!, (DateTime)r[1]!), r => System.Convert.ToInt32(r[2], CultureInfo.InvariantCulture));
        return Store.LedgerQuery(
                "SELECT job, window_start, window_end, state, attempts, rows_written, error_kind, error, updated_on, transaction_id, marked, next_attempt_on FROM tributary_meta.job_windows")
            .Select(r => new WindowRecord((string)r[0]!, new TimeWindow(Utc(r[1]), Utc(r[2])))
            {
                State = Enum.Parse<WindowState>((string)r[3]!),
                Attempts = System.Convert.ToInt32(r[4], CultureInfo.InvariantCulture),
                RowsWritten = r[5] is null ? 0 : System.Convert.ToInt64(r[5], CultureInfo.InvariantCulture),
                ErrorKind = r[6] is string k && k.Length > 0 ? Enum.Parse<ErrorKind>(k) : ErrorKind.None,
                Error = r[7] as string ?? "",
                UpdatedOn = Utc(r[8]),
                TransactionId = r[9] as string,
                Marked = (bool)r[10]!,
                Persisted = true,
                NextAttemptOn = r[11] is null ? null : Utc(r[11]),
                TotalAttempts = totals.GetValueOrDefault(((string)r[0]!, (DateTime)r[1]!)),
            }).ToList();
    }

    public static void SaveWindow(ILedger ledger, WindowRecord w)
    {
        // One statement: an update when the ledger has the window's row, else an insert.
        if (w.Persisted && ledger.Execute(
                "UPDATE tributary_meta.job_windows SET state = ?, attempts = ?, rows_written = ?, error_kind = ?, error = ?, updated_on = ?, transaction_id = ?, marked = ?, next_attempt_on = ? " +
                "WHERE job = ? AND window_start = ?",
                w.State.ToString(), w.Attempts, w.RowsWritten, w.ErrorKind == ErrorKind.None ? null : w.ErrorKind.ToString(), w.Error, w.UpdatedOn, w.TransactionId, w.Marked,
                w.NextAttemptOn, w.Job, w.Window.Start) > 0)
        {
            return;
        }

        ledger.Execute("INSERT INTO tributary_meta.job_windows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            w.Job, w.Window.Start, w.Window.End, w.State.ToString(), w.Attempts, w.RowsWritten,
            w.ErrorKind == ErrorKind.None ? null : w.ErrorKind.ToString(), w.Error, w.UpdatedOn, w.TransactionId, w.Marked, w.NextAttemptOn);

        // If the transaction rolls back, the next save finds no row to update and inserts again.
        w.Persisted = true;
    }

    /// <summary>Saves several windows of one job in at most two statements (the batch commit's ledger writes).</summary>
    public static void SaveWindows(ILedger ledger, IReadOnlyList<WindowRecord> windows)
    {
        if (windows.Count <= 1)
        {
            foreach (var w in windows)
            {
                SaveWindow(ledger, w);
            }

            return;
        }

        var persisted = windows.Where(w => w.Persisted).ToList();
        foreach (var job in persisted.GroupBy(w => w.Job, StringComparer.Ordinal))
        {
            var starts = job.Select(w => (object?)w.Window.Start).ToList();
            ledger.Execute($"DELETE FROM tributary_meta.job_windows WHERE job = ? AND window_start IN ({Placeholders(starts.Count)})", [job.Key, .. starts]);
        }

        var args = new List<object?>(windows.Count * 12);
        foreach (var w in windows)
        {
            args.AddRange([w.Job, w.Window.Start, w.Window.End, w.State.ToString(), w.Attempts, w.RowsWritten,
                w.ErrorKind == ErrorKind.None ? null : w.ErrorKind.ToString(), w.Error, w.UpdatedOn, w.TransactionId, w.Marked, w.NextAttemptOn]);
        }

        ledger.Execute($"INSERT INTO tributary_meta.job_windows VALUES {Rows(windows.Count, 12)}", [.. args]);
        foreach (var w in windows)
        {
            w.Persisted = true;
        }
    }

    /// <summary><c>?, ?, …</c>: <paramref name="n"/> parameter placeholders.</summary>
    private static string Placeholders(int n) => string.Join(", ", Enumerable.Repeat("?", n));

    /// <summary><c>(?, …), (?, …)</c>: <paramref name="rows"/> rows of <paramref name="columns"/> placeholders for a multi-row VALUES.</summary>
    private static string Rows(int rows, int columns) => string.Join(", ", Enumerable.Repeat($"({Placeholders(columns)})", rows));

    /// <summary>Removes a job's whole history: its definition, windows and attempts.</summary>
    public static void Forget(ILedger ledger, string job)
    {
        ledger.Execute("DELETE FROM tributary_meta.job_windows WHERE job = ?", job);
        ledger.Execute("DELETE FROM tributary_meta.job_attempts WHERE job = ?", job);
        DeleteJob(ledger, job);
    }

    public static void DeleteRun(ILedger ledger, string transactionId) => ledger.Execute("DELETE FROM tributary_meta.runs WHERE transaction_id = ?", transactionId);

    // ---- attempts -----------------------------------------------------------------------------

    /// <summary>
    /// Records finished attempts, each with its QueryLog row, in one statement per table (written in the transaction that
    /// records their outcome).
    /// </summary>
    public static void RecordAttempts(ILedger ledger, IReadOnlyList<AttemptOutcome> outcomes)
    {
        if (outcomes.Count == 0)
        {
            return;
        }

        var attempts = new List<object?>();
        var queries = new List<object?>();
        foreach (var (a, state, duration, logged, rows, kind, error) in outcomes)
        {
            attempts.AddRange([a.Id, a.Job, a.Window.Start, a.Window.End, a.Number, state, a.StartedOn, duration.Ticks, rows, kind == ErrorKind.None ? null : kind.ToString(), error, a.Query, a.Target, a.TransactionId]);
            queries.AddRange([$"job:{a.Job}", a.Query, a.StartedOn, logged.Ticks, QueryLogState(state), error, rows]);
        }

        ledger.Execute($"INSERT INTO tributary_meta.job_attempts VALUES {Rows(outcomes.Count, 14)}", [.. attempts]);
        ledger.Execute($"INSERT INTO tributary_meta.query_log VALUES {Rows(outcomes.Count, 7)}", [.. queries]);
    }

    /// <summary>QueryLog's state for an attempt's: Failed and Cancelled as they are, anything else Completed.</summary>
    private static string QueryLogState(string state) => state is "Failed" or "Cancelled" ? state : "Completed";

    /// <summary>Records a job attempt's query in <c>QueryLog</c>, in the ledger transaction that records its outcome.</summary>
    public static void LogQuery(ILedger ledger, string user, string text, DateTime started, TimeSpan duration, string state, string error, long rows) =>
        ledger.Execute("INSERT INTO tributary_meta.query_log VALUES (?, ?, ?, ?, ?, ?, ?)", user, text, started, duration.Ticks, QueryLogState(state), error, rows);

    /// <summary>Attempts left Running by a process that died: they end as Cancelled; their windows are due again.</summary>
    public int RecoverAbandoned(DateTime now) => Store.Ledger(ledger =>
    {
        var n = (int)ledger.Execute(
            "UPDATE tributary_meta.job_attempts SET state = 'Cancelled', error_kind = 'Cancelled', error = 'the server stopped while the attempt ran', " +
            "duration_ticks = coalesce(duration_ticks, 0) WHERE state = 'Running'");
        ledger.Execute("UPDATE tributary_meta.job_windows SET state = 'Pending', updated_on = ? WHERE state = 'Running'", now);
        return n;
    });

    public List<AttemptView> Attempts(string job, DateTime from, DateTime to) =>
        Store.LedgerQuery(
                "SELECT window_start, window_end, attempt, state, started_on, duration_ticks, rows_written, error_kind, error, query FROM tributary_meta.job_attempts " +
                "WHERE job = ? AND window_start >= ? AND window_start < ? ORDER BY window_start, attempt", job, from, to)
            .Select(r => new AttemptView(new TimeWindow(Utc(r[0]), Utc(r[1])), System.Convert.ToInt32(r[2], CultureInfo.InvariantCulture), (string)r[3]!,
                Utc(r[4]), r[5] is null ? null : TimeSpan.FromTicks(System.Convert.ToInt64(r[5], CultureInfo.InvariantCulture)),
                r[6] is null ? 0 : System.Convert.ToInt64(r[6], CultureInfo.InvariantCulture), r[7] as string ?? "", r[8] as string ?? "", r[9] as string ?? ""))
            .ToList();

    // ---- runs ---------------------------------------------------------------------------------

    public static void SaveRun(ILedger ledger, string transactionId, IReadOnlyList<string> jobs, TimeWindow window, DateTime now)
    {
        ledger.Execute("DELETE FROM tributary_meta.runs WHERE transaction_id = ?", transactionId);
        ledger.Execute("INSERT INTO tributary_meta.runs VALUES (?, ?, ?, ?, ?)",
            transactionId, JsonSerializer.Serialize(jobs.ToArray(), JobJsonContext.Default.StringArray), window.Start, window.End, now);
    }

    public (string[] Jobs, TimeWindow Window, DateTime CreatedOn)? LoadRun(string transactionId)
    {
        var rows = Store.LedgerQuery("SELECT jobs_json, window_start, window_end, created_on FROM tributary_meta.runs WHERE transaction_id = ?", transactionId);
        if (rows.Count == 0)
        {
            return null;
        }

        var r = rows[0];
        return (JsonSerializer.Deserialize((string)r[0]!, JobJsonContext.Default.StringArray) ?? [], new TimeWindow(Utc(r[1]), Utc(r[2])), Utc(r[3]));
    }

    private static DateTime Utc(object? value) => DateTime.SpecifyKind((DateTime)value!, DateTimeKind.Utc);
}

/// <summary>How an attempt ended, as JobAttempts and QueryLog record it (<paramref name="Logged"/>: QueryLog's duration).</summary>
internal sealed record AttemptOutcome(AttemptRecord Attempt, string State, TimeSpan Duration, TimeSpan Logged, long Rows, ErrorKind Kind, string Error);

/// <summary>One attempt as it starts.</summary>
internal sealed record AttemptRecord(Guid Id, string Job, TimeWindow Window, int Number, DateTime StartedOn, string Query, string Target, string? TransactionId);

/// <summary>The persisted form of a job definition (golden-tested: changing it breaks existing data directories).</summary>
internal sealed record StoredJob(
    string Name, string Query, string Target, long WindowTicks, long DelayTicks, DateTime Start, string[] DependsOn,
    int MaxParallelism, long? TimeoutTicks, int Attempts, long? RetryBackoffTicks, bool Enabled, long? RowLimit, int? Batch = null)
{
    public static StoredJob From(JobDefinition j) => new(j.Name, j.Query, j.Target, j.Window.Ticks, j.Delay.Ticks, j.Start, j.DependsOn.ToArray(),
        j.MaxParallelism, j.Timeout?.Ticks, j.Attempts, j.RetryBackoff?.Ticks, j.Enabled, j.RowLimit, j.Batch);

    public JobDefinition ToDefinition() => new(Name, Query, Target, TimeSpan.FromTicks(WindowTicks), TimeSpan.FromTicks(DelayTicks),
        DateTime.SpecifyKind(Start, DateTimeKind.Utc), DependsOn, MaxParallelism,
        TimeoutTicks is { } t ? TimeSpan.FromTicks(t) : null, Attempts, RetryBackoffTicks is { } b ? TimeSpan.FromTicks(b) : null, Enabled, RowLimit, Batch ?? JobDefinition.DefaultBatch);
}

[JsonSerializable(typeof(StoredJob))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class JobJsonContext : JsonSerializerContext;
