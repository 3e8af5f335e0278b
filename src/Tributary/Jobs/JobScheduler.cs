using System.Diagnostics;
using Tributary.Kql;
using Tributary.Store;

namespace Tributary.Jobs;

/// <summary>
/// Runs jobs: finds due windows, runs up to each job's max parallelism of them at once (oldest
/// first), retries with back-off, times attempts out, and records every attempt. Operators act on it
/// through its operations (rerun, kill, mark-succeeded, retract, runs …).
/// </summary>
/// <remarks>
/// Every window's output replaces that window's earlier extents in one store transaction together
/// with the ledger rows that say so, so any sequence of runs, re-runs, kills, crashes and restarts
/// leaves each row in the target exactly once. Time comes from the injected <see cref="TimeProvider"/>.
/// Thread-safe.
/// </remarks>
public sealed partial class JobScheduler : IDisposable
{
    private readonly TributaryStore _store;
    private readonly JobLedger _ledger;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, JobState> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Job, DateTime Start), RunningAttempt> _running = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _shutdown = new();
    private int _finished;
    private bool _disposed;
    private int _failedAttempts;
    private long _rowsWritten;

    private JobScheduler(TributaryStore store, TimeProvider time)
    {
        _store = store;
        _ledger = new JobLedger(store);
        _time = time;
    }

    /// <summary>Opens the scheduler on a store: loads the jobs and windows, and recovers attempts a dead process left running.</summary>
    public static JobScheduler Open(TributaryStore store, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var scheduler = new JobScheduler(store, time ?? TimeProvider.System);
        scheduler._ledger.RecoverAbandoned(scheduler.Now);
        scheduler.Reload();
        return scheduler;
    }

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    /// <summary>The job definitions, by name.</summary>
    public IReadOnlyList<JobDefinition> Jobs
    {
        get
        {
            lock (_lock)
            {
                return _jobs.Values.Select(j => j.Definition).OrderBy(j => j.Name, StringComparer.Ordinal).ToList();
            }
        }
    }

    /// <summary>Reads the job definitions and windows from the ledger again (after <c>apply</c> changed them).</summary>
    public void Reload()
    {
        lock (_lock)
        {
            // Read under the lock: a window that finishes meanwhile waits for it, so its record is not lost to a stale read.
            var jobs = _ledger.LoadJobs();
            var windows = _ledger.LoadWindows();
            var previous = new Dictionary<string, JobState>(_jobs, StringComparer.Ordinal);
            _jobs.Clear();
            foreach (var (definition, paused) in jobs)
            {
                _jobs[definition.Name] = new JobState(definition, paused);
            }

            foreach (var w in windows)
            {
                if (_jobs.TryGetValue(w.Job, out var job))
                {
                    // A running attempt keeps the record it will finish; the ledger's copy of it is older.
                    job.Windows[w.Window.Start] = _running.ContainsKey((w.Job, w.Window.Start)) && previous.GetValueOrDefault(w.Job)?.Find(w.Window.Start) is { } live
                        ? live
                        : w;
                    job.Reopen(w.Window.Start);
                }
            }

            // Running attempts the ledger does not know yet (it hears of an attempt when it ends) keep their records too.
            foreach (var (name, start) in _running.Keys)
            {
                if (_jobs.TryGetValue(name, out var job) && previous.GetValueOrDefault(name)?.Find(start) is { } live)
                {
                    job.Windows[start] = live;
                    job.Reopen(start);
                }
            }
        }

        _wake.Release();
    }

    /// <summary>
    /// Runs every window due at <paramref name="asOf"/> (default: the clock's now) until nothing more is due,
    /// then returns. With <paramref name="asOf"/> the clock is taken to read that time and retries do not wait for back-off.
    /// </summary>
    public async Task<RunReport> RunDueAsync(DateTime? asOf = null, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var finishedBefore = _finished;
        var failedBefore = _failedAttempts;
        var rowsBefore = Interlocked.Read(ref _rowsWritten);
        using var registration = cancellationToken.Register(() => CancelAll(ErrorKind.Cancelled));
        while (true)
        {
            var now = asOf ?? Now;
            List<Task<long>> tasks;
            lock (_lock)
            {
                if (!cancellationToken.IsCancellationRequested)
                {
                    StartDue(now, ignoreBackoff: asOf is not null);
                }

                // Only the windows this batch is about: a server's own loop may be running later ones meanwhile.
                tasks = _running.Values.Where(r => asOf is null || r.Attempt.Window.Start < now).Select(r => r.Task).ToList();
            }

            if (tasks.Count == 0)
            {
                break;
            }

            await Task.WhenAny(tasks).ConfigureAwait(false);
            progress?.Report(new RunProgress(_finished - finishedBefore, Math.Max(0, tasks.Count - 1), _failedAttempts - failedBefore));
        }

        cancellationToken.ThrowIfCancellationRequested();
        int failedWindows;
        lock (_lock)
        {
            failedWindows = _jobs.Values.Sum(j => j.Windows.Values.Count(w => w.State == WindowState.Failed));
        }

        return new RunReport(_finished - finishedBefore - (_failedAttempts - failedBefore), _failedAttempts - failedBefore, failedWindows,
            Interlocked.Read(ref _rowsWritten) - rowsBefore, asOf ?? Now);
    }

    /// <summary>
    /// The server's loop: starts due windows as time passes until <paramref name="stop"/> fires, then cancels
    /// running attempts (recorded Cancelled, due again at the next start) and waits for them to end.
    /// </summary>
    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                lock (_lock)
                {
                    StartDue(Now, ignoreBackoff: false);
                }

                using var tick = new CancellationTokenSource(TimeSpan.FromSeconds(1), _time);
                using var wakeOrTick = CancellationTokenSource.CreateLinkedTokenSource(stop, tick.Token);
                try
                {
                    await _wake.WaitAsync(wakeOrTick.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    // A second passed: look for due windows again.
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            await StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Cancels every running attempt (recorded Cancelled) and waits for them to end.</summary>
    public async Task StopAsync()
    {
        List<Task<long>> tasks;
        lock (_lock)
        {
            // Reasons first, so no attempt sees the shutdown as a timeout.
            foreach (var attempt in _running.Values)
            {
                attempt.Cancel(ErrorKind.Cancelled);
            }

            _shutdown.Cancel();
            tasks = _running.Values.Select(r => r.Task).ToList();
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private void CancelAll(ErrorKind reason)
    {
        lock (_lock)
        {
            foreach (var attempt in _running.Values)
            {
                attempt.Cancel(reason);
            }
        }
    }

    /// <summary>Starts due windows: per job, oldest first, up to its max parallelism. Caller holds the lock.</summary>
    private void StartDue(DateTime now, bool ignoreBackoff)
    {
        if (_shutdown.IsCancellationRequested)
        {
            return;
        }

        foreach (var job in _jobs.Values.OrderBy(j => j.Definition.Name, StringComparer.Ordinal))
        {
            var d = job.Definition;
            if (job.Paused || !d.Enabled)
            {
                continue;
            }

            var slots = d.MaxParallelism - _running.Keys.Count(k => k.Job == d.Name);
            if (slots <= 0)
            {
                continue;
            }

            // Move the scan start past windows that need nothing more.
            while (job.Find(job.ScanFrom) is { State: WindowState.Succeeded or WindowState.Skipped or WindowState.Failed })
            {
                job.ScanFrom += d.Window;
            }

            var window = d.WindowAt(job.ScanFrom);
            for (var scanned = 0; slots > 0 && scanned < JobPlanner.ScanLimit; scanned++, window = new TimeWindow(window.End, window.End + d.Window))
            {
                var record = job.Find(window.Start);
                if (record is null && window.End + d.Delay > now)
                {
                    // Later windows without a record are not due either; pending ones of runs may lie further on.
                    var later = job.Windows.Values.FirstOrDefault(w => w.Window.Start > window.Start && w.State == WindowState.Pending && w.TransactionId is not null);
                    if (later is null)
                    {
                        break;
                    }

                    window = new TimeWindow(later.Window.Start - d.Window, later.Window.Start);
                    continue;
                }

                if (!JobPlanner.IsTimeDue(d, record, window, now, ignoreBackoff))
                {
                    continue;
                }

                var (readiness, detail) = JobPlanner.CheckDependencies(job, window, _jobs);
                if (readiness == JobPlanner.Readiness.Waiting)
                {
                    continue;
                }

                record ??= job.GetOrAdd(window);
                if (readiness == JobPlanner.Readiness.DependencyFailed)
                {
                    record.State = WindowState.Failed;
                    record.ErrorKind = ErrorKind.DependencyFailed;
                    record.Error = detail;
                    record.UpdatedOn = now;
                    _store.Ledger(l =>
                    {
                        JobLedger.SaveWindow(l, record);
                        return 0;
                    });
                    continue;
                }

                Start(job, record, now);
                slots--;
            }
        }
    }

    private void Start(JobState job, WindowRecord record, DateTime now)
    {
        var d = job.Definition;
        record.Attempts++;
        record.TotalAttempts++;
        record.State = WindowState.Running;
        record.UpdatedOn = now;
        record.NextAttemptOn = null;
        var query = d.Query;
        var asRun = BoundQueryText(d, record.Window);
        var attempt = new AttemptRecord(Guid.NewGuid(), d.Name, record.Window, record.TotalAttempts, Now, asRun, d.Target, record.TransactionId);

        // Implementation note: nothing is written when an attempt starts. Its outcome (attempt row, window state,
        // QueryLog row, and on success the output) commits in one transaction when it ends; an attempt cut off by a
        // crash leaves the ledger as it was before it, so its window is simply due again.

        var running = new RunningAttempt(attempt, d, CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token), _time);
        _running[(d.Name, record.Window.Start)] = running;
        running.Task = Task.Run(() => Execute(running, record, query));
    }

    /// <summary>The query as it runs for a window: startTime and endTime written as datetime literals.</summary>
    public static string BoundQueryText(JobDefinition job, TimeWindow window)
    {
        ArgumentNullException.ThrowIfNull(job);
        try
        {
            return KqlText.BindDatetimes(job.Query, new Dictionary<string, DateTime>(StringComparer.Ordinal) { ["startTime"] = window.Start, ["endTime"] = window.End });
        }
        catch (KqlException)
        {
            return job.Query;
        }
    }

    /// <summary>The tag that names a window's extents (the key a re-run replaces).</summary>
    public static string WindowTag(string job, TimeWindow window) => $"window:{job}@{TimeWindow.Format(window.Start)}";

    private long Execute(RunningAttempt running, WindowRecord record, string query)
    {
        var d = running.Definition;
        var clock = Stopwatch.StartNew();
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal) { ["startTime"] = record.Window.Start, ["endTime"] = record.Window.End };
        var kind = ErrorKind.None;
        var error = "";
        long rows = 0;
        try
        {
            using var staged = _store.StageQuery(query, parameters, running.Token);
            if (d.RowLimit is { } limit && staged.Rows > limit)
            {
                kind = ErrorKind.RowLimit;
                error = $"the window's output has {staged.Rows:N0} rows, more than the job's row limit of {limit:N0}; raise it (jobs set {d.Name} --row-limit N) or make the windows smaller";
            }
            else
            {
                var tags = new List<string> { $"job:{d.Name}", WindowTag(d.Name, record.Window), $"attempt:{running.Attempt.Id:D}" };
                if (record.TransactionId is { } txn)
                {
                    tags.Add($"transaction:{txn}");
                }

                var duration = clock.Elapsed;
                // Always replace by the window's tag, even on a first attempt: exactly once must not rest on the scheduler's memory.
                var commit = _store.CommitStaged(staged, d.Target, WindowTag(d.Name, record.Window), tags, l =>
                {
                    JobLedger.RecordAttempt(l, running.Attempt, "Succeeded", duration, staged.Rows, ErrorKind.None, "");
                    var done = Snapshot(record);
                    done.State = WindowState.Succeeded;
                    done.RowsWritten = staged.Rows;
                    done.ErrorKind = ErrorKind.None;
                    done.Error = "";
                    done.Marked = false;
                    done.UpdatedOn = Now;
                    JobLedger.SaveWindow(l, done);
                    JobLedger.LogQuery(l, $"job:{d.Name}", running.Attempt.Query, running.Attempt.StartedOn, clock.Elapsed, "Completed", "", staged.Rows);
                });
                rows = commit.Rows;
            }
        }
        catch (OperationCanceledException)
        {
            kind = running.Reason ?? (running.TimedOut ? ErrorKind.Timeout : ErrorKind.Cancelled);
            error = kind switch
            {
                ErrorKind.Timeout => $"the attempt ran longer than the job's timeout of {d.EffectiveTimeout}; its query was interrupted",
                ErrorKind.Killed => "killed by an operator (jobs kill)",
                _ => "the server stopped while the attempt ran",
            };
        }
        catch (KqlException e)
        {
            kind = ErrorKind.QueryError;
            error = e.Message;
        }
        catch (StoreException e)
        {
            kind = Classify(e, running);
            error = e.Message;
        }
#pragma warning disable CA1031 // An attempt's unexpected failure is recorded, not allowed to stop the scheduler.
        catch (Exception e)
#pragma warning restore CA1031
        {
            kind = ErrorKind.QueryError;
            error = $"{e.GetType().Name}: {e.Message}";
        }

        Finish(running, record, kind, error, rows, clock.Elapsed);
        return rows;
    }

    private static ErrorKind Classify(StoreException e, RunningAttempt running)
    {
        if (e.Message.Contains("Out of Memory", StringComparison.OrdinalIgnoreCase))
        {
            return ErrorKind.OutOfMemory;
        }

        return e.Message.Contains($"table '{running.Definition.Target}'", StringComparison.Ordinal) ? ErrorKind.TargetError : ErrorKind.QueryError;
    }

    private static WindowRecord Snapshot(WindowRecord r) => new(r.Job, r.Window)
    {
        State = r.State, Attempts = r.Attempts, TotalAttempts = r.TotalAttempts, RowsWritten = r.RowsWritten, ErrorKind = r.ErrorKind,
        Error = r.Error, UpdatedOn = r.UpdatedOn, TransactionId = r.TransactionId, Marked = r.Marked, NextAttemptOn = r.NextAttemptOn, Persisted = r.Persisted,
    };

    private void Finish(RunningAttempt running, WindowRecord record, ErrorKind kind, string error, long rows, TimeSpan elapsed)
    {
        var d = running.Definition;
        lock (_lock)
        {
            _running.Remove((d.Name, record.Window.Start));

            // Reload may have replaced the window's record while the attempt ran: finish the one the scheduler holds now.
            if (_jobs.TryGetValue(d.Name, out var owner) && owner.Find(record.Window.Start) is { } live)
            {
                record = live;
            }

            var now = Now;
            record.UpdatedOn = now;
            if (kind == ErrorKind.None)
            {
                Interlocked.Add(ref _rowsWritten, rows);
                record.Persisted = true;
                record.State = WindowState.Succeeded;
                record.RowsWritten = rows;
                record.ErrorKind = ErrorKind.None;
                record.Error = "";
                record.Marked = false;
                ReleaseDependents(d.Name, record.Window, now);
            }
            else
            {
                _failedAttempts++;
                var state = kind == ErrorKind.Cancelled ? "Cancelled" : "Failed";
                record.ErrorKind = kind;
                record.Error = error;
                if (kind == ErrorKind.Cancelled)
                {
                    // Due again at the next start, without spending the retry budget.
                    record.State = WindowState.Pending;
                    record.Attempts = Math.Max(0, record.Attempts - 1);
                    _failedAttempts--;
                }
                else if (kind == ErrorKind.Killed || record.Attempts >= d.Attempts)
                {
                    record.State = WindowState.Failed;
                }
                else
                {
                    record.State = WindowState.Pending;
                    record.NextAttemptOn = now + d.BackoffBefore(record.Attempts + 1);
                }

                _store.Ledger(l =>
                {
                    JobLedger.RecordAttempt(l, running.Attempt, state, elapsed, 0, kind, error);
                    JobLedger.SaveWindow(l, record);
                    JobLedger.LogQuery(l, $"job:{d.Name}", running.Attempt.Query, running.Attempt.StartedOn, elapsed, state, error, 0);
                    return 0;
                });

                if (_jobs.TryGetValue(d.Name, out var job))
                {
                    job.Reopen(record.Window.Start);
                }
            }

            _finished++;
        }

        running.Dispose();
        try
        {
            _wake.Release();
        }
        catch (ObjectDisposedException)
        {
            // The scheduler was disposed while the attempt ran; nothing waits for it any more.
        }
    }

    /// <summary>Windows downstream that failed only because this one had: due again now that it is done. Caller holds the lock.</summary>
    private void ReleaseDependents(string job, TimeWindow window, DateTime now)
    {
        foreach (var other in _jobs.Values.Where(j => j.Definition.DependsOn.Contains(job, StringComparer.Ordinal)))
        {
            var released = other.Windows.Values
                .Where(w => w.State == WindowState.Failed && w.ErrorKind == ErrorKind.DependencyFailed && w.Window.Overlaps(window)).ToList();
            foreach (var w in released)
            {
                Reset(other, w, now, keepTransaction: true);
            }

            if (released.Count > 0)
            {
                _store.Ledger(l =>
                {
                    released.ForEach(w => JobLedger.SaveWindow(l, w));
                    return 0;
                });
            }
        }
    }

    private static void Reset(JobState job, WindowRecord w, DateTime now, bool keepTransaction)
    {
        w.State = WindowState.Pending;
        w.Attempts = 0;
        w.ErrorKind = ErrorKind.None;
        w.Error = "";
        w.NextAttemptOn = null;
        w.Marked = false;
        w.UpdatedOn = now;
        if (!keepTransaction)
        {
            w.TransactionId = null;
        }

        job.Reopen(w.Window.Start);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _shutdown.Cancel();
        _shutdown.Dispose();
        _wake.Dispose();
    }

    /// <summary>An attempt in flight: its cancellation (timeout, kill, shutdown) and its task.</summary>
    private sealed class RunningAttempt : IDisposable
    {
        private readonly CancellationTokenSource _cancel;
        private readonly CancellationTokenSource _timeout;
        private readonly CancellationTokenSource _linked;

        public RunningAttempt(AttemptRecord attempt, JobDefinition definition, CancellationTokenSource cancel, TimeProvider time)
        {
            Attempt = attempt;
            Definition = definition;
            _cancel = cancel;
            _timeout = new CancellationTokenSource(definition.EffectiveTimeout, time);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(_cancel.Token, _timeout.Token);
        }

        public AttemptRecord Attempt { get; }

        public JobDefinition Definition { get; }

        public Task<long> Task { get; set; } = System.Threading.Tasks.Task.FromResult(0L);

        public CancellationToken Token => _linked.Token;

        /// <summary>True when the attempt's own timeout fired.</summary>
        public bool TimedOut => _timeout.IsCancellationRequested;

        /// <summary>Why it was cancelled, when an operator or shutdown did it (a timeout leaves it null).</summary>
        public ErrorKind? Reason { get; private set; }

        public void Cancel(ErrorKind reason)
        {
            Reason ??= reason;
            try
            {
                _cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It ended meanwhile.
            }
        }

        public void Dispose()
        {
            _linked.Dispose();
            _timeout.Dispose();
            _cancel.Dispose();
        }
    }
}
