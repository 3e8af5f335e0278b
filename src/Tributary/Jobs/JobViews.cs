namespace Tributary.Jobs;

/// <summary>A job as <c>jobs list</c> shows it.</summary>
/// <param name="Lag">Now minus the end of the latest contiguous succeeded window (from the job's start); null before any.</param>
/// <param name="Pending">Windows due (or due again) that have not run yet.</param>
public sealed record JobStatus(
    string Name, string State, string Target, TimeSpan Window, int MaxParallelism,
    DateTime? LastSucceededWindowEnd, TimeSpan? Lag, int Succeeded, int Failed, int Running, int Pending);

/// <summary>One window of one job.</summary>
public sealed record WindowView(
    string Job, TimeWindow Window, WindowState State, int Attempts, long RowsWritten, ErrorKind ErrorKind, string Error, string? TransactionId, bool MarkedSucceeded);

/// <summary>One recorded attempt.</summary>
public sealed record AttemptView(
    TimeWindow Window, int Attempt, string State, DateTime StartedOn, TimeSpan? Duration, long RowsWritten, string ErrorKind, string Error, string Query);

/// <summary>A job's window history: what <c>jobs show</c> draws.</summary>
/// <param name="Windows">The last windows up to now, oldest first, including ones not yet run (Pending).</param>
/// <param name="FailedAttempts">The failed attempts of the failed windows among them.</param>
public sealed record JobHistory(JobStatus Job, DateTime Now, IReadOnlyList<WindowView> Windows, IReadOnlyList<AttemptView> FailedAttempts);

/// <summary>What an operation did: a sentence and the windows it changed (or, for a retract without cascade, the downstream windows to look at).</summary>
public sealed record OperationResult(string Message, IReadOnlyList<WindowView> Windows);

/// <summary>One job of a run (seed 003's per-dataset answer).</summary>
public sealed record RunJobView(string Job, TimeWindow Window, bool Committed, WindowState State, long RowsWritten, long Extents, ErrorKind ErrorKind, string Error);

/// <summary>A run: a named set of job windows started together under one transaction id.</summary>
public sealed record RunView(string TransactionId, DateTime CreatedOn, IReadOnlyList<RunJobView> Jobs)
{
    /// <summary>True when every job of the run committed its window.</summary>
    public bool Committed => Jobs.All(j => j.Committed);
}

/// <summary>What a batch of scheduling did (<c>jobs run --until</c>).</summary>
public sealed record RunReport(int Succeeded, int FailedAttempts, int FailedWindows, long RowsWritten, DateTime AsOf);

/// <summary>Progress of a batch: windows finished so far, running now, and failed attempts.</summary>
public readonly record struct RunProgress(int Finished, int Running, int FailedAttempts);

/// <summary>Changeable settings of a job (<c>jobs set</c>); null leaves a setting as it is.</summary>
public sealed record JobSettings(int? MaxParallelism = null, TimeSpan? Timeout = null, int? Attempts = null, TimeSpan? Delay = null, long? RowLimit = null, bool? Enabled = null, int? Batch = null);
