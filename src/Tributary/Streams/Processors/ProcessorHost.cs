using Tributary.Store;

namespace Tributary.Streams.Processors;

/// <summary>
/// Runs a data directory's declared processors: one task each while started (a failed one is restarted after a pause,
/// its error kept for <c>processors list</c>), pause and resume that persist, and counters reported to the store's
/// <c>ProcessorMetrics</c> table every <see cref="HousekeepingInterval"/> (and rolled up by hour once they are older
/// than the previous hour). Thread-safe.
/// </summary>
public sealed class ProcessorHost : IAsyncDisposable
{
    /// <summary>How often counters go to the store.</summary>
    public static readonly TimeSpan HousekeepingInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often <c>ProcessorMetrics</c> rows from before the previous hour are folded into one row per processor,
    /// metric and hour (the reports of the last hour or two stay as they came, every <see cref="HousekeepingInterval"/>).
    /// </summary>
    public static readonly TimeSpan RollUpInterval = TimeSpan.FromHours(1);

    /// <summary>How long a failed processor waits before it starts again.</summary>
    public static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(5);

    private readonly TributaryStore _store;
    private readonly IEventLog _log;
    private readonly string _dataDirectory;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Running> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ProcessorMetrics> _metrics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failing = new(StringComparer.Ordinal);
    private ProcessorCatalog _catalog;
    private CancellationTokenSource? _housekeeping;
    private Task _housekeepingTask = Task.CompletedTask;
    private bool _started;
    private DateTime _lastRollUp = DateTime.MinValue;

    public ProcessorHost(TributaryStore store, IEventLog log, TimeProvider? time = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _dataDirectory = store.DataDirectory;
        _time = time ?? TimeProvider.System;
        _catalog = ProcessorCatalog.Load(_dataDirectory);
    }

    /// <summary>True once <see cref="Start"/> ran (the processors run in the background).</summary>
    public bool IsStarted
    {
        get
        {
            lock (_gate)
            {
                return _started;
            }
        }
    }

    /// <summary>Starts every processor not paused, and the housekeeping loop.</summary>
    public void Start()
    {
        lock (_gate)
        {
            _started = true;
            foreach (var p in _catalog.Processors.Where(p => !p.Paused))
            {
                StartLocked(p.Definition);
            }

            _housekeeping = new CancellationTokenSource();
            var token = _housekeeping.Token;
            _housekeepingTask = Task.Run(() => HousekeepingAsync(token), CancellationToken.None);
        }
    }

    /// <summary>Re-reads the catalog after an apply: changed or removed processors stop, new or changed ones start.</summary>
    public async Task ReloadAsync()
    {
        var stops = new List<Task>();
        lock (_gate)
        {
            _catalog = ProcessorCatalog.Load(_dataDirectory);
            foreach (var (name, running) in _running.ToList())
            {
                var declared = _catalog.Processors.FirstOrDefault(p => p.Definition.Name == name);
                if (declared is null || declared.Paused || !declared.Definition.SameAs(running.Definition))
                {
                    stops.Add(StopLocked(name));
                }
            }
        }

        await Task.WhenAll(stops).ConfigureAwait(false);
        lock (_gate)
        {
            if (_started)
            {
                foreach (var p in _catalog.Processors.Where(p => !p.Paused && !_running.ContainsKey(p.Definition.Name)))
                {
                    StartLocked(p.Definition);
                }
            }
        }
    }

    /// <summary>Pauses a processor (it finishes or abandons its chunk; uncommitted work is redone on resume); false when it already was.</summary>
    public async Task<bool> PauseAsync(string name)
    {
        Task stop;
        lock (_gate)
        {
            if (!_catalog.SetPaused(name, true))
            {
                return false;
            }

            stop = _running.ContainsKey(name) ? StopLocked(name) : Task.CompletedTask;
        }

        await stop.ConfigureAwait(false);
        return true;
    }

    /// <summary>Resumes a paused processor; false when it was not paused.</summary>
    public bool Resume(string name)
    {
        lock (_gate)
        {
            if (!_catalog.SetPaused(name, false))
            {
                return false;
            }

            if (_started)
            {
                StartLocked(_catalog.Get(name).Definition);
            }

            return true;
        }
    }

    /// <summary>True when a processor reads as consumer group <paramref name="group"/> and is running now.</summary>
    public bool IsRunningGroup(string group)
    {
        lock (_gate)
        {
            return _running.Values.Any(r => r.Definition.Group == group);
        }
    }

    /// <summary>Every declared processor with its state, lag and backlog.</summary>
    public IReadOnlyList<ProcessorStatus> List()
    {
        var reported = _store.ProcessorMetricTotals();
        lock (_gate)
        {
            return _catalog.Processors.Select(p => Status(p, reported.GetValueOrDefault(p.Definition.Name))).ToList();
        }
    }

    /// <summary>
    /// Runs every processor that is not paused until none has anything left to read (in declaration order, repeated
    /// while any made progress). For a process that does not run the processors in the background (the CLI offline, tests).
    /// </summary>
    public async Task<long> RunUntilIdleAsync(CancellationToken cancellationToken)
    {
        List<DeclaredProcessor> declared;
        lock (_gate)
        {
            if (_started)
            {
                throw new InvalidOperationException("the processors run in the background already");
            }

            declared = _catalog.Processors.Where(p => !p.Paused).ToList();
        }

        var runners = declared.Select(p => Create(p.Definition)).ToList();
        try
        {
            long total = 0, round;
            do
            {
                round = 0;
                foreach (var runner in runners)
                {
                    round += await runner.RunAvailableAsync(cancellationToken).ConfigureAwait(false);
                }

                total += round;
            }
            while (round > 0);

            ReportMetrics();
            return total;
        }
        finally
        {
            foreach (var runner in runners)
            {
                runner.Dispose();
            }
        }
    }

    /// <summary>A processor's counters since this host started.</summary>
    public ProcessorMetrics Metrics(string name)
    {
        lock (_gate)
        {
            return MetricsLocked(name);
        }
    }

    /// <summary>Stops every processor and the housekeeping, reporting the last counters.</summary>
    public async ValueTask DisposeAsync()
    {
        List<Task> stops;
        CancellationTokenSource? housekeeping;
        lock (_gate)
        {
            _started = false;
            stops = _running.Keys.ToList().Select(StopLocked).ToList();
            housekeeping = _housekeeping;
            _housekeeping = null;
        }

        // Idempotent: the server's processor service and the operations that own the host both dispose it.
        if (housekeeping is not null)
        {
            await housekeeping.CancelAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(stops).ConfigureAwait(false);
        await _housekeepingTask.ConfigureAwait(false);
        housekeeping?.Dispose();
        ReportMetrics();
    }

    private ProcessorMetrics MetricsLocked(string name)
    {
        if (!_metrics.TryGetValue(name, out var metrics))
        {
            _metrics[name] = metrics = new ProcessorMetrics();
        }

        return metrics;
    }

    private ProcessorRunner Create(ProcessorDefinition definition)
    {
        var kind = ProcessorKinds.Find(definition.Kind) ?? throw new StreamException($"processor '{definition.Name}' is of unknown kind '{definition.Kind}'");
        ProcessorMetrics metrics;
        lock (_gate)
        {
            metrics = MetricsLocked(definition.Name);
        }

        var services = new ProcessorServices(definition, metrics, _store, Path.Combine(ProcessorCatalog.Root(_dataDirectory), definition.Name), _time);
        return kind.CreateProcessor is { } processor ? ProcessorRunner.For(_log, processor(services)) : ProcessorRunner.For(_log, kind.CreateSink!(services));
    }

    private void StartLocked(ProcessorDefinition definition)
    {
        var stop = new CancellationTokenSource();
        var task = Task.Run(() => LoopAsync(definition, stop.Token), CancellationToken.None);
        _running[definition.Name] = new Running(definition, stop, task);
    }

    private Task StopLocked(string name)
    {
        var running = _running[name];
        _running.Remove(name);
        running.Stop.Cancel();
        return running.Task.ContinueWith(_ => running.Stop.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Runs one processor until stopped; a failure is kept and the processor starts again after <see cref="RestartDelay"/>.</summary>
    private async Task LoopAsync(ProcessorDefinition definition, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var runner = Create(definition);
                await runner.RunAvailableAsync(stop).ConfigureAwait(false);
                lock (_gate)
                {
                    _failing.Remove(definition.Name);
                }

                await runner.RunAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                lock (_gate)
                {
                    _failing.Add(definition.Name);
                    _errors[definition.Name] = $"{_time.GetUtcNow().UtcDateTime:yyyy-MM-dd HH:mm:ss}Z {e.GetType().Name}: {e.Message}";
                }

                try
                {
                    await Task.Delay(RestartDelay, _time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task HousekeepingAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(HousekeepingInterval, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                ReportMetrics();
                RollUpMetrics();
            }
            catch (Exception e) when (e is StoreException or StreamException or IOException)
            {
                lock (_gate)
                {
                    _errors["(housekeeping)"] = e.Message;
                }
            }
        }
    }

    /// <summary>Once every <see cref="RollUpInterval"/>: folds the metric reports from before the previous hour by hour.</summary>
    private void RollUpMetrics()
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (now - _lastRollUp < RollUpInterval)
        {
            return;
        }

        var hour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        _store.RollUpProcessorMetrics(hour - TimeSpan.FromHours(1));
        _lastRollUp = now;
    }

    private void ReportMetrics()
    {
        List<(string, string, long)> changes;
        lock (_gate)
        {
            changes = _metrics.SelectMany(m => m.Value.TakeChanges().Select(c => (m.Key, c.Metric, c.Value))).ToList();
        }

        _store.RecordProcessorMetrics(_time.GetUtcNow().UtcDateTime, changes);
    }

    private ProcessorStatus Status(DeclaredProcessor p, Dictionary<string, long>? reported)
    {
        var d = p.Definition;
        var state = p.Paused ? "paused" : _running.ContainsKey(d.Name) ? (_failing.Contains(d.Name) ? "failed" : "running") : "stopped";
        long lag = 0;
        DateTime? oldest = null, expires = null;
        if (_log.HasTopic(d.Input))
        {
            var settings = _log.DescribeTopic(d.Input).Settings;
            foreach (var partition in ConsumerGroups.Lag(_log, d.Group, d.Input))
            {
                lag += partition.Lag;
                if (partition.Lag > 0 && _log.TimestampAt(d.Input, partition.Partition, Math.Max(partition.Committed ?? 0, partition.EarliestOffset)) is { } first)
                {
                    oldest = oldest is null || first < oldest ? first : oldest;
                }
            }

            expires = oldest + settings.RetentionAge;
        }

        var counts = new SortedDictionary<string, long>(reported ?? [], StringComparer.Ordinal);
        foreach (var (metric, value) in MetricsLocked(d.Name).Unreported)
        {
            counts[metric] = counts.GetValueOrDefault(metric) + value;
        }

        return new ProcessorStatus(d.Name, d.Kind, d.Input, state, lag, oldest, expires, _errors.GetValueOrDefault(d.Name, ""), counts);
    }

    private sealed record Running(ProcessorDefinition Definition, CancellationTokenSource Stop, Task Task);
}
