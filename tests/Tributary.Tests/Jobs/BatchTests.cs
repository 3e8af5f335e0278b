using Tributary.Jobs;

namespace Tributary.Tests.Jobs;

/// <summary>
/// Catching up: windows due at once run as one query and commit in one transaction, yet each window keeps its own
/// extent, attempt row, QueryLog row and outcome.
/// </summary>
public sealed class BatchTests
{
    private static readonly DateTime T0 = JobsFixture.T0;

    /// <summary>One row a window after summing a long range: a second or so here.</summary>
    private const string SlowSum =
        "range x from 1 to 150000000 step 1 | summarize c = sum(x % 7) | extend Timestamp = startTime, Source = 'S', V = c, Stage = 'x' | project Timestamp, Source, V, Stage";

    /// <summary>The range's step is 0 for the window at 00:20 only: the engine refuses that window's query (and a batch holding it).</summary>
    private const string FailsAt0020 =
        "fMid(startTime, endTime) | union (range k from 1 to 0 step iff(startTime == datetime(2024-05-23T00:20:00Z), 0, 1) " +
        "| project Timestamp = startTime, Source = 'x', V = k, Stage = 'x')";

    [Fact]
    public async Task RunDue_SixWindowsDueAtOnce_OneBatchButAWindowEachInExtentsAttemptsAndQueryLog()
    {
        using var f = new JobsFixture(extraJobSettingsA: "batch: 12");
        f.SetNow(T0.AddMinutes(61));
        var report = await f.RunDue();

        Assert.Equal(12, report.Succeeded);
        Assert.Equal(0, report.FailedAttempts);
        Assert.Equal(180, f.Count("Mid"));
        Assert.Equal(180, f.Count("Out"));
        Assert.Equal(f.PerSource("Src"), f.PerSource("Mid"));
        f.AssertViewExact();

        // One extent per window, tagged with its window, holding exactly that window's rows.
        for (var w = 0; w < 6; w++)
        {
            var start = T0.AddMinutes(10 * w);
            var tag = JobScheduler.WindowTag("A", new TimeWindow(start, start.AddMinutes(10)));
            Assert.Equal(1L, f.Temp.Scalar($".show table Mid extents | where Tags has '{tag}' | count"));
            Assert.Equal(30L, f.Temp.Scalar($"Mid | where Timestamp >= datetime({start:O}) and Timestamp < datetime({start.AddMinutes(10):O}) | count"));
        }

        // A's six windows ran as one query: the same start for every attempt; each window has its own attempt and query text.
        var attempts = f.Temp.Rows("JobAttempts | where Job == 'A' | order by WindowStart asc | project WindowStart, Attempt, State, StartedOn, RowsWritten, Query").ToList();
        Assert.Equal(6, attempts.Count);
        Assert.All(attempts, a => Assert.Equal("Succeeded", a[2]));
        Assert.All(attempts, a => Assert.Equal(1, Convert.ToInt32(a[1], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(attempts, a => Assert.Equal(30L, a[4]));
        Assert.Single(attempts.Select(a => a[3]).Distinct());
        Assert.Equal(6, attempts.Select(a => a[5]).Distinct().Count());
        Assert.Contains("datetime(2024-05-23T00:50:00", (string)attempts[5][5]!, StringComparison.Ordinal);

        Assert.Equal(6L, f.Temp.Scalar("QueryLog | where User == 'job:A' | count"));
    }

    [Fact]
    public async Task RunDue_BatchTwoMaxParallelismOne_AtMostTwoWindowsRunAtOnce()
    {
        using var f = new JobsFixture(queryA: JobsFixture.RangeQuery(12_000_000), extraJobSettingsA: "batch: 2\nmaxParallelism: 1");
        f.SetNow(T0.AddMinutes(61));
        var (report, observed) = await f.RunDueObserving("A");

        Assert.Equal(12, report.Succeeded);
        Assert.True(observed.Max() <= 2, $"saw {observed.Max()} windows of A running at once");
        Assert.Contains(2, observed);
        Assert.Equal(6, f.Attempts("A").Count);
    }

    [Fact]
    public async Task RunDue_BatchThenRerunOfTheRange_EveryRowStillOnce()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(61));
        await f.RunDue();
        f.Scheduler.Rerun("A", T0, T0.AddHours(1), failedOnly: false);
        f.Scheduler.Rerun("B", T0, T0.AddHours(1), failedOnly: false);
        var report = await f.RunDue();

        Assert.Equal(12, report.Succeeded);
        Assert.Equal(180, f.Count("Mid"));
        Assert.Equal(180, f.Count("Out"));
        Assert.Equal(6L, f.Temp.Scalar(".show table Mid extents | count"));
        f.AssertViewExact();
    }

    [Fact]
    public async Task RunDue_OneWindowOverRowLimit_OnlyThatWindowFailsTheOthersCommit()
    {
        using var f = new JobsFixture(extraJobSettingsA: "rowLimit: 30\nattempts: 1");
        f.Ingest("Src", [$"{T0.AddMinutes(25):O},S1,99"]);
        f.SetNow(T0.AddMinutes(61));
        await f.RunDue();

        var failed = f.Window("A", T0.AddMinutes(20));
        Assert.Equal(WindowState.Failed, failed.State);
        Assert.Equal(ErrorKind.RowLimit, failed.ErrorKind);
        Assert.All(Enumerable.Range(0, 6).Where(w => w != 2), w => Assert.Equal(WindowState.Succeeded, f.Window("A", T0.AddMinutes(10 * w)).State));
        Assert.Equal(150, f.Count("Mid"));
        var attempts = f.Attempts("A");
        Assert.Equal(6, attempts.Count);
        Assert.Equal("RowLimit", Assert.Single(attempts, a => (string)a[2]! == "Failed")[3]);
    }

    [Fact]
    public async Task RunDue_QueryFailsForOneWindowOfABatch_BatchSplitsAndOnlyThatWindowRecordsFailures()
    {
        using var f = new JobsFixture(queryA: FailsAt0020, extraJobSettingsA: "attempts: 2");
        f.SetNow(T0.AddMinutes(61));
        await f.Scheduler.RunDueAsync(T0.AddMinutes(61));

        var bad = f.Window("A", T0.AddMinutes(20));
        Assert.Equal(WindowState.Failed, bad.State);
        Assert.Equal(ErrorKind.QueryError, bad.ErrorKind);
        Assert.Equal(2, bad.Attempts);
        Assert.All(Enumerable.Range(0, 6).Where(w => w != 2), w => Assert.Equal(WindowState.Succeeded, f.Window("A", T0.AddMinutes(10 * w)).State));
        Assert.Equal(150, f.Count("Mid"));

        // Attempts: one each for the good windows, the two of the bad one; the batch's failure is in QueryLog only.
        var attempts = f.Attempts("A");
        Assert.Equal(7, attempts.Count);
        Assert.Equal(2, attempts.Count(a => (string)a[2]! == "Failed"));
        Assert.Equal(1L, f.Temp.Scalar("QueryLog | where User == 'job:A' and Error has 'each runs again alone' | count"));
        Assert.Equal(ErrorKind.DependencyFailed, f.Window("B", T0.AddMinutes(20)).ErrorKind);
    }

    [Fact]
    public async Task Kill_OneWindowOfARunningBatch_ThatWindowKilledTheOthersDueAgain()
    {
        using var f = new JobsFixture(queryA: JobsFixture.RangeQuery(100_000_000_000), extraJobSettingsA: "attempts: 3");
        f.SetNow(T0.AddMinutes(31));
        var run = f.Scheduler.RunDueAsync();
        await JobsFixture.WaitUntil(() => f.Scheduler.List().Single(j => j.Name == "A").Running == 3, "A's three windows run as a batch");

        f.Scheduler.Kill("A", T0.AddMinutes(10));

        // The other two are due again at once and start again (as a batch of two); kill those too to end the run.
        await JobsFixture.WaitUntil(() => f.Scheduler.List().Single(j => j.Name == "A").Running == 2, "A's two other windows run again");
        f.Scheduler.Kill("A");
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        var killed = f.Window("A", T0.AddMinutes(10));
        Assert.Equal(WindowState.Failed, killed.State);
        Assert.Equal(ErrorKind.Killed, killed.ErrorKind);
        Assert.Equal("Killed", Assert.Single(f.Attempts("A"), a => (DateTime)a[0]! == T0.AddMinutes(10))[3]);
        foreach (var other in new[] { T0, T0.AddMinutes(20) })
        {
            var attempts = f.Temp.Rows($"JobAttempts | where Job == 'A' and WindowStart == datetime({other:O}) | order by Attempt asc | project State, Error").ToList();
            Assert.Equal(2, attempts.Count);
            Assert.Equal("Cancelled", attempts[0][0]);
            Assert.Contains("cancelled with its batch", (string)attempts[0][1]!, StringComparison.Ordinal);
            Assert.Equal("Failed", attempts[1][0]);
        }
    }

    [Fact]
    public async Task RunDue_BatchOne_EveryWindowItsOwnQueryAndNoSplit()
    {
        using var f = new JobsFixture(queryA: FailsAt0020, extraJobSettingsA: "batch: 1\nattempts: 2");
        f.SetNow(T0.AddMinutes(61));
        await f.Scheduler.RunDueAsync(T0.AddMinutes(61));
        var all = f.Attempts("A");
        Assert.True(all.Count == 7, string.Join("\n", all.Select(a => string.Join(" | ", a.Take(5)))) + "\n" + string.Join("\n", f.Temp.Rows("JobAttempts | where Job == 'A' and State != 'Succeeded' | project Error").Select(r => r[0])));
        Assert.Equal(150, f.Count("Mid"));
        Assert.Equal(0L, f.Temp.Scalar("QueryLog | where User == 'job:A' and Error has 'each runs again alone' | count"));
    }

    [Fact]
    public async Task RunDueAsync_WhileTheLiveLoopHoldsEverySlotWithLaterWindows_WaitsAndRunsItsOwn()
    {
        using var f = new JobsFixture(queryA: SlowSum, extraJobSettingsA: "batch: 1", extraJobSettingsB: "batch: 1");
        f.SetNow(T0.AddMinutes(61));
        await f.Scheduler.RunDueAsync(T0.AddMinutes(61));
        f.Scheduler.MaxConcurrentAttempts = 1;

        // The server's loop works through the later (empty) windows from 01:00 on, one at a time (the shared limit is 1).
        f.SetNow(T0.AddHours(6));
        using var stop = new CancellationTokenSource();
        var live = Task.Run(() => f.Scheduler.RunAsync(stop.Token));
        await JobsFixture.WaitUntil(() => f.Scheduler.List().Sum(j => j.Running) == 1, "the live loop runs a later window");

        // An operator clears the first window with its downstream and runs what is due by 00:11.
        f.Scheduler.Clear("A", T0, downstream: true);
        await f.Scheduler.RunDueAsync(T0.AddMinutes(11)).WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(WindowState.Succeeded, f.Window("A", T0).State);
        Assert.Equal(WindowState.Succeeded, f.Window("B", T0).State);
        Assert.Equal(2, f.Attempts("A").Count(a => (DateTime)a[0]! == T0));
        Assert.Equal(2, f.Attempts("B").Count(a => (DateTime)a[0]! == T0));
        await stop.CancelAsync();
        await live;
    }
}
