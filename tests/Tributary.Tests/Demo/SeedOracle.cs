using Tributary.Demo;

namespace Tributary.Tests.Demo;

/// <summary>
/// Answers to the seed queries (<see cref="SeedQueries"/>) computed with plain LINQ over the rows read
/// back from the demo files — no SQL, no KQL — so the KQL engine's answers can be checked against them.
/// </summary>
/// <remarks>
/// <para>
/// Each method returns rows whose columns are in the order Kusto outputs them (listed in the matching
/// <c>…Columns</c> field), with <c>QueryResult</c>'s CLR types: counts are <see cref="long"/>, times UTC
/// <see cref="DateTime"/>, durations <see cref="TimeSpan"/>.
/// </para>
/// <para>
/// Row order: queries 1, 4 and 5 are ordered in Kusto (<c>top</c>, <c>sort</c>), and the oracle returns
/// that order — note that in query 5 <c>sort by HostId, PreciseTimeStamp asc</c> sorts HostId
/// <em>descending</em>, Kusto's default. The other queries have no defined order in Kusto; the oracle
/// sorts their rows by the leading columns, and a comparison must treat both sides as multisets.
/// </para>
/// <para>
/// <c>ago(x)</c> is <c>now - x</c> for the <c>now</c> passed in; pass the time the engine evaluates
/// <c>now()</c> at. An answer changes only when <c>now</c> moves across a generated time (all whole
/// milliseconds), so an engine run with the generator's anchor must be compared with that same anchor.
/// </para>
/// </remarks>
public static class SeedOracle
{
    public static readonly IReadOnlyList<string> LatestSnapshotOfVmColumns = ["VMId", "HostId", "OsImage", "State", "Region", "PreciseTimeStamp"];
    public static readonly IReadOnlyList<string> WestusStateCountsColumns = ["State", "count_"];
    public static readonly IReadOnlyList<string> BuildDistributionColumns = ["Region", "BuildCommitHash", "dcount_HostId"];
    public static readonly IReadOnlyList<string> HostBuildChangesColumns = ["HostId", "Region", "BuildCommitHash", "PreciseTimeStamp"];
    public static readonly IReadOnlyList<string> AllHostBuildChangesColumns = ["PreciseTimeStamp", "HostId", "buildCommitHashChange"];
    public static readonly IReadOnlyList<string> EventsWithLastKnownBuildColumns = ["PreciseTimeStamp", "HostId", "BuildCommitHash", "Message"];
    public static readonly IReadOnlyList<string> StagingIngestionCountsColumns = ["Source", "IngestionTime", "count_"];
    public static readonly IReadOnlyList<string> JobLatencyP95Columns = ["JobName", "KustoFunctionName", "StartedOn", "percentile_Duration_95"];
    public static readonly IReadOnlyList<string> FailedInstancesColumns = ["QueryString"];

    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>Query 1: the latest snapshot of the seed VM (one row, or none if it has no snapshot).</summary>
    public static IReadOnlyList<object?[]> LatestSnapshotOfVm(DemoTables data, string vmId = FleetGenerator.SpecialVmId)
    {
        var t = data["VMSnapshot"];
        var (id, ts) = (t.Ordinal("VMId"), t.Ordinal("PreciseTimeStamp"));
        return t.Rows
            .Where(r => (string)r[id]! == vmId)
            .OrderByDescending(r => (DateTime)r[ts]!)
            .Take(1)
            .Select(r => (object?[])r.Clone())
            .ToList();
    }

    /// <summary>Query 2: the state distribution of the latest westus snapshots newer than <c>now - 2h</c> (strictly).</summary>
    public static IReadOnlyList<object?[]> WestusStateCounts(DemoTables data, DateTime now)
    {
        var t = data["VMSnapshot"];
        var (id, region, state, ts) = (t.Ordinal("VMId"), t.Ordinal("Region"), t.Ordinal("State"), t.Ordinal("PreciseTimeStamp"));
        var since = now - TimeSpan.FromHours(2);
        return t.Rows
            .Where(r => (string)r[region]! == "westus" && (DateTime)r[ts]! > since)
            .GroupBy(r => (string)r[id]!)
            .Select(g => g.MaxBy(r => (DateTime)r[ts]!)!)
            .GroupBy(r => (string)r[state]!)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new object?[] { g.Key, (long)g.Count() })
            .ToList();
    }

    /// <summary>Query 3: how many hosts run each build in each region, by each host's latest snapshot (dcount exact).</summary>
    public static IReadOnlyList<object?[]> BuildDistribution(DemoTables data)
    {
        var t = data["HostServiceSnapshot"];
        var (host, region, build, ts) = (t.Ordinal("HostId"), t.Ordinal("Region"), t.Ordinal("BuildCommitHash"), t.Ordinal("PreciseTimeStamp"));
        return t.Rows
            .GroupBy(r => (string)r[host]!)
            .Select(g => g.MaxBy(r => (DateTime)r[ts]!)!)
            .GroupBy(r => ((string)r[region]!, (string)r[build]!))
            .OrderBy(g => g.Key.Item1, StringComparer.Ordinal).ThenBy(g => g.Key.Item2, StringComparer.Ordinal)
            .Select(g => new object?[] { g.Key.Item1, g.Key.Item2, (long)g.Select(r => (string)r[host]!).Distinct().Count() })
            .ToList();
    }

    /// <summary>
    /// Query 4: the snapshots of one host where its build differs from the snapshot before, in time order.
    /// The first snapshot is always one: <c>prev()</c> of the first row is the empty string.
    /// </summary>
    public static IReadOnlyList<object?[]> HostBuildChanges(DemoTables data, string hostId = FleetGenerator.SpecialHostId)
    {
        var t = data["HostServiceSnapshot"];
        var (host, build, ts) = (t.Ordinal("HostId"), t.Ordinal("BuildCommitHash"), t.Ordinal("PreciseTimeStamp"));
        var result = new List<object?[]>();
        var previous = "";
        foreach (var row in t.Rows.Where(r => (string)r[host]! == hostId).OrderBy(r => (DateTime)r[ts]!))
        {
            if ((string)row[build]! != previous)
            {
                result.Add((object?[])row.Clone());
            }

            previous = (string)row[build]!;
        }

        return result;
    }

    /// <summary>
    /// Query 5: every build change of every host as "old -> new" (a host's first snapshot is not a
    /// change), ordered by HostId descending, then time ascending.
    /// </summary>
    public static IReadOnlyList<object?[]> AllHostBuildChanges(DemoTables data)
    {
        var t = data["HostServiceSnapshot"];
        var (host, build, ts) = (t.Ordinal("HostId"), t.Ordinal("BuildCommitHash"), t.Ordinal("PreciseTimeStamp"));
        var sorted = t.Rows
            .OrderByDescending(r => (string)r[host]!, StringComparer.Ordinal)
            .ThenBy(r => (DateTime)r[ts]!)
            .ToList();
        var result = new List<object?[]>();
        for (var i = 1; i < sorted.Count; i++)
        {
            var (previous, row) = (sorted[i - 1], sorted[i]);
            if ((string)row[host]! == (string)previous[host]! && (string)row[build]! != (string)previous[build]!)
            {
                result.Add([row[ts], row[host], $"{previous[build]} -> {row[build]}"]);
            }
        }

        return result;
    }

    /// <summary>
    /// Query 6 (as-of join, lookupWindow = 2h): each Windows event with the build of its host's latest
    /// snapshot at or before the event, among the snapshots whose hour bin is one of the event's time
    /// keys <c>bin(t - 2h, 1h) … bin(t + 1h, 1h)</c> — that is, with a time in
    /// <c>[bin(t, 1h) - 2h, t]</c>. Events with no such snapshot (and snapshots with an empty build) are
    /// dropped. Sorted by HostId, then time.
    /// </summary>
    /// <exception cref="InvalidOperationException">Two events of one host share a timestamp: Kusto's
    /// <c>arg_min … by HostId, PreciseTimeStamp</c> would then pick one of them arbitrarily.</exception>
    public static IReadOnlyList<object?[]> EventsWithLastKnownBuild(DemoTables data)
    {
        var s = data["HostServiceSnapshot"];
        var (sHost, sBuild, sTs) = (s.Ordinal("HostId"), s.Ordinal("BuildCommitHash"), s.Ordinal("PreciseTimeStamp"));
        var snapshots = s.Rows
            .GroupBy(r => (string)r[sHost]!)
            .ToDictionary(
                g => g.Key,
                g => g.Select(r => (At: (DateTime)r[sTs]!, Build: (string)r[sBuild]!)).OrderBy(x => x.At).ToArray(),
                StringComparer.Ordinal);
        var times = new Dictionary<string, DateTime[]>(StringComparer.Ordinal);
        foreach (var (key, list) in snapshots)
        {
            times[key] = list.Select(x => x.At).ToArray();
        }

        var e = data["WindowsEvent"];
        var (eHost, eTs, eMessage) = (e.Ordinal("HostId"), e.Ordinal("PreciseTimeStamp"), e.Ordinal("Message"));
        var seen = new HashSet<(string, DateTime)>();
        var result = new List<object?[]>();
        foreach (var row in e.Rows)
        {
            var (hostId, at) = ((string)row[eHost]!, (DateTime)row[eTs]!);
            if (!seen.Add((hostId, at)))
            {
                throw new InvalidOperationException($"Two events of host {hostId} at {at:O}: the query's answer is not defined.");
            }

            if (!snapshots.TryGetValue(hostId, out var list))
            {
                continue;
            }

            var lowest = Floor(at, Hour) - TimeSpan.FromHours(2);
            var index = Array.BinarySearch(times[hostId], at);
            var i = index >= 0 ? index : ~index - 1;
            for (; i >= 0 && list[i].At >= lowest; i--)
            {
                if (list[i].Build.Length > 0)
                {
                    result.Add([at, hostId, list[i].Build, row[eMessage]]);
                    break;
                }
            }
        }

        return result
            .OrderBy(r => (string)r[1]!, StringComparer.Ordinal)
            .ThenBy(r => (DateTime)r[0]!)
            .ToList();
    }

    /// <summary>Query 7: staging rows ingested at or after <c>now - 3h</c>, counted by source and 10-minute bin of ingestion time.</summary>
    public static IReadOnlyList<object?[]> StagingIngestionCounts(DemoTables data, DateTime now)
    {
        var t = data["OMRollouts_EntityModel_Staging"];
        var source = t.Ordinal("Source");
        var since = now - TimeSpan.FromHours(3);
        return t.Rows
            .Select((r, i) => (Source: (string)r[source]!, Ingested: t.IngestionTimes[i]))
            .Where(x => x.Ingested >= since)
            .GroupBy(x => (x.Source, Bin: Floor(x.Ingested, TimeSpan.FromMinutes(10))))
            .OrderBy(g => g.Key.Source, StringComparer.Ordinal).ThenBy(g => g.Key.Bin)
            .Select(g => new object?[] { g.Key.Source, g.Key.Bin, (long)g.Count() })
            .ToList();
    }

    /// <summary>
    /// Query 8: the 95th percentile of job durations by job, function and hour of start, over rows
    /// ingested at or after <c>now - 5d</c>. The value is the exact nearest-rank percentile: the
    /// smallest duration with at least 95% of the group's durations at or below it.
    /// </summary>
    /// <remarks>
    /// Kusto's <c>percentile()</c> is an estimate (T-Digest) and DuckDB offers other definitions, so an
    /// engine's value need not equal this one: accept any value between the nearest-rank neighbours, as
    /// <see cref="JobLatencyP95Bounds"/> gives them.
    /// </remarks>
    public static IReadOnlyList<object?[]> JobLatencyP95(DemoTables data, DateTime now) =>
        LatencyGroups(data, now)
            .Select(g => new object?[] { g.Job, g.Function, g.Hour, g.Durations[NearestRank(g.Durations.Length, 95) - 1] })
            .ToList();

    /// <summary>
    /// For each row of <see cref="JobLatencyP95"/>: (JobName, KustoFunctionName, StartedOn, low, high),
    /// where low and high are the sorted durations just below and just above the nearest-rank one
    /// (itself at the ends). An engine's percentile is acceptable when low ≤ value ≤ high.
    /// </summary>
    public static IReadOnlyList<object?[]> JobLatencyP95Bounds(DemoTables data, DateTime now) =>
        LatencyGroups(data, now)
            .Select(g =>
            {
                var rank = NearestRank(g.Durations.Length, 95);
                var low = g.Durations[Math.Max(rank - 2, 0)];
                var high = g.Durations[Math.Min(rank, g.Durations.Length - 1)];
                return new object?[] { g.Job, g.Function, g.Hour, low, high };
            })
            .ToList();

    /// <summary>
    /// Query 9: the QueryString of every failed attempt of every actor the activity
    /// 'OMRollOuts_EntityModel_ChangeEventV2' started at or after <c>now - 6h</c> — one row per
    /// (streaming row, failed attempt) pair, as an inner join gives. Sorted.
    /// </summary>
    public static IReadOnlyList<object?[]> FailedInstances(DemoTables data, DateTime now)
    {
        var st = data["KO_StreamingQueryStatistic"];
        var (activity, actorRef, startedOn) = (st.Ordinal("ActivityId"), st.Ordinal("RepeatableQueryActorId"), st.Ordinal("StartedOn"));
        var rq = data["KO_RepeatableQueryStatistic"];
        var (actor, state, query) = (rq.Ordinal("ActorId"), rq.Ordinal("State"), rq.Ordinal("QueryString"));
        var since = now - TimeSpan.FromHours(6);
        var left = st.Rows.Where(r => (string)r[activity]! == "OMRollOuts_EntityModel_ChangeEventV2" && (DateTime)r[startedOn]! >= since);
        return left
            .Join(rq.Rows, l => (string)l[actorRef]!, r => (string)r[actor]!, (l, r) => r, StringComparer.Ordinal)
            .Where(r => (string)r[state]! == "Failed")
            .Select(r => (string)r[query]!)
            .Order(StringComparer.Ordinal)
            .Select(q => new object?[] { q })
            .ToList();
    }

    /// <summary>The 1-based nearest rank of the <paramref name="percent"/>th percentile of <paramref name="count"/> values.</summary>
    public static int NearestRank(int count, double percent) =>
        Math.Clamp((int)Math.Ceiling(percent / 100 * count), 1, count);

    private static IEnumerable<(string Job, string Function, DateTime Hour, TimeSpan[] Durations)> LatencyGroups(DemoTables data, DateTime now)
    {
        var t = data["KO_RepeatableQueryStatistic"];
        var (actor, query, started, duration) = (t.Ordinal("ActorId"), t.Ordinal("QueryString"), t.Ordinal("StartedOn"), t.Ordinal("Duration"));
        var since = now - TimeSpan.FromDays(5);
        return t.Rows
            .Where((r, i) => t.IngestionTimes[i] >= since)
            .GroupBy(r => (
                Job: ((string)r[actor]!).Split(':')[0],
                Function: ((string)r[query]!).Split('(')[0],
                Hour: Floor((DateTime)r[started]!, Hour)))
            .OrderBy(g => g.Key.Job, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Function, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Hour)
            .Select(g => (g.Key.Job, g.Key.Function, g.Key.Hour, g.Select(r => (TimeSpan)r[duration]!).Order().ToArray()));
    }

    private static DateTime Floor(DateTime t, TimeSpan step) => new(t.Ticks - (t.Ticks % step.Ticks), DateTimeKind.Utc);
}
