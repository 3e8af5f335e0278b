using System.Diagnostics;
using Tributary.Jobs;

namespace Tributary.Tests.Jobs;

/// <summary>Parallelism, timeouts, kills and out-of-memory: what happens to attempts while they run.</summary>
public sealed class AttemptControlTests
{
    private static readonly DateTime T0 = JobsFixture.T0;

    /// <summary>One row per window after summing a range: about a few hundred milliseconds here.</summary>
    private const string SlowQuery =
        "range x from 1 to 12000000 step 1 | summarize c = sum(x % 7) | extend Timestamp = startTime, Source = 'S', V = c, Stage = 'x' | project Timestamp, Source, V, Stage";

    /// <summary>The same over 10^11 numbers: it would run for a long time.</summary>
    private const string EndlessQuery =
        "range x from 1 to 100000000000 step 1 | summarize c = sum(x % 7) | extend Timestamp = startTime, Source = 'S', V = c, Stage = 'x' | project Timestamp, Source, V, Stage";

    [Fact]
    public async Task RunDueAsync_MaxParallelismTwo_AtMostTwoRunAtOnceOldestFirst()
    {
        // One window a query, so each attempt is a window (batches are tested in BatchTests).
        using var f = new JobsFixture(queryA: SlowQuery, extraJobSettingsA: "maxParallelism: 2\nbatch: 1");
        var a = f.Scheduler.Jobs.Single(j => j.Name == "A");
        var clock = Stopwatch.StartNew();
        using (f.Store.StageQuery(JobScheduler.BoundQueryText(a, a.WindowAt(T0)), null, CancellationToken.None))
        {
        }

        Assert.True(clock.ElapsedMilliseconds >= 100, $"the slow query took only {clock.ElapsedMilliseconds} ms; the test needs overlap");

        f.SetNow(T0.AddMinutes(61));
        // The fake clock moves on after each sample, so each attempt's StartedOn tells when it started.
        var (report, observed) = await f.RunDueObserving("A", () => f.Time.Advance(TimeSpan.FromMilliseconds(1)));
        Assert.Equal(12, report.Succeeded);
        Assert.True(observed.Max() <= 2, $"saw {observed.Max()} windows of A running at once");
        Assert.Contains(2, observed);

        var started = f.Temp.Rows("JobAttempts | where Job == 'A' | order by WindowStart asc | project WindowStart, StartedOn")
            .Select(r => ((DateTime)r[0]!, (DateTime)r[1]!)).ToList();
        Assert.Equal(6, started.Count);
        for (var i = 1; i < started.Count; i++)
        {
            Assert.True(started[i].Item2 >= started[i - 1].Item2, $"window {started[i].Item1:O} started before the older window {started[i - 1].Item1:O}");
        }

        // The third waited for a slot (the clock moved on meanwhile).
        Assert.True(started[2].Item2 > started[0].Item2, $"window 3 started at {started[2].Item2:O}, with window 1 ({started[0].Item2:O})");
        Assert.Equal(6, f.Count("Mid"));
        Assert.Equal(6, f.Count("Out"));
    }

    [Fact]
    public async Task RunDueAsync_AttemptPastTimeout_InterruptedAsTimeoutAndWindowFailed()
    {
        using var f = new JobsFixture(queryA: EndlessQuery, extraJobSettingsA: "timeout: 1m\nattempts: 1");
        f.SetNow(T0.AddMinutes(11));
        var run = f.Scheduler.RunDueAsync();
        await JobsFixture.WaitUntil(() => f.Scheduler.List().Single(j => j.Name == "A").Running == 1, "A's first window runs");
        await Task.Delay(200);
        Assert.False(run.IsCompleted);

        var clock = Stopwatch.StartNew();
        f.Time.Advance(TimeSpan.FromMinutes(2));
        await run.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the interrupted query took {clock.Elapsed} to stop");

        var attempt = Assert.Single(f.Attempts("A"));
        Assert.Equal("Failed", attempt[2]);
        Assert.Equal("Timeout", attempt[3]);
        var w = f.Window("A", T0);
        Assert.Equal(WindowState.Failed, w.State);
        Assert.Equal(ErrorKind.Timeout, w.ErrorKind);
        Assert.Contains("timeout", w.Error, StringComparison.Ordinal);
        Assert.Equal(ErrorKind.DependencyFailed, f.Window("B", T0).ErrorKind);

        // The store still answers and writes.
        Assert.Equal(180, f.Count("Src"));
        f.Ingest("Src", [$"{T0:O},S9,1"]);
        Assert.Equal(181, f.Count("Src"));
        Assert.Equal("Failed", f.Temp.Scalar("JobWindows | where Job == 'A' | project State"));
    }

    [Fact]
    public async Task Kill_RunningJob_AttemptKilledWindowFailedAndNotRetried()
    {
        using var f = new JobsFixture(queryA: EndlessQuery, extraJobSettingsA: "attempts: 3");
        f.SetNow(T0.AddMinutes(11));
        var run = f.Scheduler.RunDueAsync();
        await JobsFixture.WaitUntil(() => f.Scheduler.List().Single(j => j.Name == "A").Running == 1, "A's first window runs");

        var result = f.Scheduler.Kill("A");
        Assert.Contains("1 running attempt", result.Message, StringComparison.Ordinal);
        Assert.Equal(T0, Assert.Single(result.Windows).Window.Start);
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        var w = f.Window("A", T0);
        Assert.Equal(WindowState.Failed, w.State);
        Assert.Equal(ErrorKind.Killed, w.ErrorKind);
        Assert.Equal("Killed", Assert.Single(f.Attempts("A"))[3]);

        // Not retried: it waits for an operator even after any back-off (the next window is not due yet).
        f.SetNow(T0.AddMinutes(20));
        await f.Scheduler.RunDueAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, f.Window("A", T0).Attempts);
        Assert.Equal(WindowState.Failed, f.Window("A", T0).State);
        Assert.Empty(f.Scheduler.Kill("A").Windows);
    }

    [Fact]
    public void Kill_WindowWithNothingRunning_ThrowsJobException()
    {
        using var f = new JobsFixture();
        f.SetNow(T0.AddMinutes(61));
        var e = Assert.Throws<JobException>(() => f.Scheduler.Kill("A", T0.AddMinutes(5)));
        Assert.Contains("no attempt of A is running", e.Message, StringComparison.Ordinal);
        Assert.Contains("2024-05-23T00:05:00Z", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunDueAsync_QueryOutOfMemory_ErrorKindOutOfMemoryAndSchedulerGoesOn()
    {
        const string hungry = "range x from 1 to 200000000 step 1 | summarize l = make_list(strcat('item-', tostring(x))) " +
                              "| extend Timestamp = startTime, Source = 'S', V = array_length(l), Stage = 'x' | project Timestamp, Source, V, Stage";
        using var f = new JobsFixture(queryA: hungry, extraJobSettingsA: "attempts: 1");
        f.Store.SetMemoryLimit("200MB");
        f.SetNow(T0.AddMinutes(11));
        await f.RunDue().WaitAsync(TimeSpan.FromMinutes(2));

        var attempt = Assert.Single(f.Attempts("A"));
        Assert.Equal("OutOfMemory", attempt[3]);
        var w = f.Window("A", T0);
        Assert.Equal(WindowState.Failed, w.State);
        Assert.Equal(ErrorKind.OutOfMemory, w.ErrorKind);
        Assert.Contains("memory", w.Error, StringComparison.OrdinalIgnoreCase);

        // Another job's window runs and commits afterwards.
        f.Apply("""
            tables:
              Side: { Timestamp: datetime, Source: string, V: long, Stage: string }
            jobs:
              C:
                query: fMid(startTime, endTime)
                target: Side
                window: 10m
                delay: 1m
                start: 2024-05-23T00:00:00Z
            """);
        f.Scheduler.Reload();
        await f.RunDue().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(WindowState.Succeeded, f.Window("C", T0).State);
        Assert.Equal(30, f.Count("Side"));
    }
}
