using Tributary.Jobs;

namespace Tributary.Tests.Jobs;

/// <summary>
/// Property-style: whatever sequence of operator actions and scheduling happens, once the operator has rerun
/// everything failed or skipped and the scheduler is quiet, every source row is in Mid and Out exactly once and
/// the materialized view on Out is exact.
/// </summary>
public sealed class ExactlyOnceTests
{
    private static readonly DateTime T0 = JobsFixture.T0;
    private static readonly string[] Jobs = ["A", "B"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task RandomOperations_ThenRecovery_EverySourceRowOnceDownstream(int seed)
    {
        var random = new Random(seed);
        using var f = new JobsFixture(rowsPerMinute: 4);
        var log = new List<string>();
        var now = T0.AddMinutes(25);
        f.SetNow(now);

        DateTime AnyTime() => T0.AddMinutes(random.Next(0, Math.Max(1, (int)(now - T0).TotalMinutes - 10)));
        string AnyJob() => Jobs[random.Next(Jobs.Length)];

        for (var step = 0; step < 30; step++)
        {
            var job = AnyJob();
            var t = AnyTime();
            var op = random.Next(10);
            try
            {
                switch (op)
                {
                    case 0:
                        await f.RunDue();
                        log.Add("run due");
                        break;
                    case 1:
                        var failedOnly = random.Next(2) == 0;
                        f.Scheduler.Rerun(job, t, t.AddMinutes(random.Next(1, 30)), failedOnly);
                        log.Add($"rerun {job} {t:HH:mm} failedOnly={failedOnly}");
                        break;
                    case 2:
                        var downstream = random.Next(2) == 0;
                        f.Scheduler.Clear(job, t, downstream);
                        log.Add($"clear {job} {t:HH:mm} downstream={downstream}");
                        break;
                    case 3:
                        var cascade = random.Next(2) == 0;
                        log.Add($"retract {job} {t:HH:mm} cascade={cascade}");
                        f.Scheduler.Retract(job, t, cascade);
                        f.Scheduler.Rerun(job, t, t.AddTicks(1), failedOnly: false);
                        log.Add("+ rerun");
                        break;
                    case 4:
                        log.Add($"mark succeeded {job} {t:HH:mm}");
                        f.Scheduler.MarkSucceeded(job, t);
                        f.Scheduler.Rerun(job, t, t.AddTicks(1), failedOnly: false);
                        log.Add("+ rerun");
                        break;
                    case 5:
                        var run = f.Scheduler.RunDueAsync();
                        await Task.Delay(random.Next(0, 15));
                        var killed = f.Scheduler.Kill(job);
                        await run;
                        log.Add($"kill {job}: {killed.Windows.Count}");
                        break;
                    case 6:
                        if (now < T0.AddMinutes(61))
                        {
                            now = new DateTime(Math.Min(now.AddMinutes(random.Next(1, 15)).Ticks, T0.AddMinutes(61).Ticks), DateTimeKind.Utc);
                            f.SetNow(now);
                            log.Add($"now {now:HH:mm}");
                        }

                        break;
                    case 7:
                        var txn = $"txn-{step}";
                        f.Scheduler.StartRun(random.Next(3) switch { 0 => ["A"], 1 => ["B"], _ => ["A", "B"] }, t, txn);
                        log.Add($"run {txn} {t:HH:mm}");
                        break;
                    case 8:
                        f.Restart();
                        log.Add("restart");
                        break;
                    default:
                        await f.RunDue(); // Twice as likely as anything else: the scheduler mostly runs.
                        log.Add("run due");
                        break;
                }
            }
            catch (JobException e)
            {
                log.Add($"  refused: {e.Message}");
            }

            f.AssertViewExact();
        }

        // Recovery: the operator reruns what failed or was skipped (with what reads it) until all is quiet.
        f.SetNow(T0.AddMinutes(61));
        for (var round = 0; ; round++)
        {
            Assert.True(round < 20, "recovery did not settle:\n" + string.Join("\n", log));
            var report = await f.RunDue();
            var broken = Jobs.SelectMany(j => f.Scheduler.Show(j, 500).Windows.Where(w => w.State is WindowState.Failed or WindowState.Skipped)).ToList();
            foreach (var w in broken)
            {
                f.Scheduler.Clear(w.Job, w.Window.Start, downstream: true);
            }

            if (broken.Count == 0 && report.Succeeded == 0)
            {
                break;
            }
        }

        var context = string.Join("\n", log);
        Assert.All(Jobs, j => Assert.All(f.Scheduler.Show(j, 500).Windows.Where(w => w.Window.End <= T0.AddHours(1)), w => Assert.True(w.State == WindowState.Succeeded, $"{j} {w.Window} is {w.State}\n{context}")));
        var source = f.Temp.Dump("Src");
        Assert.Equal(240, source.Count);
        Assert.True(source.SequenceEqual(f.Temp.Dump("Mid | project Timestamp, Source, V")), "Mid differs from Src:\n" + context);
        Assert.True(source.SequenceEqual(f.Temp.Dump("Out | project Timestamp, Source, V")), "Out differs from Src:\n" + context);
        Assert.Equal(f.PerSource("Src"), f.PerSource("Out"));
        Assert.Equal(0L, f.Temp.Scalar("JobAttempts | where State == 'Running' | count"));
        f.AssertViewExact();
    }
}
