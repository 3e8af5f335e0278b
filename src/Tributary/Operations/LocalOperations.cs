using Tributary.Jobs;
using Tributary.Pipelines;
using Tributary.Query;
using Tributary.Store;
using Tributary.Store.Ingestion;

namespace Tributary.Operations;

/// <summary>
/// The operations carried out on a data directory this process owns: its store and its job scheduler.
/// The server holds one for its lifetime; the CLI opens one per command when no server runs.
/// </summary>
public sealed class LocalOperations : ITributaryOperations
{
    private readonly bool _ownsStore;
    private readonly Lock _gate = new();
    private JobScheduler? _scheduler;

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

    public QueryResult Query(string text, IReadOnlyDictionary<string, object?>? parameters, CancellationToken cancellationToken) =>
        Store.ExecuteAs(User, text, parameters, cancellationToken);

    public IngestResult Ingest(string table, string path, IngestFormat? format, IReadOnlyList<string> tags, CancellationToken cancellationToken) =>
        Store.IngestFile(table, path, format, tags, null, cancellationToken);

    public ApplyResult Apply(string file, string yaml, bool dryRun)
    {
        var pipeline = PipelineLoader.Parse(yaml, file);
        if (dryRun)
        {
            return new ApplyResult(file, true, PipelineApplier.Plan(Store, pipeline));
        }

        var steps = PipelineApplier.Apply(Store, pipeline);
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

    public void Dispose()
    {
        _scheduler?.Dispose();
        if (_ownsStore)
        {
            Store.Dispose();
        }
    }
}
