namespace Tributary.Jobs;

/// <summary>
/// A job: a KQL query run for each consecutive window of its schedule, writing its result into
/// <see cref="Target"/> as extents tagged with the job and window.
/// </summary>
/// <param name="Name">The job's name (unique in a data directory).</param>
/// <param name="Query">KQL; <c>startTime</c> and <c>endTime</c> are bound as datetimes to the window's <c>[start, end)</c>.</param>
/// <param name="Target">The table the output goes into.</param>
/// <param name="Window">The window size (windows are aligned to <see cref="Start"/>).</param>
/// <param name="Delay">Lateness allowance: a window is due when now ≥ end + delay.</param>
/// <param name="Start">The start of the first window.</param>
/// <param name="DependsOn">Jobs whose windows overlapping a window must have succeeded before it runs.</param>
/// <param name="MaxParallelism">How many attempts (queries) of the job may run at once, oldest windows first.</param>
/// <param name="Timeout">The longest one attempt may run; then its query is interrupted.</param>
/// <param name="Attempts">How many attempts a window gets before it is Failed.</param>
/// <param name="RetryBackoff">The wait before the second attempt; each later wait doubles (capped at 15 minutes).</param>
/// <param name="Enabled">A disabled job runs nothing.</param>
/// <param name="RowLimit">When set, a window whose output exceeds this many rows fails with <see cref="ErrorKind.RowLimit"/> (like Kusto's result-set limit).</param>
/// <param name="Batch">
/// When several windows are due at once (catching up, a backfill, a rerun of a range), up to this many run as one
/// query and commit in one transaction; each keeps its own extent, attempt row and outcome. 1 runs every window alone.
/// </param>
public sealed record JobDefinition(
    string Name,
    string Query,
    string Target,
    TimeSpan Window,
    TimeSpan Delay,
    DateTime Start,
    IReadOnlyList<string> DependsOn,
    int MaxParallelism = JobDefinition.DefaultMaxParallelism,
    TimeSpan? Timeout = null,
    int Attempts = JobDefinition.DefaultAttempts,
    TimeSpan? RetryBackoff = null,
    bool Enabled = true,
    long? RowLimit = null,
    int Batch = JobDefinition.DefaultBatch)
{
    /// <summary>Windows one query may cover when a job is behind: eight hours of 10-minute windows, two days of hourly ones.</summary>
    public const int DefaultBatch = 48;

    /// <summary>KO's default: five windows at once.</summary>
    public const int DefaultMaxParallelism = 5;

    /// <summary>KO's default: seven attempts.</summary>
    public const int DefaultAttempts = 7;

    /// <summary>KO's default: fifteen minutes per attempt.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(15);

    /// <summary>The first retry waits this long unless the job says otherwise.</summary>
    public static readonly TimeSpan DefaultRetryBackoff = TimeSpan.FromSeconds(30);

    /// <summary>The timeout in force.</summary>
    public TimeSpan EffectiveTimeout => Timeout ?? DefaultTimeout;

    /// <summary>The wait before attempt <paramref name="nextAttempt"/> (2, 3 …): back-off doubling from <see cref="RetryBackoff"/>, at most 15 minutes.</summary>
    public TimeSpan BackoffBefore(int nextAttempt)
    {
        var first = RetryBackoff ?? DefaultRetryBackoff;
        var factor = Math.Pow(2, Math.Max(0, nextAttempt - 2));
        var wait = TimeSpan.FromTicks((long)Math.Min(first.Ticks * factor, TimeSpan.FromMinutes(15).Ticks));
        return wait;
    }

    /// <summary>The window of this job containing <paramref name="t"/>.</summary>
    public TimeWindow WindowAt(DateTime t) => TimeWindow.Containing(t, Start, Window);

    /// <summary>Checks the settings; the message names the job and the setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        void Fail(string what) => throw new ArgumentException($"job '{Name}': {what}");
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("a job needs a name");
        }

        if (string.IsNullOrWhiteSpace(Query))
        {
            Fail("'query' is empty");
        }

        if (string.IsNullOrWhiteSpace(Target))
        {
            Fail("'target' is empty");
        }

        if (Window < TimeSpan.FromSeconds(1) || Window > TimeSpan.FromDays(366))
        {
            Fail($"'window' must be between 1s and 366d, not {Window}");
        }

        if (Delay < TimeSpan.Zero || Delay > TimeSpan.FromDays(366))
        {
            Fail($"'delay' must be between 0 and 366d, not {Delay}");
        }

        if (MaxParallelism is < 1 or > 1000)
        {
            Fail($"'maxParallelism' must be between 1 and 1000, not {MaxParallelism}");
        }

        if (Attempts is < 1 or > 100)
        {
            Fail($"'attempts' must be between 1 and 100, not {Attempts}");
        }

        if (Timeout is { } t && (t < TimeSpan.FromMilliseconds(1) || t > TimeSpan.FromDays(1)))
        {
            Fail($"'timeout' must be between 1ms and 1d, not {t}");
        }

        if (Batch is < 1 or > 1000)
        {
            Fail($"'batch' must be between 1 and 1000, not {Batch}");
        }

        if (RowLimit is < 0)
        {
            Fail($"'rowLimit' must not be negative, not {RowLimit}");
        }

        if (DependsOn.Contains(Name, StringComparer.Ordinal))
        {
            Fail("it depends on itself");
        }
    }
}
