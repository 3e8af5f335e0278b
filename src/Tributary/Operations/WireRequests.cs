using Tributary.Jobs;

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

/// <summary>An error answer: what went wrong, for the user as is.</summary>
public sealed record ErrorResponse(string Error);

/// <summary>POST /v1/jobs/{name}/set.</summary>
public sealed record SetJobRequest(int? MaxParallelism = null, TimeSpan? Timeout = null, int? Attempts = null, TimeSpan? Delay = null, long? RowLimit = null, bool? Enabled = null, int? Batch = null)
{
    public JobSettings ToSettings() => new(MaxParallelism, Timeout, Attempts, Delay, RowLimit, Enabled, Batch);
}
