using System.Text.Json.Serialization;
using Tributary.Jobs;
using Tributary.Streams;

namespace Tributary.Operations;

/// <summary>POST /v1/query: a KQL query or control command, with optional parameters (name → value as text).</summary>
public sealed record QueryRequest(string? Query, Dictionary<string, string?>? Parameters = null);

/// <summary>POST /v1/apply: a pipeline file's text and name.</summary>
public sealed record ApplyRequest(string? File, string? Yaml, bool DryRun = false);

/// <summary>POST /v1/jobs/run: run every window due as if the clock read <paramref name="Until"/>.</summary>
public sealed record RunJobsRequest(DateTime? Until);

/// <summary>POST /v1/jobs/{name}/rerun and /backfill.</summary>
public sealed record RangeRequest(DateTime? From, DateTime? To, bool FailedOnly = false);

/// <summary>POST /v1/jobs/{name}/kill (no window: every running attempt of the job).</summary>
public sealed record KillRequest(DateTime? Window = null);

/// <summary>POST /v1/jobs/{name}/windows/{mark-succeeded|clear|retract}.</summary>
public sealed record WindowRequest(DateTime? Window, bool Downstream = false, bool Cascade = false);

/// <summary>POST /v1/runs.</summary>
public sealed record RunRequest(string[]? Jobs, DateTime? Window, string? TransactionId = null);

/// <summary>POST /v1/runs/{id}/retract.</summary>
public sealed record RetractRunRequest(string[]? Jobs = null);

/// <summary>An error answer: what went wrong, for the user as is, and for the ingest endpoints a code (e.g. <c>INVALID_JSON</c>).</summary>
public sealed record ErrorResponse(string Error, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Code = null);

/// <summary>POST /v1/topics: a topic's name, partitions (default 1), retention age (<c>14d</c>, <c>forever</c>; default 14 days) and size per partition in bytes (default none).</summary>
public sealed record CreateTopicRequest(string? Name, int? Partitions = null, string? Retention = null, long? RetentionBytes = null);

/// <summary>POST /v1/groups/{group}/offsets: the next offset to read, by partition, on a topic.</summary>
public sealed record CommitOffsetsRequest(string? Topic, Dictionary<int, long>? Offsets);

/// <summary>POST /v1/groups/{group}/reset-offsets: the topic, the reset (<c>{"kind": "ToDatetime", "time": T}</c>, <c>{"kind": "ShiftBy", "value": -5}</c> …) and whether only to plan it.</summary>
public sealed record ResetOffsetsRequest(string? Topic, OffsetReset? Reset, bool DryRun = false);

/// <summary>POST /v1/jobs/{name}/set.</summary>
public sealed record SetJobRequest(int? MaxParallelism = null, TimeSpan? Timeout = null, int? Attempts = null, TimeSpan? Delay = null, long? RowLimit = null, bool? Enabled = null, int? Batch = null)
{
    public JobSettings ToSettings() => new(MaxParallelism, Timeout, Attempts, Delay, RowLimit, Enabled, Batch);
}

/// <summary>POST /v1/processors/run: how long to wait for the server's processors to catch up (default 30 s).</summary>
public sealed record RunProcessorsRequest(double? WaitSeconds = null);

/// <summary>POST /v1/backups/replay: the topic whose backups to replay, the time range [from, to), and the topic to append to (default: the same).</summary>
public sealed record ReplayBackupsRequest(string? Topic, DateTime? From, DateTime? To, string? Into = null);

