using Tributary.Jobs;

namespace Tributary.Tests.Jobs;

public sealed class SchedulerTests
{
    private static readonly DateTime T0 = JobsFixture.T0;

    [Fact]
    public async Task RunDue_TwoStages_EveryRowLandsOnceAndRerunsChangeNothing()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(61));
        var report = await f.RunDue();

        Assert.Equal(12, report.Succeeded);
        Assert.Equal(180, f.Count("Mid"));
        Assert.Equal(180, f.Count("Out"));
        Assert.Equal(180L, f.Temp.Scalar("OutCounts | summarize sum(N)"));

        f.Scheduler.Rerun("A", T0, T0.AddHours(1), failedOnly: false);
        f.Scheduler.Rerun("B", T0, T0.AddHours(1), failedOnly: false);
        await f.RunDue();
        await f.RunDue();

        Assert.Equal(180, f.Count("Mid"));
        Assert.Equal(180, f.Count("Out"));
        Assert.Equal(180L, f.Temp.Scalar("OutCounts | summarize sum(N)"));
        Assert.Equal(6, f.Temp.Extents("Out").Count);
        Assert.Equal(12, f.Attempts("A").Count);
    }

    [Fact]
    public async Task RunDue_WindowNotPastDelay_IsNotDue()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(10).AddSeconds(59));
        var report = await f.RunDue();
        Assert.Equal(0, report.Succeeded);

        f.SetNow(T0.AddMinutes(11));
        report = await f.RunDue();
        Assert.Equal(2, report.Succeeded);
        Assert.Equal(30, f.Count("Out"));
    }

    [Fact]
    public async Task RowLimit_RetriesWithBackoff_ThenFailed_AndDownstreamDependencyFailed()
    {
        using var f = new JobsFixture(extraJobSettingsA: "rowLimit: 20\nattempts: 3");
        f.SetNow(T0.AddMinutes(11));
        await f.RunDue();
        var w = f.Window("A", T0);
        Assert.Equal(WindowState.Pending, w.State);
        Assert.Equal(ErrorKind.RowLimit, w.ErrorKind);

        f.SetNow(T0.AddMinutes(11).AddSeconds(59));
        await f.RunDue();
        Assert.Equal(1, f.Window("A", T0).Attempts);

        f.SetNow(T0.AddMinutes(12));
        await f.RunDue();
        Assert.Equal(2, f.Window("A", T0).Attempts);

        f.SetNow(T0.AddMinutes(14));
        await f.RunDue();
        w = f.Window("A", T0);
        Assert.Equal(WindowState.Failed, w.State);
        Assert.Equal(3, w.Attempts);
        Assert.All(f.Attempts("A"), a => Assert.Equal("RowLimit", a[3]));

        var b = f.Window("B", T0);
        Assert.Equal(WindowState.Failed, b.State);
        Assert.Equal(ErrorKind.DependencyFailed, b.ErrorKind);
        Assert.Equal(0, f.Count("Out"));
    }

    [Fact]
    public async Task List_AsOfBeforeWindowsThatSucceeded_LagIsZeroNotNegative()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(61));
        await f.RunDue();

        var a = f.Scheduler.List(T0.AddMinutes(15)).Single(j => j.Name == "A");
        Assert.Equal(T0.AddHours(1), a.LastSucceededWindowEnd);
        Assert.Equal(TimeSpan.Zero, a.Lag);
        Assert.Equal(TimeSpan.FromMinutes(5), f.Scheduler.List(T0.AddMinutes(65)).Single(j => j.Name == "A").Lag);
    }
}
