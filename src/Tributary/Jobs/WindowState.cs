namespace Tributary.Jobs;

/// <summary>Where a job window stands.</summary>
public enum WindowState
{
    /// <summary>Not run yet, or due again (a retry after back-off, a rerun, a cleared window).</summary>
    Pending,

    /// <summary>An attempt is running.</summary>
    Running,

    /// <summary>Its output is committed.</summary>
    Succeeded,

    /// <summary>Every attempt failed, it was killed, or a window it depends on failed; it waits for an operator.</summary>
    Failed,

    /// <summary>Marked succeeded without running (an empty commit) or retracted: counts as done, holds no rows.</summary>
    Skipped,
}

/// <summary>Why an attempt or window failed.</summary>
public enum ErrorKind
{
    /// <summary>No error.</summary>
    None,

    /// <summary>The attempt ran longer than the job's timeout; its query was interrupted.</summary>
    Timeout,

    /// <summary>The query is invalid or failed while running.</summary>
    QueryError,

    /// <summary>The engine ran out of memory for this query.</summary>
    OutOfMemory,

    /// <summary>The output had more rows than the job's row limit.</summary>
    RowLimit,

    /// <summary>The target table cannot take the output (missing, wrong column types).</summary>
    TargetError,

    /// <summary>A window this one depends on failed.</summary>
    DependencyFailed,

    /// <summary>An operator killed it.</summary>
    Killed,

    /// <summary>The server stopped while it ran; it is due again at the next start.</summary>
    Cancelled,
}
