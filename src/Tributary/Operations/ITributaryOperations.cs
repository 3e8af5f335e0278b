using Tributary.Jobs;
using Tributary.Pipelines;
using Tributary.Query;
using Tributary.Store;
using Tributary.Store.Ingestion;

namespace Tributary.Operations;

/// <summary>What an applied (or planned) pipeline file did.</summary>
public sealed record ApplyResult(string File, bool DryRun, IReadOnlyList<PlanStep> Steps);

/// <summary>
/// Everything the CLI can ask of a data directory. Carried out either on the directory itself
/// (<see cref="LocalOperations"/>) or by the server that owns it, through its HTTP API — the same
/// answers and the same errors either way.
/// </summary>
/// <remarks>
/// User mistakes surface as <see cref="Kql.KqlException"/>, <see cref="StoreException"/>,
/// <see cref="JobException"/> or <see cref="PipelineException"/> (locally) and as
/// <see cref="OperationException"/> (through a server), each with a message to show as is.
/// </remarks>
public interface ITributaryOperations : IDisposable
{
    /// <summary>Runs a KQL query or control command.</summary>
    QueryResult Query(string text, IReadOnlyDictionary<string, object?>? parameters, CancellationToken cancellationToken);

    /// <summary>Loads a file into a table as one extent, all or nothing.</summary>
    IngestResult Ingest(string table, string path, IngestFormat? format, IReadOnlyList<string> tags, CancellationToken cancellationToken);

    /// <summary>Applies (or with <paramref name="dryRun"/> plans) a pipeline given as YAML text; <paramref name="file"/> names it in errors.</summary>
    ApplyResult Apply(string file, string yaml, bool dryRun);

    /// <summary>Runs every job window due as if the clock read <paramref name="until"/>, then returns.</summary>
    RunReport RunJobs(DateTime until, IProgress<RunProgress>? progress, CancellationToken cancellationToken);

    IReadOnlyList<JobStatus> ListJobs(DateTime? asOf);

    JobHistory ShowJob(string name, int last, DateTime? asOf);

    OperationResult Rerun(string name, DateTime from, DateTime to, bool failedOnly);

    OperationResult Backfill(string name, DateTime from, DateTime to);

    OperationResult SetPaused(string name, bool paused);

    OperationResult SetJob(string name, JobSettings settings);

    OperationResult Kill(string name, DateTime? window);

    OperationResult MarkSucceeded(string name, DateTime window);

    OperationResult Clear(string name, DateTime window, bool downstream);

    OperationResult Retract(string name, DateTime window, bool cascade);

    RunView StartRun(IReadOnlyList<string> jobs, DateTime window, string? transactionId);

    RunView ShowRun(string transactionId);

    RunView RerunRun(string transactionId);

    OperationResult RetractRun(string transactionId, IReadOnlyList<string>? jobs);
}
