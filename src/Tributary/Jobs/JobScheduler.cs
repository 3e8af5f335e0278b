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
    /// <summary>Running windows; the windows of a batch share one entry value.</summary>
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

    /// <summary>
    /// How many attempts of all jobs together may run at once (each job also keeps to its own max parallelism). Each
    /// attempt's query already uses every core, so more at once only makes them wait for each other and for the
    /// store: default twice the processor count, at least 4.
    /// </summary>
    public int MaxConcurrentAttempts { get; set; } = Math.Max(4, 2 * Environment.ProcessorCount);

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
                var starved = !cancellationToken.IsCancellationRequested && StartDue(now, ignoreBackoff: asOf is not null);

                // Only the windows this run is about: a server's own loop may be running later ones meanwhile. When that
                // loop holds the slots a window due here needs, wait for any attempt to end and look again.
                tasks = _running.Values.Where(r => asOf is null || r.Attempts[0].Window.Start < now).Select(r => r.Task).Distinct().ToList();
                if (tasks.Count == 0 && starved)
                {
                    tasks = _running.Values.Select(r => r.Task).Distinct().ToList();
                }
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
                    _ = StartDue(Now, ignoreBackoff: false);
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
            tasks = _running.Values.Select(r => r.Task).Distinct().ToList();
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

    /// <summary>
    /// Starts due windows: per job, oldest first, up to its max parallelism and the shared limit. Caller holds the lock.
    /// </summary>
    /// <returns>True when a window was ready to run but no slot was free (it starts once a running attempt ends).</returns>
    private bool StartDue(DateTime now, bool ignoreBackoff)
    {
        if (_shutdown.IsCancellationRequested)
        {
            return false;
        }

        var starved = false;

        // The jobs furthest behind first, so a shared limit serves the oldest windows (an operator's rerun of last
        // month goes before a catch-up of this morning).
        var free = MaxConcurrentAttempts - _running.Values.Distinct().Count();
        foreach (var job in _jobs.Values.OrderBy(j => j.ScanFrom).ThenBy(j => j.Definition.Name, StringComparer.Ordinal))
        {
            var d = job.Definition;
            if (job.Paused || !d.Enabled)
            {
                continue;
            }

            var ofJob = d.MaxParallelism - _running.Values.Where(r => r.Definition.Name == d.Name).Distinct().Count();
            var slots = Math.Min(ofJob, free);
            if (slots <= 0)
            {
                starved = starved || HasReadyWindow(job, now, ignoreBackoff);
                continue;
            }

            free -= slots;

            // Move the scan start past windows that need nothing more.
            while (job.Find(job.ScanFrom) is { State: WindowState.Succeeded or WindowState.Skipped or WindowState.Failed })
            {
                job.ScanFrom += d.Window;
            }

            // Windows on their first attempt gather into a batch (one query, one commit) that holds one slot.
            var batch = new List<WindowRecord>();
            foreach (var (window, found, readiness, detail) in ReadyWindows(job, now, ignoreBackoff))
            {
                if (slots == 0 && batch.Count == 0)
                {
                    starved = true;
                    break;
                }

                var record = found ?? job.GetOrAdd(window);
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

                if (d.Batch > 1 && record is { Attempts: 0, TransactionId: null, RunAlone: false })
                {
                    if (batch.Count == 0)
                    {
                        slots--;
                    }

                    batch.Add(record);
                    if (batch.Count == d.Batch)
                    {
                        Start(job, batch, now);
                        batch = [];
                    }

                    continue;
                }

                if (slots == 0)
                {
                    starved = true;
                    break;
                }

                Start(job, [record], now);
                slots--;
            }

            if (batch.Count > 0)
            {
                Start(job, batch, now);
            }

            free += slots;
        }

        return starved;
    }

    /// <summary>True when a window of <paramref name="job"/> could start now if a slot were free. Caller holds the lock.</summary>
    private bool HasReadyWindow(JobState job, DateTime now, bool ignoreBackoff) =>
        !job.Paused && job.Definition.Enabled && ReadyWindows(job, now, ignoreBackoff).Any();

    /// <summary>
    /// The job's windows that could start now, oldest first from its scan start: time-due, not running, and not waiting
    /// for upstream windows (those whose upstream failed come too, to be marked). Lazy: a caller stops when it has
    /// enough. Caller holds the lock.
    /// </summary>
    private IEnumerable<(TimeWindow Window, WindowRecord? Record, JobPlanner.Readiness Readiness, string Detail)> ReadyWindows(JobState job, DateTime now, bool ignoreBackoff)
    {
        var d = job.Definition;
        var window = d.WindowAt(job.ScanFrom);
        for (var scanned = 0; scanned < JobPlanner.ScanLimit; scanned++, window = new TimeWindow(window.End, window.End + d.Window))
        {
            var record = job.Find(window.Start);
            if (record is null && window.End + d.Delay > now)
            {
                // Later windows without a record are not due either; pending ones of runs may lie further on.
                var later = job.Windows.Values.FirstOrDefault(w => w.Window.Start > window.Start && w.State == WindowState.Pending && w.TransactionId is not null);
                if (later is null)
                {
                    yield break;
                }

                window = new TimeWindow(later.Window.Start - d.Window, later.Window.Start);
                continue;
            }

            if (!JobPlanner.IsTimeDue(d, record, window, now, ignoreBackoff))
            {
                continue;
            }

            var (readiness, detail) = JobPlanner.CheckDependencies(job, window, _jobs);
            if (readiness != JobPlanner.Readiness.Waiting)
            {
                yield return (window, record, readiness, detail);
            }
        }
    }

    /// <summary>Starts one attempt for <paramref name="records"/>: one window, or a batch of windows run as one query. Caller holds the lock.</summary>
    private void Start(JobState job, List<WindowRecord> records, DateTime now)
    {
        var d = job.Definition;
        var started = Now;
        var attempts = new List<AttemptRecord>(records.Count);
        foreach (var record in records)
        {
            record.Attempts++;
            record.TotalAttempts++;
            record.State = WindowState.Running;
            record.UpdatedOn = now;
            record.NextAttemptOn = null;
            attempts.Add(new AttemptRecord(Guid.NewGuid(), d.Name, record.Window, record.TotalAttempts, started, BoundQueryText(d, record.Window), d.Target, record.TransactionId));
        }

        // Implementation note: nothing is written when an attempt starts. Its outcome (attempt row, window state,
        // QueryLog row, and on success the output) commits in one transaction when it ends; an attempt cut off by a
        // crash leaves the ledger as it was before it, so its window is simply due again.

        var running = new RunningAttempt(attempts, d, CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token), _time);
        foreach (var record in records)
        {
            _running[(d.Name, record.Window.Start)] = running;
        }

        running.Task = Task.Run(() => Execute(running, records));
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

    private long Execute(RunningAttempt running, List<WindowRecord> records)
    {
        var d = running.Definition;
        var clock = Stopwatch.StartNew();
        var outcomes = records.Select(_ => new Outcome()).ToArray();
        void FailAll(ErrorKind kind, string error)
        {
            foreach (var o in outcomes)
            {
                (o.Kind, o.Error) = (kind, error);
            }
        }

        try
        {
            var parts = records.Select(r => new StagedPart(d.Query,
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["startTime"] = r.Window.Start, ["endTime"] = r.Window.End })).ToList();
            using var staged = _store.StageQueries(parts, running.Token);
            var extents = new List<StagedExtent>();
            for (var i = 0; i < records.Count; i++)
            {
                var rows = staged.PartRows[i];
                if (d.RowLimit is { } limit && rows > limit)
                {
                    outcomes[i].Kind = ErrorKind.RowLimit;
                    outcomes[i].Error = $"the window's output has {rows:N0} rows, more than the job's row limit of {limit:N0}; raise it (jobs set {d.Name} --row-limit N) or make the windows smaller";
                    continue;
                }

                var tags = new List<string> { $"job:{d.Name}", WindowTag(d.Name, records[i].Window), $"attempt:{running.Attempts[i].Id:D}" };
                if (records[i].TransactionId is { } txn)
                {
                    tags.Add($"transaction:{txn}");
                }

                // Always replace by the window's tag, even on a first attempt: exactly once must not rest on the scheduler's memory.
                extents.Add(new StagedExtent(i, WindowTag(d.Name, records[i].Window), tags));
            }

            if (extents.Count > 0)
            {
                var duration = clock.Elapsed;
                var commits = _store.CommitStagedParts(staged, d.Target, extents, l =>
                {
                    var done = new List<WindowRecord>(extents.Count);
                    foreach (var part in extents)
                    {
                        var w = Snapshot(records[part.Part]);
                        w.State = WindowState.Succeeded;
                        w.RowsWritten = staged.PartRows[part.Part];
                        w.ErrorKind = ErrorKind.None;
                        w.Error = "";
                        w.Marked = false;
                        w.UpdatedOn = Now;
                        done.Add(w);
                    }

                    var logged = clock.Elapsed;
                    JobLedger.RecordAttempts(l, extents.Select(p =>
                        new AttemptOutcome(running.Attempts[p.Part], "Succeeded", duration, logged, staged.PartRows[p.Part], ErrorKind.None, "")).ToList());
                    JobLedger.SaveWindows(l, done);
                });
                for (var i = 0; i < extents.Count; i++)
                {
                    outcomes[extents[i].Part].Rows = commits[i].Rows;
                }
            }
        }
        catch (OperationCanceledException)
        {
            var kind = running.Reason ?? (running.TimedOut ? ErrorKind.Timeout : ErrorKind.Cancelled);
            FailAll(kind, kind switch
            {
                ErrorKind.Timeout => $"the attempt ran longer than the job's timeout of {d.EffectiveTimeout}; its query was interrupted",
                ErrorKind.Killed => "killed by an operator (jobs kill)",
                _ => "the server stopped while the attempt ran",
            });
            if (kind == ErrorKind.Killed && running.KilledWindows is { } killed)
            {
                // An operator killed one window of a batch: the others were cut off with it and are due again.
                for (var i = 0; i < records.Count; i++)
                {
                    if (!killed.Contains(records[i].Window.Start))
                    {
                        outcomes[i].Kind = ErrorKind.Cancelled;
                        outcomes[i].Error = $"cancelled with its batch when an operator killed the window at {TimeWindow.Format(killed.Min())}";
                    }
                }
            }
        }
        catch (KqlException e)
        {
            FailAll(ErrorKind.QueryError, e.Message);
        }
        catch (StoreException e)
        {
            FailAll(Classify(e, running), e.Message);
        }
#pragma warning disable CA1031 // An attempt's unexpected failure is recorded, not allowed to stop the scheduler.
        catch (Exception e)
#pragma warning restore CA1031
        {
            FailAll(ErrorKind.QueryError, $"{e.GetType().Name}: {e.Message}");
        }

        Finish(running, records, outcomes, clock.Elapsed);
        return outcomes.Sum(o => o.Rows);
    }

    /// <summary>How one window of an attempt ended.</summary>
    private sealed class Outcome
    {
        public ErrorKind Kind { get; set; }

        public string Error { get; set; } = "";

        public long Rows { get; set; }
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

    /// <summary>
    /// A batch that failed as a whole for a reason one of its windows may have caused (a query error, a timeout, out of
    /// memory): its windows run again one by one, and only those attempts count.
    /// </summary>
    private static bool SplitsBatch(ErrorKind kind) => kind is ErrorKind.QueryError or ErrorKind.TargetError or ErrorKind.Timeout or ErrorKind.OutOfMemory;

    private void Finish(RunningAttempt running, List<WindowRecord> records, Outcome[] outcomes, TimeSpan elapsed)
    {
        var d = running.Definition;
        lock (_lock)
        {
            var now = Now;
            var failed = new List<(WindowRecord Record, AttemptRecord Attempt, string State, Outcome Outcome)>();
            var split = records.Count > 1 && outcomes.All(o => o.Kind == outcomes[0].Kind && o.Error == outcomes[0].Error) && SplitsBatch(outcomes[0].Kind);
            for (var i = 0; i < records.Count; i++)
            {
                var (record, outcome) = (records[i], outcomes[i]);
                _running.Remove((d.Name, record.Window.Start));

                // Reload may have replaced the window's record while the attempt ran: finish the one the scheduler holds now.
                if (_jobs.TryGetValue(d.Name, out var owner) && owner.Find(record.Window.Start) is { } live)
                {
                    record = live;
                }

                record.UpdatedOn = now;
                _finished++;
                if (outcome.Kind == ErrorKind.None)
                {
                    Interlocked.Add(ref _rowsWritten, outcome.Rows);
                    record.Persisted = true;
                    record.State = WindowState.Succeeded;
                    record.RowsWritten = outcome.Rows;
                    record.ErrorKind = ErrorKind.None;
                    record.Error = "";
                    record.Marked = false;
                    record.RunAlone = false;
                    ReleaseDependents(d.Name, record.Window, now);
                    continue;
                }

                if (split)
                {
                    // Not an attempt of any one window: each runs again alone, with its budget untouched.
                    _finished--;
                    record.State = WindowState.Pending;
                    record.Attempts = Math.Max(0, record.Attempts - 1);
                    record.TotalAttempts = Math.Max(0, record.TotalAttempts - 1);
                    record.RunAlone = true;
                    owner?.Reopen(record.Window.Start);
                    continue;
                }

                _failedAttempts++;
                var state = outcome.Kind == ErrorKind.Cancelled ? "Cancelled" : "Failed";
                record.ErrorKind = outcome.Kind;
                record.Error = outcome.Error;
                if (outcome.Kind == ErrorKind.Cancelled)
                {
                    // Due again at the next start, without spending the retry budget.
                    record.State = WindowState.Pending;
                    record.Attempts = Math.Max(0, record.Attempts - 1);
                    _failedAttempts--;
                }
                else if (outcome.Kind == ErrorKind.Killed || record.Attempts >= d.Attempts)
                {
                    record.State = WindowState.Failed;
                }
                else
                {
                    record.State = WindowState.Pending;
                    record.NextAttemptOn = now + d.BackoffBefore(record.Attempts + 1);
                }

                failed.Add((record, running.Attempts[i], state, outcome));
                owner?.Reopen(record.Window.Start);
            }

            if (failed.Count > 0 || split)
            {
                _store.Ledger(l =>
                {
                    JobLedger.RecordAttempts(l, failed.Select(f => new AttemptOutcome(f.Attempt, f.State, elapsed, elapsed, 0, f.Outcome.Kind, f.Outcome.Error)).ToList());
                    JobLedger.SaveWindows(l, failed.Select(f => f.Record).ToList());

                    if (split)
                    {
                        // The store ran the batch's query: QueryLog says so, though no window's attempt counts it.
                        JobLedger.LogQuery(l, $"job:{d.Name}", BatchText(running.Attempts), running.Attempts[0].StartedOn, elapsed, "Failed",
                            $"{outcomes[0].Error} (a batch of {records.Count} windows; each runs again alone)", 0);
                    }

                    return 0;
                });
            }
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

    /// <summary>A batch's query for QueryLog: each window's query as run, as a union.</summary>
    private static string BatchText(IReadOnlyList<AttemptRecord> attempts) =>
        attempts.Count == 1 ? attempts[0].Query : "union\n" + string.Join(",\n", attempts.Select(a => $"({a.Query})"));

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
        w.RunAlone = false;
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

    /// <summary>An attempt in flight, for one window or a batch of them: its cancellation (timeout, kill, shutdown) and its task.</summary>
    private sealed class RunningAttempt : IDisposable
    {
        private readonly CancellationTokenSource _cancel;
        private readonly CancellationTokenSource _timeout;
        private readonly CancellationTokenSource _linked;

        public RunningAttempt(IReadOnlyList<AttemptRecord> attempts, JobDefinition definition, CancellationTokenSource cancel, TimeProvider time)
        {
            Attempts = attempts;
            Definition = definition;
            _cancel = cancel;
            _timeout = new CancellationTokenSource(definition.EffectiveTimeout, time);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(_cancel.Token, _timeout.Token);
        }

        /// <summary>One attempt per window, oldest window first.</summary>
        public IReadOnlyList<AttemptRecord> Attempts { get; }

        public JobDefinition Definition { get; }

        public Task<long> Task { get; set; } = System.Threading.Tasks.Task.FromResult(0L);

        public CancellationToken Token => _linked.Token;

        /// <summary>True when the attempt's own timeout fired.</summary>
        public bool TimedOut => _timeout.IsCancellationRequested;

        /// <summary>Why it was cancelled, when an operator or shutdown did it (a timeout leaves it null).</summary>
        public ErrorKind? Reason { get; private set; }

        /// <summary>When an operator killed some windows of a batch rather than all: their starts.</summary>
        public HashSet<DateTime>? KilledWindows { get; private set; }

        /// <summary>Cancels the attempt; a kill of <paramref name="window"/> alone leaves the batch's other windows due again.</summary>
        public void Cancel(ErrorKind reason, DateTime? window = null)
        {
            if (reason == ErrorKind.Killed && window is { } w && Attempts.Count > 1 && (Reason is null || KilledWindows is not null))
            {
                (KilledWindows ??= []).Add(w);
            }
            else if (reason == ErrorKind.Killed)
            {
                KilledWindows = null;
            }

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
