using Tributary.Jobs;

namespace Tributary.Tests.Jobs;

/// <summary>Operator actions on windows: rerun, backfill, mark succeeded, clear, retract (seed 003's runbook).</summary>
public sealed class OperationsTests
{
    private static readonly DateTime T0 = JobsFixture.T0;

    /// <summary>A fixture where A fails its third window (31 rows against a row limit of 30) and nothing else.</summary>
    private static JobsFixture WithThirdWindowOverLimit()
    {
        var f = new JobsFixture(extraJobSettingsA: "rowLimit: 30\nattempts: 1");
        f.Ingest("Src", [$"{T0.AddMinutes(25).AddSeconds(30):O},S1,25"]);
        return f;
    }

    private static Dictionary<DateTime, int> AttemptsByWindow(JobsFixture f, string job) =>
        f.Attempts(job).GroupBy(a => (DateTime)a[0]!).ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public async Task Rerun_FailedOnly_RerunsOnlyTheFailedWindow()
    {
        using var f = WithThirdWindowOverLimit();
        f.SetNow(T0.AddMinutes(61));
        await f.RunDue();
        Assert.Equal(WindowState.Failed, f.Window("A", T0.AddMinutes(20)).State);
        Assert.Equal(ErrorKind.RowLimit, f.Window("A", T0.AddMinutes(20)).ErrorKind);
        Assert.Equal(ErrorKind.DependencyFailed, f.Window("B", T0.AddMinutes(20)).ErrorKind);
        Assert.Equal(150, f.Count("Mid"));

        f.Scheduler.Set("A", new JobSettings(RowLimit: 0));
        var result = f.Scheduler.Rerun("A", T0, T0.AddHours(1), failedOnly: true);
        Assert.Equal(T0.AddMinutes(20), Assert.Single(result.Windows).Window.Start);
        Assert.Contains("1 failed window(s) of A", result.Message, StringComparison.Ordinal);
        await f.RunDue();

        var a = AttemptsByWindow(f, "A");
        Assert.Equal(6, a.Count);
        Assert.All(a, kv => Assert.Equal(kv.Key == T0.AddMinutes(20) ? 2 : 1, kv.Value));
        Assert.All(AttemptsByWindow(f, "B"), kv => Assert.Equal(1, kv.Value));
        Assert.All(f.Scheduler.Show("A").Windows.Take(6), w => Assert.Equal(WindowState.Succeeded, w.State));
        Assert.All(f.Scheduler.Show("B").Windows.Take(6), w => Assert.Equal(WindowState.Succeeded, w.State));
        Assert.Equal(181, f.Count("Mid"));
        Assert.Equal(181, f.Count("Out"));
        f.AssertViewExact();
    }

    [Fact]
    public async Task Backfill_BeforeJobStart_CreatesAndRunsThoseWindows()
    {
        using var f = new JobsFixture();
        f.Ingest("Src", [$"{T0.AddMinutes(-25):O},S1,100", $"{T0.AddMinutes(-15):O},S2,200", $"{T0.AddMinutes(-5):O},S1,300"]);
        f.SetNow(T0.AddMinutes(61));
        await f.RunDue();
        Assert.Equal(180, f.Count("Mid"));

        var result = f.Scheduler.Backfill("A", T0.AddMinutes(-30), T0);
        Assert.Equal([T0.AddMinutes(-30), T0.AddMinutes(-20), T0.AddMinutes(-10)], result.Windows.Select(w => w.Window.Start));
        Assert.All(result.Windows, w => Assert.Equal(WindowState.Pending, w.State));
        await f.RunDue();

        var states = f.Temp.Rows("JobWindows | where Job == 'A' and WindowStart < datetime(2024-05-23) | order by WindowStart asc | project State, RowsWritten");
        Assert.Equal(["Succeeded|1", "Succeeded|1", "Succeeded|1"], states.Select(r => $"{r[0]}|{r[1]}"));
        Assert.Equal(183, f.Count("Mid"));
        Assert.Equal(600L, f.Temp.Scalar("Mid | where Timestamp < datetime(2024-05-23) | summarize sum(V)"));

        // Backfilling again replaces, never duplicates.
        f.Scheduler.Backfill("A", T0.AddMinutes(-30), T0);
        await f.RunDue();
        Assert.Equal(183, f.Count("Mid"));
    }

    [Fact]
    public void Rerun_RangeInTheFuture_JobExceptionSaysSo()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(61));
        var e = Assert.Throws<JobException>(() => f.Scheduler.Rerun("A", T0.AddHours(2), T0.AddHours(3), failedOnly: false));
        Assert.Equal("[2024-05-23T02:00:00Z, 2024-05-23T03:00:00Z) lies in the future (now is 2024-05-23T01:01:00Z)", e.Message);
    }

    [Fact]
    public void Rerun_RangeBeforeStart_JobExceptionPointsToBackfill()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(61));
        var e = Assert.Throws<JobException>(() => f.Scheduler.Rerun("A", T0.AddHours(-2), T0.AddHours(-1), failedOnly: false));
        Assert.Contains("is before A starts (2024-05-23T00:00:00Z); use jobs backfill", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rerun_EmptyRange_JobException()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(61));
        var e = Assert.Throws<JobException>(() => f.Scheduler.Rerun("A", T0.AddMinutes(30), T0.AddMinutes(30), failedOnly: false));
        Assert.Contains("must be before --to", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rerun_UnknownJob_JobExceptionSuggestsTheName()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(61));
        var e = Assert.Throws<JobException>(() => f.Scheduler.Rerun("a", T0, T0.AddHours(1), failedOnly: false));
        Assert.Equal("unknown job 'a'; did you mean 'A'? (jobs: A, B)", e.Message);
        e = Assert.Throws<JobException>(() => f.Scheduler.MarkSucceeded("Nope", T0));
        Assert.StartsWith("unknown job 'Nope'", e.Message, StringComparison.Ordinal);
        Assert.Contains("(jobs: A, B)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MarkSucceeded_WindowInTheFutureOrBeforeStart_JobException()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(61));
        Assert.Contains("lies in the future", Assert.Throws<JobException>(() => f.Scheduler.MarkSucceeded("A", T0.AddHours(3))).Message, StringComparison.Ordinal);
        Assert.Contains("is before A starts", Assert.Throws<JobException>(() => f.Scheduler.MarkSucceeded("A", T0.AddHours(-3))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MarkSucceeded_FailedUpstreamWindow_UnblocksDownstream()
    {
        using var f = WithThirdWindowOverLimit();
        f.SetNow(T0.AddMinutes(61));
        await f.RunDue();
        var t = T0.AddMinutes(20);
        Assert.Equal(WindowState.Failed, f.Window("B", t).State);
        Assert.Equal(ErrorKind.DependencyFailed, f.Window("B", t).ErrorKind);

        var result = f.Scheduler.MarkSucceeded("A", t.AddMinutes(3));
        Assert.Equal(t, Assert.Single(result.Windows).Window.Start);
        Assert.Equal(WindowState.Pending, f.Window("B", t).State);
        Assert.Equal(ErrorKind.None, f.Window("B", t).ErrorKind);

        await f.RunDue();
        var b = f.Window("B", t);
        Assert.Equal(WindowState.Succeeded, b.State);
        Assert.Equal(0, b.RowsWritten);

        var a = f.Window("A", t);
        Assert.Equal(WindowState.Skipped, a.State);
        Assert.True(a.MarkedSucceeded);
        Assert.Equal(0, a.RowsWritten);
        Assert.DoesNotContain(f.Temp.Extents("Mid"), e => e.Tags.Contains($"window:A@2024-05-23T00:20:00Z", StringComparison.Ordinal));
        Assert.Equal(150, f.Count("Mid"));
        Assert.Equal(150, f.Count("Out"));
        f.AssertViewExact();
    }

    [Fact]
    public async Task MarkSucceeded_SucceededWindow_DropsItsRows()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(61));
        await f.RunDue();
        Assert.Contains(f.Temp.Extents("Mid"), e => e.Tags.Contains("window:A@2024-05-23T00:10:00Z", StringComparison.Ordinal));

        f.Scheduler.MarkSucceeded("A", T0.AddMinutes(10));
        Assert.DoesNotContain(f.Temp.Extents("Mid"), e => e.Tags.Contains("window:A@2024-05-23T00:10:00Z", StringComparison.Ordinal));
        Assert.Equal(150, f.Count("Mid"));
        Assert.Equal(0L, f.Temp.Scalar("Mid | where Timestamp >= datetime(2024-05-23T00:10:00Z) and Timestamp < datetime(2024-05-23T00:20:00Z) | count"));
        Assert.True(f.Window("A", T0.AddMinutes(10)).MarkedSucceeded);
        Assert.Equal(true, f.Temp.Scalar("JobWindows | where Job == 'A' and WindowStart == datetime(2024-05-23T00:10:00Z) | project MarkedSucceeded"));
    }

    [Fact]
    public async Task Clear_WithDownstream_BothWindowsRunAgainAndCountsStay()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(61));
        await f.RunDue();
        var t = T0.AddMinutes(30);

        var result = f.Scheduler.Clear("A", t.AddMinutes(1), downstream: true);
        Assert.Equal(["A@" + t.ToString("O"), "B@" + t.ToString("O")], result.Windows.Select(w => $"{w.Job}@{w.Window.Start:O}"));
        Assert.All(result.Windows, w => Assert.Equal(WindowState.Pending, w.State));
        await f.RunDue();

        Assert.Equal(2, AttemptsByWindow(f, "A")[t]);
        Assert.Equal(2, AttemptsByWindow(f, "B")[t]);
        Assert.Equal(1, AttemptsByWindow(f, "A")[T0]);
        Assert.Equal(WindowState.Succeeded, f.Window("A", t).State);
        Assert.Equal(WindowState.Succeeded, f.Window("B", t).State);
        Assert.Equal(180, f.Count("Mid"));
        Assert.Equal(180, f.Count("Out"));
        Assert.Equal(6, f.Temp.Extents("Out").Count);
        f.AssertViewExact();
    }

    [Fact]
    public async Task Clear_WithoutDownstream_OnlyThatWindowRunsAgain()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(61));
        await f.RunDue();
        var t = T0.AddMinutes(30);
        Assert.Single(f.Scheduler.Clear("A", t, downstream: false).Windows);
        await f.RunDue();
        Assert.Equal(2, AttemptsByWindow(f, "A")[t]);
        Assert.Equal(1, AttemptsByWindow(f, "B")[t]);
        Assert.Equal(180, f.Count("Mid"));
    }

    [Fact]
    public async Task Retract_WithCascade_DropsTheWindowRowsDownstreamToo()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(61));
        await f.RunDue();
        f.AssertViewExact();
        var t = T0.AddMinutes(20);
        const string inWindow = "| where Timestamp >= datetime(2024-05-23T00:20:00Z) and Timestamp < datetime(2024-05-23T00:30:00Z)";
        var others = f.Temp.Dump("Mid").Where(r => !r.StartsWith("2024-05-23T00:2", StringComparison.Ordinal)).ToList();

        var result = f.Scheduler.Retract("A", t.AddMinutes(5), cascade: true);
        Assert.Contains("30 row(s) dropped from Mid", result.Message, StringComparison.Ordinal);
        Assert.Contains("1 downstream window(s) will run again", result.Message, StringComparison.Ordinal);
        Assert.Equal(["A", "B"], result.Windows.Select(w => w.Job));
        Assert.Equal(150, f.Count("Mid"));
        Assert.Equal(0L, f.Temp.Scalar($"Mid {inWindow} | count"));
        Assert.Equal(WindowState.Skipped, f.Window("A", t).State);
        Assert.False(f.Window("A", t).MarkedSucceeded);
        Assert.Equal(WindowState.Pending, f.Window("B", t).State);
        f.AssertViewExact();

        await f.RunDue();
        Assert.Equal(WindowState.Succeeded, f.Window("B", t).State);
        Assert.Equal(150, f.Count("Out"));
        Assert.Equal(0L, f.Temp.Scalar($"Out {inWindow} | count"));
        Assert.Equal(2, AttemptsByWindow(f, "B")[t]);
        Assert.Equal(1, AttemptsByWindow(f, "A")[t]);
        f.AssertViewExact();

        // Mid and Out hold the same rows (but for the stage), and the rest of Mid is untouched.
        Assert.Equal(f.Temp.Dump("Mid | project Timestamp, Source, V"), f.Temp.Dump("Out | project Timestamp, Source, V"));
        Assert.Equal(others, f.Temp.Dump("Mid"));

        // Bring it back: clear with downstream.
        f.Scheduler.Clear("A", t, downstream: true);
        await f.RunDue();
        Assert.Equal(180, f.Count("Mid"));
        Assert.Equal(180, f.Count("Out"));
        f.AssertViewExact();
    }

    [Fact]
    public async Task Retract_WithoutCascade_ListsDownstreamAndLeavesOut()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(61));
        await f.RunDue();
        var t = T0.AddMinutes(20);
        var outBefore = f.Temp.Dump("Out");

        var result = f.Scheduler.Retract("A", t, cascade: false);
        Assert.Contains("1 downstream window(s) read it", result.Message, StringComparison.Ordinal);
        var listed = result.Windows.Single(w => w.Job == "B");
        Assert.Equal(t, listed.Window.Start);
        Assert.Equal(WindowState.Succeeded, listed.State);
        Assert.Equal(150, f.Count("Mid"));

        await f.RunDue();
        Assert.Equal(outBefore, f.Temp.Dump("Out"));
        Assert.Equal(WindowState.Succeeded, f.Window("B", t).State);
        Assert.Equal(1, AttemptsByWindow(f, "B")[t]);
        f.AssertViewExact();
    }

    [Fact]
    public async Task Retract_WindowWithoutOutput_JobException()
    {
        using var f = WithThirdWindowOverLimit();
        f.SetNow(T0.AddMinutes(61));
        await f.RunDue();
        var e = Assert.Throws<JobException>(() => f.Scheduler.Retract("A", T0.AddMinutes(20), cascade: true));
        Assert.Contains("has no committed output to retract (state Failed)", e.Message, StringComparison.Ordinal);
    }
}
