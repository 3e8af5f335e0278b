using Tributary.Jobs;

namespace Tributary.Tests.Jobs;

/// <summary>Runs: job windows started together under one transaction id (seed 003's transactions).</summary>
public sealed class RunTests
{
    private static readonly DateTime T0 = JobsFixture.T0;

    [Fact]
    public async Task StartRun_TwoJobs_BothCommitWithRowsExtentsAndTransactionTag()
    {
        using var f = new JobsFixture();

        // Not due on its own schedule yet: the run makes the window due at once.
        f.SetNow(T0.AddMinutes(5));
        var started = f.Scheduler.StartRun(["A", "B"], T0.AddMinutes(3), "txn-1");
        Assert.Equal("txn-1", started.TransactionId);
        Assert.False(started.Committed);
        Assert.All(started.Jobs, j => Assert.Equal(WindowState.Pending, j.State));

        await f.RunDue();
        var run = f.Scheduler.ShowRun("txn-1");
        Assert.True(run.Committed);
        Assert.Equal(["A", "B"], run.Jobs.Select(j => j.Job));
        Assert.All(run.Jobs, j =>
        {
            Assert.True(j.Committed);
            Assert.Equal(WindowState.Succeeded, j.State);
            Assert.Equal(30, j.RowsWritten);
            Assert.Equal(1, j.Extents);
            Assert.Equal(new TimeWindow(T0, T0.AddMinutes(10)), j.Window);
            Assert.Equal(ErrorKind.None, j.ErrorKind);
        });

        Assert.All(f.Temp.Extents("Mid").Concat(f.Temp.Extents("Out")), e => Assert.Contains("transaction:txn-1", e.Tags, StringComparison.Ordinal));
        Assert.Equal("txn-1", f.Temp.Scalar("JobAttempts | where Job == 'A' | project TransactionId"));
        Assert.Equal("txn-1", f.Window("A", T0).TransactionId);

        // Only the run's windows ran.
        Assert.Equal(30, f.Count("Mid"));
        Assert.Equal(30, f.Count("Out"));
    }

    [Fact]
    public async Task RerunRun_AllCommitted_KeepsOutputsWithoutNewAttempts()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(5));
        f.Scheduler.StartRun(["A", "B"], T0, "txn-1");
        await f.RunDue();
        var extents = f.Temp.Extents("Mid").Concat(f.Temp.Extents("Out")).Select(e => e.Id).Order().ToList();

        var again = f.Scheduler.RerunRun("txn-1");
        Assert.True(again.Committed);
        await f.RunDue();

        Assert.Single(f.Attempts("A"));
        Assert.Single(f.Attempts("B"));
        Assert.Equal(extents, f.Temp.Extents("Mid").Concat(f.Temp.Extents("Out")).Select(e => e.Id).Order().ToList());
    }

    [Fact]
    public async Task ShowRun_JobFailedInRun_NotCommittedWithItsError()
    {
        using var f = new JobsFixture(extraJobSettingsA: "rowLimit: 20\nattempts: 1");
        f.SetNow(T0.AddMinutes(5));
        f.Scheduler.StartRun(["A", "B"], T0, "txn-2");
        await f.RunDue();

        var run = f.Scheduler.ShowRun("txn-2");
        Assert.False(run.Committed);
        var a = run.Jobs.Single(j => j.Job == "A");
        Assert.False(a.Committed);
        Assert.Equal(WindowState.Failed, a.State);
        Assert.Equal(ErrorKind.RowLimit, a.ErrorKind);
        Assert.Contains("row limit of 20", a.Error, StringComparison.Ordinal);
        Assert.Equal(0, a.Extents);
        var b = run.Jobs.Single(j => j.Job == "B");
        Assert.False(b.Committed);
        Assert.Equal(ErrorKind.DependencyFailed, b.ErrorKind);

        // The operator lifts the limit and reruns the run: the failed ones run, under the same transaction.
        f.Scheduler.Set("A", new JobSettings(RowLimit: 0));
        f.Scheduler.RerunRun("txn-2");
        await f.RunDue();
        run = f.Scheduler.ShowRun("txn-2");
        Assert.True(run.Committed);
        Assert.All(run.Jobs, j => Assert.Equal(30, j.RowsWritten));
    }

    [Fact]
    public async Task RetractRun_Committed_OutputsGoneAndRunNoLongerCommitted()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(5));
        f.Scheduler.StartRun(["A", "B"], T0, "txn-1");
        await f.RunDue();

        var result = f.Scheduler.RetractRun("txn-1");
        Assert.Contains("2 committed output(s) of run txn-1 retracted", result.Message, StringComparison.Ordinal);
        Assert.Equal(0, f.Count("Mid"));
        Assert.Equal(0, f.Count("Out"));
        Assert.Empty(f.Temp.Extents("Mid"));
        f.AssertViewExact();

        var run = f.Scheduler.ShowRun("txn-1");
        Assert.All(run.Jobs, j =>
        {
            Assert.False(j.Committed, $"{j.Job} still shows committed after its output was retracted");
            Assert.Equal(0, j.RowsWritten);
            Assert.Equal(0, j.Extents);
        });
        Assert.False(run.Committed);

        // Retracting again finds nothing committed.
        Assert.Contains("0 committed output(s)", f.Scheduler.RetractRun("txn-1").Message, StringComparison.Ordinal);

        // Rerunning the run after a retract commits it again (seed 003: retract, then restart with the fix).
        f.Scheduler.RerunRun("txn-1");
        await f.RunDue();
        run = f.Scheduler.ShowRun("txn-1");
        Assert.True(run.Committed);
        Assert.Equal(30, f.Count("Mid"));
        Assert.Equal(30, f.Count("Out"));
        f.AssertViewExact();
    }

    [Fact]
    public async Task RetractRun_OneNamedJob_OnlyItsOutputGoes()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(5));
        f.Scheduler.StartRun(["A", "B"], T0, "txn-1");
        await f.RunDue();

        f.Scheduler.RetractRun("txn-1", ["B"]);
        Assert.Equal(30, f.Count("Mid"));
        Assert.Equal(0, f.Count("Out"));
        var e = Assert.Throws<JobException>(() => f.Scheduler.RetractRun("txn-1", ["C"]));
        Assert.Contains("job 'C' is not part of run txn-1 (its jobs: A, B)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Runs_UnknownTransaction_JobException()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(5));
        Assert.Equal("no run has transaction id 'txn-9'", Assert.Throws<JobException>(() => f.Scheduler.ShowRun("txn-9")).Message);
        Assert.Equal("no run has transaction id 'txn-9'", Assert.Throws<JobException>(() => f.Scheduler.RerunRun("txn-9")).Message);
        Assert.Equal("no run has transaction id 'txn-9'", Assert.Throws<JobException>(() => f.Scheduler.RetractRun("txn-9")).Message);
    }

    [Fact]
    public void StartRun_BadInput_JobException()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(5));
        Assert.Contains("at least one job", Assert.Throws<JobException>(() => f.Scheduler.StartRun([], T0)).Message, StringComparison.Ordinal);
        Assert.Contains("invalid transaction id", Assert.Throws<JobException>(() => f.Scheduler.StartRun(["A"], T0, "has space")).Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'A'", Assert.Throws<JobException>(() => f.Scheduler.StartRun(["a"], T0, "t")).Message, StringComparison.Ordinal);
        Assert.Contains("lies in the future", Assert.Throws<JobException>(() => f.Scheduler.StartRun(["A"], T0.AddHours(1), "t")).Message, StringComparison.Ordinal);
    }
}
