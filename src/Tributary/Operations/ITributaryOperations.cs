using Tributary.Jobs;
using Tributary.Streams.Processors;
using Tributary.Pipelines;
using Tributary.Query;
using Tributary.Store;
using Tributary.Store.Ingestion;
using Tributary.Streams;
using Tributary.Streams.Ingest;

namespace Tributary.Operations;

/// <summary>What an applied (or planned) pipeline file did.</summary>
public sealed record ApplyResult(string File, bool DryRun, IReadOnlyList<PlanStep> Steps);

/// <summary>What bringing the processors up to date did: records processed (offline) and what still lags.</summary>
public sealed record ProcessorsRunResult(long Processed, IReadOnlyList<ProcessorStatus> Processors);

/// <summary>
/// Everything the CLI can ask of a data directory. Carried out either on the directory itself
/// (<see cref="LocalOperations"/>) or by the server that owns it, through its HTTP API — the same
/// answers and the same errors either way.
/// </summary>
/// <remarks>
/// User mistakes surface as <see cref="Kql.KqlException"/>, <see cref="StoreException"/>,
/// <see cref="JobException"/>, <see cref="PipelineException"/>, <see cref="StreamException"/> or
/// <see cref="IngestException"/> (locally) and as <see cref="OperationException"/> (through a server), each with a
/// message to show as is.
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

    /// <summary>Creates a topic (Kafka's <c>kafka-topics --create</c>).</summary>
    TopicInfo CreateTopic(string name, TopicSettings settings);

    /// <summary>Every topic with its partitions, by name.</summary>
    IReadOnlyList<TopicInfo> ListTopics();

    /// <summary>A topic's settings and partitions: earliest and next offset, size, oldest and newest timestamp.</summary>
    TopicInfo DescribeTopic(string name);

    /// <summary>Deletes a topic, its records and every group's offsets on it; returns what it held.</summary>
    TopicInfo DeleteTopic(string name);

    /// <summary>
    /// Appends the records (all were checked when parsed; the log appends them in one go) and returns once they are
    /// durable. Refused with <see cref="IngestErrorCodes.IngestionPaused"/> while ingestion is paused.
    /// </summary>
    ProduceResult Produce(string topic, RecordLines records, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="max"/> records from the given partitions and offsets (an offset before the earliest kept
    /// record reads from that one), partition by partition in the order given. When none is there, waits up to
    /// <paramref name="wait"/> for one to arrive, then answers (empty when none did).
    /// </summary>
    RecordsPage ReadRecords(string topic, IReadOnlyList<PartitionOffset> from, int max, TimeSpan wait, CancellationToken cancellationToken);

    /// <summary>Every consumer group with committed offsets, by name.</summary>
    IReadOnlyList<GroupSummary> ListGroups();

    /// <summary>
    /// A group's committed offset, end offset and lag per partition (Kafka's <c>kafka-consumer-groups --describe</c>):
    /// of every topic it committed on, or of <paramref name="topic"/> only (partitions it never committed on have no
    /// committed offset; a group never seen is then not an error).
    /// </summary>
    IReadOnlyList<PartitionLag> DescribeGroup(string group, string? topic);

    /// <summary>Commits a group's offsets (the next offset it will read) on partitions of a topic; returns its lag on the topic.</summary>
    IReadOnlyList<PartitionLag> CommitOffsets(string group, string topic, IReadOnlyDictionary<int, long> offsets);

    /// <summary>Moves a group's offsets on every partition of a topic (or with <paramref name="dryRun"/> only says how), clamped to the kept records.</summary>
    IReadOnlyList<OffsetMove> ResetOffsets(string group, string topic, OffsetReset reset, bool dryRun);

    /// <summary>Every declared processor: state, lag, when its oldest unread record expires, counters.</summary>
    IReadOnlyList<ProcessorStatus> ListProcessors();

    /// <summary>Pauses or resumes a processor (kept across restarts); paused work waits in its input topic for the topic's retention.</summary>
    ProcessorStatus SetProcessorPaused(string name, bool paused);

    /// <summary>
    /// Brings the processors up to date: offline, runs every processor not paused until none has anything left to
    /// read; through a server (whose processors run by themselves), waits until none lags or <paramref name="wait"/> passes.
    /// </summary>
    ProcessorsRunResult RunProcessors(TimeSpan wait, CancellationToken cancellationToken);

    /// <summary>Appends a topic's backed-up records with timestamps in [from, to) to <paramref name="into"/> (default: the topic).</summary>
    ReplayResult ReplayBackups(string topic, DateTime from, DateTime to, string? into, CancellationToken cancellationToken);

    /// <summary>Whether ingestion is paused.</summary>
    IngestionStatus GetIngestion();

    /// <summary>Pauses or resumes ingestion (the telemetry and producer APIs, and <c>produce</c>); kept across restarts.</summary>
    IngestionStatus SetIngestionPaused(bool paused);
}
