using System.Diagnostics;
using System.Globalization;
using Tributary.Fleet;
using Tributary.Jobs;
using Tributary.Kql;
using Tributary.Pipelines;
using Tributary.Store;

namespace Tributary.Bench;

/// <summary>
/// Freshness: the OMRollouts chain of fleet-changes.yaml (3 stages: _Staging → _EntityModel → _ChangeEventV2, with the
/// view on ChangeEventV2) with 1-minute windows and no delay, driven by <see cref="JobScheduler.RunAsync"/> as the server
/// drives it. Each minute's source rows are ingested during their minute; the figure is the real time from the
/// window's end (when it becomes due) to its rows being visible in ChangeEventV2.
/// </summary>
/// <remarks>
/// The clock runs at real speed; between windows it skips ahead to shortly before the next window's end instead of
/// idling for a minute (<see cref="WarpClock"/>). Timers (the scheduler's 1-second tick, attempt timeouts) are real
/// timers, so the scheduler notices a due window exactly as late as with the system clock. <c>--real-clock</c> uses the
/// system clock and waits out every minute.
/// </remarks>
internal static class FreshnessBench
{
    private const double TargetSeconds = 2.0;
    private static readonly string[] Jobs = ["GetOMRollouts_EntityModel_Staging", "OMRollOuts_EntityModel", "MapOMRollouts_ChangeEventV2"];
    private static readonly KqlColumn[] CountColumn = [new("Count", KqlType.Long)];

    public static List<Row> Run(Options options, string root)
    {
        var windows = options.FreshnessWindows;
        var nodes = options.FleetNodes;
        var clock = new WarpClock(options.RealClock);
        Console.WriteLine($"== freshness: 3-stage OMRollouts chain, 1-minute windows, delay 0, {windows} windows, {nodes:N0} nodes, " +
            $"{(options.RealClock ? "system clock" : "clock skipping the idle part of each minute")} (load {Timing.Load()})");
        var dir = Path.Combine(root, "freshness");
        var now = clock.GetUtcNow().UtcDateTime;
        var start = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc).AddMinutes(1);
        var source = FleetChangeGenerator.Generate(new FleetGenerateOptions(start, start.AddMinutes(windows), nodes, Seed: 3))
            .Single(t => t.Table.Name == "EntityModelChangeEvents");
        var time = source.Table.Columns.Select((c, i) => (c, i)).Single(x => x.c.Name == "Timestamp").i;
        var system = source.Table.Columns.Select((c, i) => (c, i)).Single(x => x.c.Name == "Source").i;

        var freshness = new List<double>();
        var detection = new List<double>();
        var stages = Jobs.Select(_ => new List<double>()).ToArray();
        var gaps = new List<double>();
        var poll = new List<double>();
        long expected = 0;
        var random = new Random(42);
        using (var store = TributaryStore.Open(dir, clock))
        {
            PipelineApplier.Apply(store, Slice(start));
            using var scheduler = JobScheduler.Open(store, clock);
            using var stop = new CancellationTokenSource();
            var loop = Task.Run(() => scheduler.RunAsync(stop.Token));
            try
            {
                clock.JumpTo(start.AddSeconds(1));
                for (var k = 0; k < windows; k++)
                {
                    var window = new TimeWindow(start.AddMinutes(k), start.AddMinutes(k + 1));

                    // The minute's rows arrive during the minute.
                    var rows = source.Rows.Where(r => window.Contains((DateTime)r[time]!)).ToList();
                    var path = Path.Combine(root, $"minute-{k}.jsonl");
                    FleetChangeGenerator.WriteJsonLines(new SourceRows(source.Table, rows), path);
                    store.IngestFile(source.Table.Name, path);
                    File.Delete(path);
                    expected += rows.Count(r => (string)r[system]! is "OMRollout" or "OMRollout:SOC");

                    // Due at the window's end: skip ahead to 0.3-1.3 s before it (a random phase against the scheduler's
                    // 1-second tick, as the end of a minute has on a real clock), then let real time pass.
                    clock.JumpTo(window.End - TimeSpan.FromMilliseconds(300 + random.Next(1000)));
                    var due = clock.RealTimestampAt(window.End);
                    long visible = 0;
                    var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
                    while (Count(store) < expected)
                    {
                        if (Stopwatch.GetTimestamp() > deadline)
                        {
                            throw new InvalidOperationException($"freshness: window {window} not visible in ChangeEventV2 after 30 s ({Count(store)} of {expected} rows)");
                        }

                        Thread.Sleep(10);
                    }

                    visible = Stopwatch.GetTimestamp();
                    var seconds = (visible - due) / (double)Stopwatch.Frequency;
                    freshness.Add(seconds);
                    var b = Attempts(store, window);
                    detection.Add((b[0].Started - window.End).TotalSeconds);
                    for (var s = 0; s < Jobs.Length; s++)
                    {
                        stages[s].Add(b[s].Duration.TotalSeconds);
                        if (s > 0)
                        {
                            gaps.Add((b[s].Started - (b[s - 1].Started + b[s - 1].Duration)).TotalSeconds);
                        }
                    }

                    poll.Add(seconds - (b[^1].Started + b[^1].Duration - window.End).TotalSeconds);
                    Console.WriteLine($"   window {k + 1,2} {TimeWindow.Format(window.Start)}: {rows.Count,5} rows in, visible {Timing.Ms(seconds)} after its end " +
                        $"(first stage started after {Timing.Ms(detection[^1])}; stages {string.Join(" + ", b.Select(x => Timing.Ms(x.Duration.TotalSeconds)))})");
                }
            }
            finally
            {
                stop.Cancel();
                loop.GetAwaiter().GetResult();
            }
        }

        Directory.Delete(dir, recursive: true);
        var f = new Sample("freshness", freshness);
        var p95 = Percentile(freshness, 0.95);
        var met = f.Median < TargetSeconds && p95 < TargetSeconds;
        var parts = $"start of stage 1 after the end {Timing.Ms(new Sample("", detection).Median)}; stages {string.Join(" + ", stages.Select(s => Timing.Ms(new Sample("", s).Median)))}; " +
            $"between stages {Timing.Ms(new Sample("", gaps).Median)}; commit to seen by the poll {Timing.Ms(new Sample("", poll).Median)}";
        Console.WriteLine($"   freshness: median {Timing.Ms(f.Median)}, p95 {Timing.Ms(p95)}, max {Timing.Ms(freshness.Max())} over {windows} windows " +
            $"{(met ? "ok" : "MISSED (target < 2 s)")} (load {Timing.Load()})");
        Console.WriteLine($"   medians: {parts}");
        return
        [
            new Row("freshness", $"3-stage chain, 1-minute windows, delay 0, {windows} windows, {nodes:N0} nodes{(options.RealClock ? ", system clock" : "")}",
                $"median {Timing.Ms(f.Median)}, p95 {Timing.Ms(p95)}, max {Timing.Ms(freshness.Max())}", "–", "–", "median and p95 < 2 s", met, Timing.Load()),
            new Row("freshness", "where the time goes (medians)", parts, "–", "–", "–", null, Timing.Load()),
        ];
    }

    /// <summary>The OMRollouts chain of the sample pipeline: its tables, functions and view, its three jobs on 1-minute windows with no delay.</summary>
    private static PipelineDefinition Slice(DateTime start)
    {
        var p = PipelineLoader.Load(RepoPaths.Sample("pipelines", "fleet-changes.yaml"));
        string[] tables = ["EntityModelChangeEvents", "OMRollouts_EntityModel_Staging", "EntityChangeEvents", "ChangeEventV2"];
        string[] functions = ["fEntityChangeEvents", "fGetOMRollouts_EntityModel_Staging", "fOMRollOuts_EntityModel", "fMapOMRollouts_ChangeEventV2"];
        return p with
        {
            Tables = p.Tables.Where(t => tables.Contains(t.Name)).ToList(),
            Functions = p.Functions.Where(f => functions.Contains(f.Name)).ToList(),
            Views = p.Views.Where(v => v.Source == "ChangeEventV2").ToList(),
            Jobs = p.Jobs.Where(j => Jobs.Contains(j.Definition.Name))
                .Select(j => j with { Definition = j.Definition with { Window = TimeSpan.FromMinutes(1), Delay = TimeSpan.Zero, Start = start } })
                .ToList(),
        };
    }

    private static long Count(TributaryStore store) => (long)store.RunSql("SELECT count(*) FROM \"ChangeEventV2\"", CountColumn).Rows[0][0]!;

    /// <summary>The window's attempt of each stage: when it started (the scheduler's clock) and how long it took to commit (QueryLog).</summary>
    private static List<(DateTime Started, TimeSpan Duration)> Attempts(TributaryStore store, TimeWindow window) =>
        Jobs.Select(job =>
        {
            // QueryLog is written just after the commit that made the rows visible: wait for it.
            List<object?[]> rows = [];
            for (var tries = 0; tries < 500 && rows.Count == 0; tries++)
            {
                if (tries > 0)
                {
                    Thread.Sleep(10);
                }

                rows = store.LedgerQuery(
                    "SELECT a.started_on, q.duration_ticks FROM tributary_meta.job_attempts a JOIN tributary_meta.query_log q ON q.user_name = 'job:' || a.job AND q.started_on = a.started_on " +
                    "WHERE a.job = ? AND a.window_start = ? AND a.state = 'Succeeded'", job, window.Start);
            }

            var row = rows.Single();
            return (DateTime.SpecifyKind((DateTime)row[0]!, DateTimeKind.Utc), TimeSpan.FromTicks(Convert.ToInt64(row[1], CultureInfo.InvariantCulture)));
        }).ToList();

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    /// <summary>
    /// A clock at real speed that can skip ahead: now = the system's now + an offset that only grows. Timers are the
    /// system's (real durations), so a skip does not fire them early.
    /// </summary>
    private sealed class WarpClock(bool real) : TimeProvider
    {
        private long _offsetTicks;

        public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

        /// <summary>Skips ahead so now reads <paramref name="t"/> (with the system clock: waits until it does).</summary>
        public void JumpTo(DateTime t)
        {
            var ahead = t - GetUtcNow().UtcDateTime;
            if (ahead <= TimeSpan.Zero)
            {
                return;
            }

            if (real)
            {
                Thread.Sleep(ahead);
                return;
            }

            Interlocked.Add(ref _offsetTicks, ahead.Ticks);
        }

        /// <summary>The Stopwatch timestamp at which this clock will read <paramref name="t"/>.</summary>
        public long RealTimestampAt(DateTime t)
        {
            var now = Stopwatch.GetTimestamp();
            var ahead = t - GetUtcNow().UtcDateTime;
            return now + (long)(ahead.TotalSeconds * Stopwatch.Frequency);
        }
    }
}
