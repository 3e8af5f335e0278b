namespace Tributary.Jobs;

/// <summary>What the ledger knows of one window of one job. Mutable; owned by the scheduler under its lock.</summary>
internal sealed class WindowRecord(string job, TimeWindow window)
{
    public string Job { get; } = job;

    public TimeWindow Window { get; } = window;

    public WindowState State { get; set; } = WindowState.Pending;

    /// <summary>Attempts made since the window was last (re)started; the retry budget counts these.</summary>
    public int Attempts { get; set; }

    /// <summary>Every attempt ever made, across reruns (numbers attempts uniquely).</summary>
    public int TotalAttempts { get; set; }

    public long RowsWritten { get; set; }

    public ErrorKind ErrorKind { get; set; }

    public string Error { get; set; } = "";

    public DateTime UpdatedOn { get; set; }

    public string? TransactionId { get; set; }

    public bool Marked { get; set; }

    /// <summary>A retry waits until then.</summary>
    public DateTime? NextAttemptOn { get; set; }

    /// <summary>Its batch failed as a whole: the window runs alone until it succeeds (kept in memory only).</summary>
    public bool RunAlone { get; set; }

    public bool IsDone => State is WindowState.Succeeded or WindowState.Skipped;

    /// <summary>True once the ledger holds a row for the window (it was loaded from it or saved); saves then update in place.</summary>
    public bool Persisted { get; set; }
}
