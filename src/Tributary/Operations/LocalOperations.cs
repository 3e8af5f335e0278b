using Tributary.Jobs;
using Tributary.Pipelines;
using Tributary.Query;
using Tributary.Store;
using Tributary.Store.Ingestion;
using Tributary.Streams;
using Tributary.Streams.Ingest;
using Tributary.Streams.Processors;

namespace Tributary.Operations;

/// <summary>
/// The operations carried out on a data directory this process owns: its store, its job scheduler, its event log
/// and its ingestion switch. The server holds one for its lifetime; the CLI opens one per command when no server runs.
/// </summary>
/// <remarks>
/// The scheduler, the log and the ingestion switch open on first use, so a command that needs none of them does not
/// pay for them; the store (opened first) holds the directory's lock, so they are never opened by two processes.
/// </remarks>
public sealed class LocalOperations : ITributaryOperations
{
    private readonly bool _ownsStore;
    private readonly Lock _gate = new();
    private JobScheduler? _scheduler;
    private FasterEventLog? _log;
    private ProcessorHost? _processors;
    private IngestionGate? _ingestion;
    private bool _disposed;

    /// <summary>Operations on an open store (the caller keeps owning it unless <paramref name="ownsStore"/>).</summary>
    public LocalOperations(TributaryStore store, TimeProvider? time = null, bool ownsStore = false, string user = TributaryStore.DefaultUser)
    {
        Store = store ?? throw new ArgumentNullException(nameof(store));
        Time = time ?? TimeProvider.System;
        _ownsStore = ownsStore;
        User = user;
    }

    /// <summary>Opens the data directory (refused when another process owns it).</summary>
    public static LocalOperations Open(string dataDirectory, TimeProvider? time = null) =>
        new(TributaryStore.Open(dataDirectory, time), time, ownsStore: true);

    public TributaryStore Store { get; }

    public TimeProvider Time { get; }

    /// <summary>Who queries run as in <c>QueryLog</c>.</summary>
    public string User { get; }

    /// <summary>The job scheduler, opened on first use.</summary>
    public JobScheduler Scheduler
    {
        get
        {
            lock (_gate)
            {
                return _scheduler ??= JobScheduler.Open(Store, Time);
            }
        }
    }

    /// <summary>The event log (<c>DATA/streams</c>), opened on first use and closed with the operations.</summary>
    public IEventLog Log
    {
        get
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return _log ??= FasterEventLog.Open(Store.DataDirectory, Time);
            }
        }
    }

    /// <summary>The stream processors of the data directory (started by the server; run on demand offline).</summary>
    public ProcessorHost Processors
    {
        get
        {
            var log = Log;
            lock (_gate)
            {
                return _processors ??= new ProcessorHost(Store, log, Time);
            }
        }
    }

    /// <summary>True once <see cref="Log"/> has been opened.</summary>
    public bool IsLogOpen
    {
        get
        {
            lock (_gate)
            {
                return _log is not null;
            }
        }
    }

    /// <summary>The ingestion switch (<c>DATA/streams/ingestion.json</c>), read on first use.</summary>
    public IngestionGate Ingestion
    {
        get
        {
            lock (_gate)
            {
                return _ingestion ??= IngestionGate.Open(Store.DataDirectory, Time);
            }
        }
    }

    /// <summary>The most records one <see cref="ReadRecords"/> returns.</summary>
    public const int MaxReadRecords = 10_000;

    public QueryResult Query(string text, IReadOnlyDictionary<string, object?>? parameters, CancellationToken cancellationToken) =>
        Store.ExecuteAs(User, text, parameters, cancellationToken);

    public IngestResult Ingest(string table, string path, IngestFormat? format, IReadOnlyList<string> tags, CancellationToken cancellationToken) =>
        Store.IngestFile(table, path, format, tags, null, cancellationToken);

    public ApplyResult Apply(string file, string yaml, bool dryRun)
    {
        var pipeline = PipelineLoader.Parse(yaml, file);
        var streams = pipeline.Topics.Count > 0 || pipeline.Processors.Count > 0;
        if (dryRun)
        {
            return new ApplyResult(file, true, [.. PipelineApplier.Plan(Store, pipeline), .. streams ? StreamsApplier.Plan(Log, Store, pipeline) : []]);
        }

        // Checked before anything changes: a bad topic or processor leaves the store as it was.
        var streamSteps = streams ? StreamsApplier.Plan(Log, Store, pipeline) : [];
        var steps = PipelineApplier.Apply(Store, pipeline);
        if (streams)
        {
            steps = [.. steps, .. StreamsApplier.ApplyPlanned(Log, pipeline, Store, streamSteps)];
            _processors?.ReloadAsync().GetAwaiter().GetResult();
        }

        if (steps.Any(s => s.Action != PlanAction.Unchanged))
        {
            // An unchanged file (an idempotent re-apply) leaves the running scheduler alone: a reload while attempts end
            // can lose a window's record and run it again (see JobScheduler.Reload).
            _scheduler?.Reload();
        }
        return new ApplyResult(file, false, steps);
    }

    public RunReport RunJobs(DateTime until, IProgress<RunProgress>? progress, CancellationToken cancellationToken) =>
        Scheduler.RunDueAsync(until, progress, cancellationToken).GetAwaiter().GetResult();

    public IReadOnlyList<JobStatus> ListJobs(DateTime? asOf) => Scheduler.List(asOf);

    public JobHistory ShowJob(string name, int last, DateTime? asOf) => Scheduler.Show(name, last, asOf);

    public OperationResult Rerun(string name, DateTime from, DateTime to, bool failedOnly) => Scheduler.Rerun(name, from, to, failedOnly);

    public OperationResult Backfill(string name, DateTime from, DateTime to) => Scheduler.Backfill(name, from, to);

    public OperationResult SetPaused(string name, bool paused) => Scheduler.SetPaused(name, paused);

    public OperationResult SetJob(string name, JobSettings settings) => Scheduler.Set(name, settings);

    public OperationResult Kill(string name, DateTime? window) => Scheduler.Kill(name, window);

    public OperationResult MarkSucceeded(string name, DateTime window) => Scheduler.MarkSucceeded(name, window);

    public OperationResult Clear(string name, DateTime window, bool downstream) => Scheduler.Clear(name, window, downstream);

    public OperationResult Retract(string name, DateTime window, bool cascade) => Scheduler.Retract(name, window, cascade);

    public RunView StartRun(IReadOnlyList<string> jobs, DateTime window, string? transactionId) => Scheduler.StartRun(jobs, window, transactionId);

    public RunView ShowRun(string transactionId) => Scheduler.ShowRun(transactionId);

    public RunView RerunRun(string transactionId) => Scheduler.RerunRun(transactionId);

    public OperationResult RetractRun(string transactionId, IReadOnlyList<string>? jobs) => Scheduler.RetractRun(transactionId, jobs);

    public TopicInfo CreateTopic(string name, TopicSettings settings) => Log.CreateTopic(name, settings);

    public IReadOnlyList<TopicInfo> ListTopics() => Log.ListTopics();

    public TopicInfo DescribeTopic(string name) => Log.DescribeTopic(name);

    public TopicInfo DeleteTopic(string name)
    {
        var info = Log.DescribeTopic(name);
        Log.DeleteTopic(name);
        return info;
    }

    public ProduceResult Produce(string topic, RecordLines records, CancellationToken cancellationToken) =>
        ProduceAsync(topic, records, cancellationToken).AsTask().GetAwaiter().GetResult();

    /// <summary><see cref="Produce"/> without blocking a thread while the append becomes durable.</summary>
    public async ValueTask<ProduceResult> ProduceAsync(string topic, RecordLines records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        Ingestion.ThrowIfPaused();
        var log = Log;
        var positions = await log.AppendAsync(topic, records.Records.Select(r => new LogRecord(r.Key, r.Value)).ToList(), cancellationToken).ConfigureAwait(false);
        return ProduceResult.From(topic, positions);
    }

    public RecordsPage ReadRecords(string topic, IReadOnlyList<PartitionOffset> from, int max, TimeSpan wait, CancellationToken cancellationToken) =>
        ReadRecordsAsync(topic, from, max, wait, cancellationToken).GetAwaiter().GetResult();

    /// <summary><see cref="ReadRecords"/> without blocking a thread while it waits.</summary>
    public async Task<RecordsPage> ReadRecordsAsync(string topic, IReadOnlyList<PartitionOffset> from, int max, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(from);
        var log = Log;
        var info = log.DescribeTopic(topic);
        if (from.Count == 0)
        {
            throw new StreamException("say which partitions to read, with an offset for each");
        }

        if (max is < 1 or > MaxReadRecords)
        {
            throw new StreamException($"max must be between 1 and {MaxReadRecords:N0}, not {max}");
        }

        if (wait < TimeSpan.Zero)
        {
            throw new StreamException($"wait must not be negative, not {wait}");
        }

        var seen = new HashSet<int>();
        foreach (var p in from)
        {
            if (p.Partition < 0 || p.Partition >= info.Partitions.Count)
            {
                throw new StreamException($"topic '{topic}' has partitions 0 to {info.Partitions.Count - 1}, not {p.Partition}");
            }

            if (p.Offset < 0)
            {
                throw new StreamException($"an offset is never negative ({p.Offset} for partition {p.Partition})");
            }

            if (!seen.Add(p.Partition))
            {
                throw new StreamException($"partition {p.Partition} is asked for twice");
            }
        }

        using var timeout = new CancellationTokenSource(wait == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : wait, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        while (true)
        {
            var records = new List<ConsumedRecord>();
            foreach (var p in from)
            {
                if (records.Count >= max)
                {
                    break;
                }

                records.AddRange(log.Read(topic, p.Partition, p.Offset, max - records.Count).Select(ConsumedRecord.From));
            }

            if (records.Count > 0 || wait == TimeSpan.Zero || timeout.IsCancellationRequested)
            {
                return new RecordsPage(topic, records);
            }

            cancellationToken.ThrowIfCancellationRequested();

            // Any partition growing ends the wait; the loop then reads again (growth may be short of the offset asked).
            // The other waits are cancelled at once, so none stays registered on an idle partition.
            using var round = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
            try
            {
                await Task.WhenAny(from.Select(p => log.WaitForRecordsAsync(topic, p.Partition, p.Offset, round.Token))).ConfigureAwait(false);
            }
            finally
            {
                await round.CancelAsync().ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public IReadOnlyList<GroupSummary> ListGroups()
    {
        var log = Log;
        return log.ListGroups().Select(g =>
        {
            var lags = ConsumerGroups.Lag(log, g);
            return new GroupSummary(g, lags.Select(l => l.Topic).Distinct().ToList(), lags.Count, lags.Sum(l => l.Lag));
        }).ToList();
    }

    public IReadOnlyList<PartitionLag> DescribeGroup(string group, string? topic)
    {
        var log = Log;
        if (topic is null)
        {
            FasterEventLog.ValidateName(group, "consumer group");
            var groups = log.ListGroups();
            if (!groups.Contains(group, StringComparer.Ordinal))
            {
                var similar = groups.FirstOrDefault(g => string.Equals(g, group, StringComparison.OrdinalIgnoreCase));
                throw new StreamException(similar is not null
                    ? $"consumer group '{group}' does not exist; did you mean '{similar}'?"
                    : $"consumer group '{group}' does not exist ({(groups.Count == 0 ? "no group has committed offsets yet" : "groups: " + string.Join(", ", groups))})");
            }
        }

        return ConsumerGroups.Lag(log, group, topic);
    }

    public IReadOnlyList<PartitionLag> CommitOffsets(string group, string topic, IReadOnlyDictionary<int, long> offsets)
    {
        Log.CommitOffsets(group, topic, offsets);
        return ConsumerGroups.Lag(Log, group, topic);
    }

    public IReadOnlyList<OffsetMove> ResetOffsets(string group, string topic, OffsetReset reset, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(reset);
        if (reset.Kind == OffsetResetKind.ToOffset && reset.Value < 0)
        {
            throw new StreamException($"--to-offset must not be negative, not {reset.Value}");
        }

        if (!dryRun && _processors?.IsRunningGroup(group) == true)
        {
            throw new StreamException($"processor '{group}' is running and would overwrite the offsets; pause it first (processors pause {group}), reset, then resume it");
        }

        return ConsumerGroups.ResetOffsets(Log, group, topic, reset, dryRun);
    }

    public IReadOnlyList<ProcessorStatus> ListProcessors() => Processors.List();

    public ProcessorStatus SetProcessorPaused(string name, bool paused)
    {
        var host = Processors;
        if (paused)
        {
            host.PauseAsync(name).GetAwaiter().GetResult();
        }
        else
        {
            host.Resume(name);
        }

        return host.List().First(p => p.Name == name);
    }

    public ProcessorsRunResult RunProcessors(TimeSpan wait, CancellationToken cancellationToken)
    {
        var host = Processors;
        if (!host.IsStarted)
        {
            var processed = host.RunUntilIdleAsync(cancellationToken).GetAwaiter().GetResult();
            return new ProcessorsRunResult(processed, host.List());
        }

        // The server's processors run by themselves: wait until none that runs lags.
        var until = Time.GetUtcNow() + wait;
        while (true)
        {
            var list = host.List();
            if (list.All(p => p.State != "running" || p.Lag == 0) || Time.GetUtcNow() >= until)
            {
                return new ProcessorsRunResult(0, list);
            }

            Task.Delay(TimeSpan.FromMilliseconds(100), Time, cancellationToken).GetAwaiter().GetResult();
        }
    }

    public ReplayResult ReplayBackups(string topic, DateTime from, DateTime to, string? into, CancellationToken cancellationToken) =>
        BackupArchive.ReplayAsync(Log, BackupArchive.DefaultRoot(Store.DataDirectory), topic, from, to, into, cancellationToken).GetAwaiter().GetResult();

    public IngestionStatus GetIngestion() => Ingestion.Status;

    public IngestionStatus SetIngestionPaused(bool paused) => paused ? Ingestion.Pause() : Ingestion.Resume();

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _scheduler?.Dispose();
        _processors?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _log?.Dispose();
        if (_ownsStore)
        {
            Store.Dispose();
        }
    }
}
