using Tributary.Jobs;

namespace Tributary.Tests.Jobs;

/// <summary>The scheduler's state lives in the ledger: a restart keeps it, and attempts a dead process left running run again.</summary>
public sealed class RestartTests
{
    private static readonly DateTime T0 = JobsFixture.T0;

    [Fact]
    public async Task Restart_AfterRunsAndOperations_ListShowAndRunsIdentical()
    {
        using var f = new JobsFixture(extraJobSettingsA: "rowLimit: 30\nattempts: 2");
        f.Ingest("Src", [$"{T0.AddMinutes(25):O},S1,25"]);
        f.SetNow(T0.AddMinutes(41));
        await f.RunDue();

        // Mixed state: a retry waiting for back-off, a run, a marked window, a retracted one, a paused job.
        Assert.Equal(WindowState.Pending, f.Window("A", T0.AddMinutes(20)).State);
        f.Scheduler.StartRun(["A", "B"], T0.AddMinutes(10), "txn-r");
        await f.Scheduler.RunDueAsync(T0.AddMinutes(41));
        f.SetNow(T0.AddMinutes(52));
        f.Scheduler.MarkSucceeded("A", T0.AddMinutes(20));
        f.Scheduler.Retract("B", T0, cascade: false);
        f.Scheduler.SetPaused("B", paused: true);
        await f.RunDue();

        var list = f.Scheduler.List();
        var shows = new[] { "A", "B" }.Select(j => f.Scheduler.Show(j, 20)).ToList();
        var run = f.Scheduler.ShowRun("txn-r");
        var jobs = f.Scheduler.Jobs;
        var mid = f.Temp.Dump("Mid");

        f.Restart();

        Assert.Equal(list, f.Scheduler.List());
        Assert.Equal(jobs.Select(JobLedger.Serialize), f.Scheduler.Jobs.Select(JobLedger.Serialize));
        foreach (var (before, after) in shows.Zip(new[] { "A", "B" }.Select(j => f.Scheduler.Show(j, 20))))
        {
            Assert.Equal(before.Job, after.Job);
            Assert.Equal(before.Now, after.Now);
            Assert.Equal(before.Windows, after.Windows);
            Assert.Equal(before.FailedAttempts, after.FailedAttempts);
        }

        var runAfter = f.Scheduler.ShowRun("txn-r");
        Assert.Equal(run.CreatedOn, runAfter.CreatedOn);
        Assert.Equal(run.Jobs, runAfter.Jobs);
        Assert.Equal(mid, f.Temp.Dump("Mid"));
        Assert.Equal("paused", f.Scheduler.List().Single(j => j.Name == "B").State);

        // Nothing new to do after the restart either.
        var attempts = f.Attempts("A").Count;
        var report = await f.RunDue();
        Assert.Equal(0, report.Succeeded);
        Assert.Equal(attempts, f.Attempts("A").Count);
    }

    [Fact]
    public async Task Restart_LedgerLeftRunning_AttemptCancelledWindowPendingAndRunsAgain()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(11));

        // What a process killed mid-attempt leaves: the attempt and its window Running.
        var attemptId = Guid.NewGuid();
        f.Store.Ledger(l =>
        {
            l.Execute("INSERT INTO tributary_meta.job_attempts VALUES (?, 'A', ?, ?, 1, 'Running', ?, NULL, NULL, NULL, NULL, ?, 'Mid', NULL)",
                attemptId, T0, T0.AddMinutes(10), T0.AddMinutes(11), "fMid(…)");
            l.Execute("INSERT INTO tributary_meta.job_windows VALUES ('A', ?, ?, 'Running', 1, 0, NULL, '', ?, NULL, false, NULL)",
                T0, T0.AddMinutes(10), T0.AddMinutes(11));
            return 0;
        });

        f.Restart();
        var attempt = Assert.Single(f.Attempts("A"));
        Assert.Equal("Cancelled", attempt[2]);
        Assert.Equal("Cancelled", attempt[3]);
        Assert.Equal(WindowState.Pending, f.Window("A", T0).State);
        Assert.Equal(0, f.Scheduler.List().Single(j => j.Name == "A").Running);

        var report = await f.RunDue();
        Assert.Equal(2, report.Succeeded);
        var attempts = f.Attempts("A");
        Assert.Equal(["Cancelled", "Succeeded"], attempts.Select(a => (string)a[2]!));
        Assert.Equal([1, 2], attempts.Select(a => (int)a[1]!));
        var w = f.Window("A", T0);
        Assert.Equal(WindowState.Succeeded, w.State);
        Assert.Equal(2, w.Attempts);
        Assert.Equal(30, f.Count("Mid"));
        Assert.Equal(30, f.Count("Out"));
    }

    [Fact]
    public async Task StopAsync_WhileRunning_AttemptCancelledAndWindowDueAgain()
    {
        const string endless = "range x from 1 to 100000000000 step 1 | summarize c = sum(x % 7) " +
                               "| extend Timestamp = startTime, Source = 'S', V = c, Stage = 'x' | project Timestamp, Source, V, Stage";
        using var f = new JobsFixture(queryA: endless, extraJobSettingsA: "attempts: 1");
        f.SetNow(T0.AddMinutes(11));
        var run = f.Scheduler.RunDueAsync();
        await JobsFixture.WaitUntil(() => f.Scheduler.List().Single(j => j.Name == "A").Running == 1, "A runs");

        await f.Scheduler.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        var attempt = Assert.Single(f.Attempts("A"));
        Assert.Equal("Cancelled", attempt[2]);
        var w = f.Window("A", T0);
        Assert.Equal(WindowState.Pending, w.State);
        Assert.Equal(ErrorKind.Cancelled, w.ErrorKind);

        // A stopped scheduler starts nothing; after a restart the window is due again (its attempt budget untouched).
        f.Restart();
        Assert.Equal(WindowState.Pending, f.Window("A", T0).State);
        Assert.Equal(1, f.Scheduler.Show("A").Job.Pending);
    }

    [Fact]
    public async Task Dispose_WhileAttemptRuns_AttemptCancelledNotTimedOut()
    {
        const string endless = "range x from 1 to 100000000000 step 1 | summarize c = sum(x % 7) " +
                               "| extend Timestamp = startTime, Source = 'S', V = c, Stage = 'x' | project Timestamp, Source, V, Stage";
        using var f = new JobsFixture(queryA: endless, extraJobSettingsA: "attempts: 1");
        f.SetNow(T0.AddMinutes(11));
        var run = f.Scheduler.RunDueAsync();
        await JobsFixture.WaitUntil(() => f.Scheduler.List().Single(j => j.Name == "A").Running == 1, "A runs");

        // An abrupt stop: the scheduler is disposed under the running attempt.
        f.Scheduler.Dispose();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        var attempt = Assert.Single(f.Attempts("A"));
        Assert.Equal("Cancelled", attempt[2]);
        Assert.Equal("Cancelled", attempt[3]);
        Assert.Equal("Pending", f.Temp.Scalar("JobWindows | where Job == 'A' | project State"));
        Assert.Equal(0, f.Temp.Scalar("JobWindows | where Job == 'A' | project Attempts"));
    }

    [Fact]
    public async Task Reload_WhileAttemptRuns_WindowStillEndsSucceededAndDownstreamRuns()
    {
        const string slow = "range x from 1 to 30000000 step 1 | summarize c = sum(x % 7) " +
                            "| extend Timestamp = startTime, Source = 'S', V = c, Stage = 'x' | project Timestamp, Source, V, Stage";
        using var f = new JobsFixture(queryA: slow);
        f.SetNow(T0.AddMinutes(11));
        var run = f.Scheduler.RunDueAsync();
        await JobsFixture.WaitUntil(() => f.Scheduler.List().Single(j => j.Name == "A").Running == 1, "A runs");

        // apply reloads the definitions while the attempt runs.
        f.Scheduler.Reload();
        Assert.Equal(WindowState.Running, f.Window("A", T0).State);
        await run.WaitAsync(TimeSpan.FromSeconds(60));
        await f.RunDue().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(WindowState.Succeeded, f.Window("A", T0).State);
        Assert.Equal(0, f.Scheduler.List().Single(j => j.Name == "A").Running);
        Assert.Equal(WindowState.Succeeded, f.Window("B", T0).State);
        Assert.Equal(1, f.Count("Out"));
    }
}
