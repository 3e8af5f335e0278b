using System.Globalization;
using System.Runtime.CompilerServices;

namespace Tributary.Demo;

/// <summary>
/// <c>KO_RepeatableQueryStatistic</c> and <c>KO_StreamingQueryStatistic</c> batches: six Kusto
/// Orchestrator jobs, each running once per 10-minute window over the last 5 days (a failed attempt is
/// retried up to twice under the same actor id), ingested in hourly batches; only complete hours are
/// ingested. Two stories: <see cref="FailingJob"/> fails often in the last 6 hours, and the durations
/// of <see cref="SlowingJob"/> climb steeply over the last day. The streaming statistics link the last
/// 8 hours of actors to their activities.
/// </summary>
internal static class JobStatistics
{
    public const string FailingJob = "OMRollOuts_EntityModel";
    public const string SlowingJob = "MapOMRollouts_ChangeEventV2";
    public static readonly TimeSpan History = TimeSpan.FromDays(5);
    public static readonly TimeSpan StreamingHistory = TimeSpan.FromHours(8);
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static readonly IReadOnlyList<Job> Jobs =
    [
        new("GetOMRollouts_EntityModel_Staging", "fGetOMRolloutsStaging", 35, 30_000, "OMRollOuts_EntityModel_ChangeEventV2"),
        new(FailingJob, "fOMRollouts", 90, 25_000, "OMRollOuts_EntityModel_ChangeEventV2"),
        new(SlowingJob, "fMapOMRolloutsChangeEventV2", 60, 24_000, "OMRollOuts_EntityModel_ChangeEventV2"),
        new("GetBatchingEvents_EntityModel_Staging", "fGetBatchingEventsStaging", 25, 8_000, "BatchingEvents_EntityModel_ChangeEventV2"),
        new("MapBatchingEvents_EntityModel", "fMapBatchingEvents", 45, 7_000, "BatchingEvents_EntityModel_ChangeEventV2"),
        new("MapChangeEventV1ToV2", "MapChangeEventV1ToV2", 120, 50_000, "ChangeEventV1ToV2"),
    ];

    private static readonly IReadOnlyList<string> KoRegions = ["westus", "westus2", "centralus"];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (List<Batch> Repeatable, List<Batch> Streaming) Generate(DateTime now, Random rng)
    {
        var end = DemoRandom.Floor(now, Hour);
        var start = end - History;
        var repeatable = new List<object?[]>();
        var streaming = new List<object?[]>();
        foreach (var job in Jobs)
        {
            for (var windowStart = start - Window; ; windowStart += Window)
            {
                var windowEnd = windowStart + Window;
                var startedOn = windowEnd + DemoRandom.Span(rng, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(90));
                if (startedOn >= end)
                {
                    break;
                }

                var actorId = $"{job.Name}:{windowStart.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}";
                var queryString = $"{job.Function}(datetime({DemoFiles.FormatDateTime(windowStart)}), datetime({DemoFiles.FormatDateTime(windowEnd)}))";
                if (startedOn >= end - StreamingHistory)
                {
                    var linkedOn = startedOn - DemoRandom.Span(rng, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
                    streaming.Add([job.Activity, actorId, linkedOn, DemoRandom.Pick(rng, KoRegions)]);
                }

                for (var attempt = 1; attempt <= 3 && startedOn < end; attempt++)
                {
                    var failureRate = job.Name == FailingJob && startedOn >= now.AddHours(-6)
                        ? (attempt == 1 ? 0.30 : 0.40)
                        : (attempt == 1 ? 0.006 : 0.20);
                    var failed = rng.NextDouble() < failureRate;
                    TimeSpan duration;
                    if (failed)
                    {
                        duration = rng.Next(2) == 0
                            ? TimeSpan.FromMinutes(15) + DemoRandom.Span(rng, TimeSpan.Zero, TimeSpan.FromSeconds(2))
                            : DemoRandom.Span(rng, TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(4));
                    }
                    else
                    {
                        var daily = 1 + (0.15 * Math.Sin(2 * Math.PI * startedOn.TimeOfDay.TotalHours / 24));
                        var trend = 1.0;
                        if (job.Name == SlowingJob)
                        {
                            var x = Math.Clamp((startedOn - now.AddDays(-1)).TotalHours / 24, 0, 1);
                            trend = 1 + (5 * x * x);
                        }

                        duration = DemoRandom.Milliseconds(job.BaseSeconds * 1000 * DemoRandom.LogNormal(rng, 0.25) * daily * trend);
                    }

                    var rowCount = failed ? 0L : (long)Math.Round(job.Rows * DemoRandom.LogNormal(rng, 0.2));
                    repeatable.Add([actorId, queryString, startedOn, duration, failed ? "Failed" : "Succeeded", rowCount]);
                    if (!failed)
                    {
                        break;
                    }

                    startedOn += duration + DemoRandom.Span(rng, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(120));
                }
            }
        }

        return (Hourly(repeatable, 2, now, rng), Hourly(streaming, 2, now, rng));
    }

    /// <summary>Groups rows into batches by the hour of their time column, each ingested 2–5 minutes after its hour (never after <paramref name="now"/>).</summary>
    private static List<Batch> Hourly(List<object?[]> rows, int timeColumn, DateTime now, Random rng)
    {
        var batches = new List<Batch>();
        foreach (var group in rows.GroupBy(r => DemoRandom.Floor((DateTime)r[timeColumn]!, Hour)).OrderBy(g => g.Key))
        {
            var batchRows = group.OrderBy(r => (DateTime)r[timeColumn]!).ToList();
            var ingested = group.Key + Hour + DemoRandom.Span(rng, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5));
            batches.Add(new Batch(group.Key, ingested < now ? ingested : now, batchRows));
        }

        return batches;
    }

    private sealed record Job(string Name, string Function, double BaseSeconds, long Rows, string Activity);
}
