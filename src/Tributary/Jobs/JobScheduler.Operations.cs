using System.Globalization;

namespace Tributary.Jobs;

// Operations: seed 000's troubleshooting guide and seed 003's runbook as methods.
public sealed partial class JobScheduler
{
    /// <summary>Every job with its state, lag and window counts (<c>jobs list</c>).</summary>
    /// <param name="asOf">The time to measure lag and pending windows against (default: the clock's now).</param>
    public IReadOnlyList<JobStatus> List(DateTime? asOf = null)
    {
        var now = asOf ?? Now;
        lock (_lock)
        {
            return _jobs.Values.OrderBy(j => j.Definition.Name, StringComparer.Ordinal).Select(j => Status(j, now)).ToList();
        }
    }

    private JobStatus Status(JobState job, DateTime now)
    {
        var d = job.Definition;
        var done = job.DoneUntil();
        var dueWindows = now < d.Start + d.Window + d.Delay ? 0 : (int)Math.Min(int.MaxValue, (now - d.Delay - d.Start).Ticks / d.Window.Ticks);
        var dueEnd = d.Start + TimeSpan.FromTicks(d.Window.Ticks * dueWindows);
        int succeeded = 0, failed = 0, running = 0, recorded = 0;
        foreach (var w in job.Windows.Values)
        {
            var due = w.Window.Start >= d.Start && w.Window.End <= dueEnd;
            recorded += due ? 1 : 0;
            switch (w.State)
            {
                case WindowState.Succeeded or WindowState.Skipped:
                    succeeded++;
                    break;
                case WindowState.Failed:
                    failed++;
                    break;
                case WindowState.Running:
                    running++;
                    break;
                default:
                    recorded -= due ? 1 : 0;
                    break;
            }
        }

        var pending = dueWindows - recorded;
        var state = !d.Enabled ? "disabled" : job.Paused ? "paused" : running > 0 ? "running" : failed > 0 ? "failing" : "enabled";
        return new JobStatus(d.Name, state, d.Target, d.Window, d.MaxParallelism, done, done is { } e ? (now > e ? now - e : TimeSpan.Zero) : null, succeeded, failed, running, Math.Max(0, pending));
    }

    /// <summary>The last <paramref name="last"/> windows of a job up to now, with the failed attempts among them (<c>jobs show</c>).</summary>
    public JobHistory Show(string name, int last = 24, DateTime? asOf = null)
    {
        if (last is < 1 or > 10_000)
        {
            throw new JobException($"--last must be between 1 and 10000, not {last}");
        }

        var now = asOf ?? Now;
        List<WindowView> windows;
        JobStatus status;
        lock (_lock)
        {
            var job = Require(name);
            var d = job.Definition;
            status = Status(job, now);
            var latest = now < d.Start ? d.WindowAt(d.Start) : d.WindowAt(now);
            var first = latest.Start - TimeSpan.FromTicks(d.Window.Ticks * (last - 1));
            if (first < d.Start)
            {
                first = d.Start;
            }

            windows = [];
            for (var w = d.WindowAt(first); w.Start <= latest.Start; w = new TimeWindow(w.End, w.End + d.Window))
            {
                windows.Add(job.Find(w.Start) is { } r ? View(r) : new WindowView(d.Name, w, WindowState.Pending, 0, 0, ErrorKind.None, "", null, false));
            }
        }

        var failedStarts = windows.Where(w => w.State == WindowState.Failed).Select(w => w.Window.Start).ToHashSet();
        var attempts = windows.Count == 0
            ? []
            : _ledger.Attempts(name, windows[0].Window.Start, windows[^1].Window.End).Where(a => failedStarts.Contains(a.Window.Start) && a.State != "Succeeded").ToList();
        return new JobHistory(status, now, windows, attempts);
    }

    /// <summary>Makes windows in <c>[from, to)</c> due again: all of them, or only the failed ones (<c>jobs rerun</c>).</summary>
    public OperationResult Rerun(string name, DateTime from, DateTime to, bool failedOnly)
    {
        var now = Now;
        lock (_lock)
        {
            var job = Require(name);
            var windows = WindowsIn(job, from, to, now, allowBeforeStart: false);
            var chosen = windows.Select(w => job.Find(w.Start)).OfType<WindowRecord>()
                .Where(r => failedOnly ? r.State == WindowState.Failed : r.State is not (WindowState.Running or WindowState.Pending)).ToList();
            chosen.ForEach(r => Reset(job, r, now, keepTransaction: false));
            Save(chosen);
            return new OperationResult(
                $"{chosen.Count} {(failedOnly ? "failed " : "")}window(s) of {name} in [{TimeWindow.Format(from)}, {TimeWindow.Format(to)}) will run again", chosen.Select(View).ToList());
        }
    }

    /// <summary>Runs every window in <c>[from, to)</c> again, including windows before the job's start (<c>jobs backfill</c>).</summary>
    public OperationResult Backfill(string name, DateTime from, DateTime to)
    {
        var now = Now;
        lock (_lock)
        {
            var job = Require(name);
            var chosen = new List<WindowRecord>();
            foreach (var w in WindowsIn(job, from, to, now, allowBeforeStart: true))
            {
                var r = job.GetOrAdd(w);
                if (r.State != WindowState.Running)
                {
                    Reset(job, r, now, keepTransaction: false);
                    chosen.Add(r);
                }
            }

            Save(chosen);
            return new OperationResult($"{chosen.Count} window(s) of {name} in [{TimeWindow.Format(from)}, {TimeWindow.Format(to)}) will be backfilled", chosen.Select(View).ToList());
        }
    }

    /// <summary>Stops (or lets again) a job taking new windows; running attempts finish (<c>jobs pause|resume</c>).</summary>
    public OperationResult SetPaused(string name, bool paused)
    {
        lock (_lock)
        {
            var job = Require(name);
            job.Paused = paused;
            _store.Ledger(l =>
            {
                JobLedger.SaveJob(l, job.Definition, paused, Now);
                return 0;
            });
        }

        _wake.Release();
        return new OperationResult(paused ? $"{name} is paused: running windows finish, no new ones start" : $"{name} is resumed", []);
    }

    /// <summary>Changes a job's settings (<c>jobs set</c>). A later <c>apply</c> of the pipeline file sets them as the file says.</summary>
    public OperationResult Set(string name, JobSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        lock (_lock)
        {
            var job = Require(name);
            var d = job.Definition;
            var changed = d with
            {
                MaxParallelism = settings.MaxParallelism ?? d.MaxParallelism,
                Timeout = settings.Timeout ?? d.Timeout,
                Attempts = settings.Attempts ?? d.Attempts,
                Delay = settings.Delay ?? d.Delay,
                RowLimit = settings.RowLimit is { } limit ? (limit == 0 ? null : limit) : d.RowLimit,
                Enabled = settings.Enabled ?? d.Enabled,
                Batch = settings.Batch ?? d.Batch,
            };
            try
            {
                changed.Validate();
            }
            catch (ArgumentException e)
            {
                throw new JobException(e.Message, e);
            }

            job.Definition = changed;
            _store.Ledger(l =>
            {
                JobLedger.SaveJob(l, changed, job.Paused, Now);
                return 0;
            });
        }

        _wake.Release();
        return new OperationResult($"{name}: {Describe(settings)}", []);
    }

    private static string Describe(JobSettings s)
    {
        var parts = new List<string>();
        if (s.MaxParallelism is { } p)
        {
            parts.Add($"max parallelism {p}");
        }

        if (s.Timeout is { } t)
        {
            parts.Add($"timeout {t}");
        }

        if (s.Attempts is { } a)
        {
            parts.Add($"attempts {a}");
        }

        if (s.Delay is { } d)
        {
            parts.Add($"delay {d}");
        }

        if (s.RowLimit is { } r)
        {
            parts.Add(r == 0 ? "no row limit" : $"row limit {r.ToString("N0", CultureInfo.InvariantCulture)}");
        }

        if (s.Batch is { } b)
        {
            parts.Add(b == 1 ? "every window alone" : $"up to {b} windows a query when behind");
        }

        if (s.Enabled is { } e)
        {
            parts.Add(e ? "enabled" : "disabled");
        }

        return parts.Count == 0 ? "nothing to change" : string.Join(", ", parts);
    }

    /// <summary>Interrupts the running attempts of a job, or of one window; they end Failed (kind Killed) and wait for an operator (<c>jobs kill</c>).</summary>
    public OperationResult Kill(string name, DateTime? window = null)
    {
        lock (_lock)
        {
            var job = Require(name);
            var targets = _running.Where(r => r.Key.Job == name && (window is null || job.Definition.WindowAt(window.Value).Start == r.Key.Start)).ToList();
            if (window is not null && targets.Count == 0)
            {
                throw new JobException($"no attempt of {name} is running for the window at {TimeWindow.Format(window.Value)}");
            }

            targets.ForEach(t => t.Value.Cancel(ErrorKind.Killed, window is null ? null : t.Key.Start));
            return new OperationResult($"{targets.Count} running attempt(s) of {name} killed",
                targets.Select(t => job.Find(t.Key.Start)).OfType<WindowRecord>().Select(View).ToList());
        }
    }

    /// <summary>Commits an empty window: drops its output and marks it done, so downstream proceeds (seed 003's empty commit / mark success).</summary>
    public OperationResult MarkSucceeded(string name, DateTime at)
    {
        var now = Now;
        lock (_lock)
        {
            var job = Require(name);
            var record = job.GetOrAdd(WindowAtChecked(job, at, now));
            RefuseRunning(record);
            record.State = WindowState.Skipped;
            record.Marked = true;
            record.RowsWritten = 0;
            record.ErrorKind = ErrorKind.None;
            record.Error = "";
            record.NextAttemptOn = null;
            record.UpdatedOn = now;
            DropWindowOutput(job, record);
            ReleaseDependents(name, record.Window, now);
            return new OperationResult($"window {record.Window} of {name} is marked succeeded with no rows; downstream windows may run", [View(record)]);
        }
    }

    /// <summary>Runs a window again, and with <paramref name="downstream"/> every window downstream that overlaps it (seed 003's clear downstream).</summary>
    public OperationResult Clear(string name, DateTime at, bool downstream)
    {
        var now = Now;
        lock (_lock)
        {
            var job = Require(name);
            var record = job.GetOrAdd(WindowAtChecked(job, at, now));
            RefuseRunning(record);
            var changed = new List<WindowRecord> { record };
            Reset(job, record, now, keepTransaction: true);
            if (downstream)
            {
                foreach (var other in JobPlanner.Downstream(name, _jobs).Select(n => _jobs[n]))
                {
                    foreach (var w in OverlappingRecords(other, record.Window).Where(w => w.State != WindowState.Running))
                    {
                        Reset(other, w, now, keepTransaction: true);
                        changed.Add(w);
                    }
                }
            }

            Save(changed);
            return new OperationResult($"{changed.Count} window(s) cleared; they run again when their dependencies allow", changed.Select(View).ToList());
        }
    }

    /// <summary>
    /// Drops a window's output (its extents) and marks it retracted (done, no rows). Downstream windows that read it run
    /// again with <paramref name="cascade"/>; without it they are listed.
    /// </summary>
    public OperationResult Retract(string name, DateTime at, bool cascade)
    {
        var now = Now;
        lock (_lock)
        {
            var job = Require(name);
            var record = job.Find(WindowAtChecked(job, at, now).Start);
            if (record is null || record.State is not (WindowState.Succeeded or WindowState.Skipped))
            {
                throw new JobException($"window {job.Definition.WindowAt(at)} of {name} has no committed output to retract (state {record?.State ?? WindowState.Pending})");
            }

            record.State = WindowState.Skipped;
            record.Marked = false;
            record.RowsWritten = 0;
            record.Error = "retracted";
            record.UpdatedOn = now;
            var dropped = DropWindowOutput(job, record);
            var affected = new List<WindowRecord>();
            foreach (var other in JobPlanner.Downstream(name, _jobs).Select(n => _jobs[n]))
            {
                affected.AddRange(OverlappingRecords(other, record.Window).Where(w => w.State is WindowState.Succeeded or WindowState.Skipped));
            }

            if (cascade)
            {
                affected.ForEach(w => Reset(_jobs[w.Job], w, now, keepTransaction: true));
                Save(affected);
            }

            var message = $"window {record.Window} of {name} retracted: {dropped.ToString("N0", CultureInfo.InvariantCulture)} row(s) dropped from {job.Definition.Target}; " +
                (cascade ? $"{affected.Count} downstream window(s) will run again" : $"{affected.Count} downstream window(s) read it (rerun them, or retract with --cascade)");
            return new OperationResult(message, [View(record), .. affected.Select(View)]);
        }
    }

    // ---- runs (seed 003) ---------------------------------------------------------------------

    /// <summary>Starts the window containing <paramref name="at"/> of each job under one transaction id (new when null).</summary>
    public RunView StartRun(IReadOnlyList<string> jobs, DateTime at, string? transactionId = null)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            throw new JobException("a run needs at least one job (--jobs a,b,c)");
        }

        var txn = transactionId ?? Guid.NewGuid().ToString("D");
        if (txn.Length is 0 or > 200 || txn.Any(char.IsControl) || txn.Any(char.IsWhiteSpace))
        {
            throw new JobException($"invalid transaction id '{txn}': 1 to 200 characters without spaces or control characters");
        }

        var now = Now;
        TimeWindow runWindow;
        lock (_lock)
        {
            var states = jobs.Distinct(StringComparer.Ordinal).Select(Require).ToList();
            var records = states.Select(j => (Job: j, Record: j.GetOrAdd(WindowAtChecked(j, at, now)))).ToList();
            if (records.FirstOrDefault(r => r.Record.State == WindowState.Running) is { Job: not null } busy)
            {
                throw new JobException($"window {busy.Record.Window} of {busy.Job.Definition.Name} is running; wait for it or kill it first");
            }

            foreach (var (job, record) in records)
            {
                Reset(job, record, now, keepTransaction: false);
                record.TransactionId = txn;
            }

            runWindow = new TimeWindow(records.Min(r => r.Record.Window.Start), records.Max(r => r.Record.Window.End));
            _store.Ledger(l =>
            {
                JobLedger.SaveRun(l, txn, states.Select(s => s.Definition.Name).ToList(), runWindow, now);
                records.ForEach(r => JobLedger.SaveWindow(l, r.Record));
                return 0;
            });
        }

        _wake.Release();
        return ShowRun(txn);
    }

    /// <summary>Per job of a run: committed or not, rows, extents and error (<c>runs show</c>).</summary>
    public RunView ShowRun(string transactionId)
    {
        var run = _ledger.LoadRun(transactionId) ?? throw new JobException($"no run has transaction id '{transactionId}'");
        var result = new List<RunJobView>();
        foreach (var name in run.Jobs)
        {
            WindowRecord? record;
            JobDefinition? d;
            lock (_lock)
            {
                d = _jobs.GetValueOrDefault(name)?.Definition;
                record = d is null ? null : _jobs[name].Find(d.WindowAt(run.Window.Start).Start);
            }

            if (d is null || record is null)
            {
                result.Add(new RunJobView(name, run.Window, false, WindowState.Pending, 0, 0, ErrorKind.None, d is null ? "the job no longer exists" : ""));
                continue;
            }

            var inRun = record.TransactionId == transactionId;
            var (extents, rows) = _store.HasTable(d.Target) ? _store.TaggedExtents(d.Target, $"transaction:{transactionId}") : (0, 0);
            var committed = inRun && IsCommitted(record);
            result.Add(new RunJobView(name, record.Window, committed, inRun ? record.State : WindowState.Pending, rows, extents,
                inRun ? record.ErrorKind : ErrorKind.None, inRun ? record.Error : "the window was re-run outside this transaction"));
        }

        return new RunView(transactionId, run.CreatedOn, result);
    }

    /// <summary>Runs a run again under the same transaction id: committed outputs are kept, the rest run (<c>runs rerun</c>).</summary>
    public RunView RerunRun(string transactionId)
    {
        var run = _ledger.LoadRun(transactionId) ?? throw new JobException($"no run has transaction id '{transactionId}'");
        var now = Now;
        lock (_lock)
        {
            var changed = new List<WindowRecord>();
            foreach (var name in run.Jobs.Where(_jobs.ContainsKey))
            {
                var job = _jobs[name];
                var record = job.GetOrAdd(job.Definition.WindowAt(run.Window.Start));
                if (record.TransactionId == transactionId && (IsCommitted(record) || record.State == WindowState.Running))
                {
                    continue;
                }

                Reset(job, record, now, keepTransaction: false);
                record.TransactionId = transactionId;
                changed.Add(record);
            }

            Save(changed);
        }

        _wake.Release();
        return ShowRun(transactionId);
    }

    /// <summary>Retracts the committed outputs of a run (all its jobs, or the ones named) (<c>runs retract</c>).</summary>
    public OperationResult RetractRun(string transactionId, IReadOnlyList<string>? jobs = null)
    {
        var run = ShowRun(transactionId);
        var chosen = run.Jobs.Where(j => j.Committed && (jobs is null || jobs.Count == 0 || jobs.Contains(j.Job, StringComparer.Ordinal))).ToList();
        if (jobs is { Count: > 0 } && jobs.FirstOrDefault(n => run.Jobs.All(j => j.Job != n)) is { } unknown)
        {
            throw new JobException($"job '{unknown}' is not part of run {transactionId} (its jobs: {string.Join(", ", run.Jobs.Select(j => j.Job))})");
        }

        var windows = new List<WindowView>();
        foreach (var job in chosen)
        {
            windows.AddRange(Retract(job.Job, job.Window.Start, cascade: false).Windows.Take(1));
        }

        return new OperationResult($"{chosen.Count} committed output(s) of run {transactionId} retracted", windows);
    }

    // ---- helpers -----------------------------------------------------------------------------

    private JobState Require(string name)
    {
        if (_jobs.TryGetValue(name, out var job))
        {
            return job;
        }

        var near = _jobs.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
                   ?? _jobs.Keys.FirstOrDefault(k => k.Contains(name, StringComparison.OrdinalIgnoreCase));
        throw new JobException(_jobs.Count == 0
            ? $"unknown job '{name}': no jobs are defined (apply a pipeline file with jobs first)"
            : $"unknown job '{name}'{(near is null ? "" : $"; did you mean '{near}'?")} (jobs: {string.Join(", ", _jobs.Keys.Order(StringComparer.Ordinal).Take(30))})");
    }

    private static List<TimeWindow> WindowsIn(JobState job, DateTime from, DateTime to, DateTime now, bool allowBeforeStart)
    {
        var d = job.Definition;
        if (from >= to)
        {
            throw new JobException($"--from ({TimeWindow.Format(from)}) must be before --to ({TimeWindow.Format(to)})");
        }

        if (!allowBeforeStart && to <= d.Start)
        {
            throw new JobException($"[{TimeWindow.Format(from)}, {TimeWindow.Format(to)}) is before {d.Name} starts ({TimeWindow.Format(d.Start)}); use jobs backfill for earlier windows");
        }

        if (from > now)
        {
            throw new JobException($"[{TimeWindow.Format(from)}, {TimeWindow.Format(to)}) lies in the future (now is {TimeWindow.Format(now)})");
        }

        var first = d.WindowAt(allowBeforeStart || from > d.Start ? from : d.Start);
        var list = new List<TimeWindow>();
        for (var w = first; w.Start < to && w.Start <= now; w = new TimeWindow(w.End, w.End + d.Window))
        {
            if (list.Count >= 100_000)
            {
                throw new JobException($"the range holds more than 100000 windows of {d.Name}; choose a shorter range");
            }

            list.Add(w);
        }

        return list;
    }

    private static TimeWindow WindowAtChecked(JobState job, DateTime at, DateTime now)
    {
        var d = job.Definition;
        var w = d.WindowAt(at);
        if (w.Start < d.Start)
        {
            throw new JobException($"{TimeWindow.Format(at)} is before {d.Name} starts ({TimeWindow.Format(d.Start)})");
        }

        if (w.Start > now)
        {
            throw new JobException($"the window at {TimeWindow.Format(at)} lies in the future (now is {TimeWindow.Format(now)})");
        }

        return w;
    }

    private static void RefuseRunning(WindowRecord record)
    {
        if (record.State == WindowState.Running)
        {
            throw new JobException($"window {record.Window} of {record.Job} is running; kill it first (jobs kill {record.Job} --window {TimeWindow.Format(record.Window.Start)})");
        }
    }

    private static IEnumerable<WindowRecord> OverlappingRecords(JobState job, TimeWindow window) =>
        job.Windows.Values.Where(w => w.Window.Overlaps(window)).ToList();

    private long DropWindowOutput(JobState job, WindowRecord record)
    {
        var d = job.Definition;
        if (!_store.HasTable(d.Target))
        {
            _store.Ledger(l =>
            {
                JobLedger.SaveWindow(l, record);
                return 0;
            });
            return 0;
        }

        return _store.DropTagged(d.Target, WindowTag(d.Name, record.Window), l => JobLedger.SaveWindow(l, record));
    }

    private void Save(List<WindowRecord> records)
    {
        if (records.Count > 0)
        {
            _store.Ledger(l =>
            {
                records.ForEach(r => JobLedger.SaveWindow(l, r));
                return 0;
            });
            _wake.Release();
        }
    }

    /// <summary>Its output is committed: it succeeded, or was marked succeeded (an empty commit). A retracted window is done but not committed.</summary>
    private static bool IsCommitted(WindowRecord r) => r.State == WindowState.Succeeded || r is { State: WindowState.Skipped, Marked: true };

    private static WindowView View(WindowRecord r) =>
        new(r.Job, r.Window, r.State, r.TotalAttempts, r.RowsWritten, r.ErrorKind, r.Error, r.TransactionId, r.Marked);
}
