using System.Text.RegularExpressions;
using Tributary.Demo;
using Tributary.Query;

namespace Tributary.Tests.Demo;

/// <summary>
/// Runs every seed query verbatim against a real store loaded with a generated fleet and compares the
/// answers with <see cref="SeedOracle"/>; then variations of each query on the same data, their
/// answers computed here with LINQ.
/// </summary>
public sealed partial class SeedQueryTests(SeedStoreFixture fixture) : IClassFixture<SeedStoreFixture>
{
    private const string FailingJob = "OMRollOuts_EntityModel";
    private static readonly DateTime Now = SeedStoreFixture.Now;
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private DemoTables Data => fixture.Data;

    // ───────────── the seed queries, verbatim ─────────────

    [Fact]
    public void DemoScript_AsksTheSeedQueries()
    {
        var demo = DemoScript.Questions.Select(q => Normalize(q.Query)).ToList();
        string[] seeds =
        [
            SeedQueries.Q1LatestSnapshotOfVm, SeedQueries.Q2WestusStateCounts, SeedQueries.Q3BuildDistribution,
            SeedQueries.Q4HostBuildChanges, SeedQueries.Q5AllHostBuildChanges, SeedQueries.Q6EventsWithLastKnownBuild,
            SeedQueries.Q7StagingIngestionCounts, SeedQueries.Q9FailedInstances, SeedQueries.Q8JobLatencyP95Rendered,
        ];
        foreach (var seed in seeds)
        {
            Assert.Contains(Normalize(seed), demo);
        }
    }

    [Fact]
    public void Q1_LatestSnapshotOfVm_MatchesOracle()
    {
        var expected = SeedOracle.LatestSnapshotOfVm(Data);
        Assert.Single(expected);
        RowAssert.Ordered(SeedOracle.LatestSnapshotOfVmColumns, expected, Run(SeedQueries.Q1LatestSnapshotOfVm));
    }

    [Fact]
    public void Q2_WestusStateCounts_MatchesOracle()
    {
        var expected = SeedOracle.WestusStateCounts(Data, Now);
        Assert.NotEmpty(expected);
        RowAssert.Unordered(SeedOracle.WestusStateCountsColumns, expected, Run(SeedQueries.Q2WestusStateCounts));
    }

    [Fact]
    public void Q3_BuildDistribution_MatchesOracle()
    {
        var expected = SeedOracle.BuildDistribution(Data);
        Assert.True(expected.Count > 1);
        RowAssert.Unordered(SeedOracle.BuildDistributionColumns, expected, Run(SeedQueries.Q3BuildDistribution));
    }

    [Fact]
    public void Q4_HostBuildChanges_MatchesOracleInOrder()
    {
        var expected = SeedOracle.HostBuildChanges(Data);
        Assert.True(expected.Count > 1);
        RowAssert.Ordered(SeedOracle.HostBuildChangesColumns, expected, Run(SeedQueries.Q4HostBuildChanges));
    }

    [Fact]
    public void Q5_AllHostBuildChanges_MatchesOracleInOrder()
    {
        var expected = SeedOracle.AllHostBuildChanges(Data);
        Assert.True(expected.Count > 10);
        RowAssert.Ordered(SeedOracle.AllHostBuildChangesColumns, expected, Run(SeedQueries.Q5AllHostBuildChanges));
    }

    [Fact]
    public void Q6_EventsWithLastKnownBuild_MatchesOracle()
    {
        var expected = SeedOracle.EventsWithLastKnownBuild(Data);
        Assert.True(expected.Count > 100);
        RowAssert.Unordered(SeedOracle.EventsWithLastKnownBuildColumns, expected, Run(SeedQueries.Q6EventsWithLastKnownBuild));
    }

    [Fact]
    public void Q7_StagingIngestionCounts_MatchesOracle()
    {
        var expected = SeedOracle.StagingIngestionCounts(Data, Now);
        Assert.NotEmpty(expected);
        RowAssert.Unordered(SeedOracle.StagingIngestionCountsColumns, expected, Run(SeedQueries.Q7StagingIngestionCounts));
    }

    [Fact]
    public void Q8_JobLatencyP95_WithinOracleBounds()
    {
        var bounds = SeedOracle.JobLatencyP95Bounds(Data, Now);
        Assert.True(bounds.Count > 100);
        AssertWithinBounds(SeedOracle.JobLatencyP95Columns, bounds, 3, Run(SeedQueries.Q8JobLatencyP95));
    }

    [Fact]
    public void Q8_Rendered_AsksForATimechartWithTheSameRows()
    {
        var plain = Run(SeedQueries.Q8JobLatencyP95);
        var rendered = Run(SeedQueries.Q8JobLatencyP95Rendered);
        Assert.Equal("timechart", rendered.Render?.Kind);
        Assert.Null(plain.Render);
        RowAssert.Unordered(SeedOracle.JobLatencyP95Columns, plain.Rows, rendered);
    }

    [Fact]
    public void Q9_FailedInstances_MatchesOracle()
    {
        var expected = SeedOracle.FailedInstances(Data, Now);
        Assert.NotEmpty(expected);
        RowAssert.Unordered(SeedOracle.FailedInstancesColumns, expected, Run(SeedQueries.Q9FailedInstances));
    }

    [Fact]
    public void Load_UserRecentFailures_MatchesLinq()
    {
        var question = DemoScript.Questions.Single(q => q.Query.Contains("UserRecentFailures", StringComparison.Ordinal));
        var expected = RecentFailures(Now - TimeSpan.FromHours(6), Now);
        Assert.Contains(expected, r => r.Job == FailingJob);
        var result = Run(question.Query);
        AssertRecentFailures(expected, result);
    }

    // ───────────── variations, answered with LINQ here ─────────────

    [Fact]
    public void Q1_OtherVm_LatestSnapshot()
    {
        var vm = Data["VMSnapshot"].Rows.Select(r => (string)r[0]!).Where(id => id != FleetGenerator.SpecialVmId).Max(StringComparer.Ordinal)!;
        var expected = Rows("VMSnapshot").Where(r => (string)r[0]! == vm).OrderByDescending(r => (DateTime)r[5]!).Take(1).ToList();
        Assert.Single(expected);
        RowAssert.Ordered(SeedOracle.LatestSnapshotOfVmColumns, expected, Run(Vary(SeedQueries.Q1LatestSnapshotOfVm, FleetGenerator.SpecialVmId, vm)));
    }

    [Fact]
    public void Q1_Top3_InTimeOrderDescending()
    {
        var expected = Rows("VMSnapshot").Where(r => (string)r[0]! == FleetGenerator.SpecialVmId).OrderByDescending(r => (DateTime)r[5]!).Take(3).ToList();
        Assert.Equal(3, expected.Count);
        RowAssert.Ordered(SeedOracle.LatestSnapshotOfVmColumns, expected, Run(Vary(SeedQueries.Q1LatestSnapshotOfVm, "top 1", "top 3")));
    }

    [Fact]
    public void Q1_EarliestTwo_Projected()
    {
        var expected = Rows("VMSnapshot")
            .Where(r => (string)r[0]! == FleetGenerator.SpecialVmId)
            .OrderBy(r => (DateTime)r[5]!)
            .Take(2)
            .Select(r => new object?[] { r[3], r[5] })
            .ToList();
        var query = Vary(SeedQueries.Q1LatestSnapshotOfVm, "top 1 by PreciseTimeStamp desc", "top 2 by PreciseTimeStamp asc | project State, PreciseTimeStamp");
        RowAssert.Ordered(["State", "PreciseTimeStamp"], expected, Run(query));
    }

    [Theory]
    [InlineData("eastus", 2)]
    [InlineData("westus", 1)]
    [InlineData("northeurope", 3)]
    public void Q2_OtherRegionOrWindow_StateCounts(string region, int hours)
    {
        var since = Now - TimeSpan.FromHours(hours);
        var expected = LatestVmSnapshots(since)
            .Where(r => (string)r[4]! == region)
            .GroupBy(r => (string)r[3]!)
            .Select(g => new object?[] { g.Key, (long)g.Count() })
            .ToList();
        Assert.NotEmpty(expected);
        var query = Vary(Vary(SeedQueries.Q2WestusStateCounts, "\"westus\"", $"\"{region}\""), "ago(2h)", $"ago({hours}h)");
        RowAssert.Unordered(SeedOracle.WestusStateCountsColumns, expected, Run(query));
    }

    [Fact]
    public void Q2_CountByRegion()
    {
        // Latest snapshot per VM over all regions; a VM that moved region is counted once, in its latest one.
        var expected = Rows("VMSnapshot")
            .Where(r => (DateTime)r[5]! > Now - TimeSpan.FromHours(2))
            .GroupBy(r => (string)r[0]!)
            .Select(g => g.MaxBy(r => (DateTime)r[5]!)!)
            .GroupBy(r => (string)r[4]!)
            .Select(g => new object?[] { g.Key, (long)g.Count() })
            .ToList();
        Assert.True(expected.Count > 2);
        var query = "VMSnapshot\n| where PreciseTimeStamp > ago(2h)\n| summarize arg_max(PreciseTimeStamp, *) by VMId\n| summarize count() by Region";
        RowAssert.Unordered(["Region", "count_"], expected, Run(query));
    }

    [Fact]
    public void Q2_ArgMaxRows_ByColumnsFirstThenTheRest()
    {
        var expected = LatestVmSnapshots(Now - TimeSpan.FromHours(2))
            .Where(r => (string)r[4]! == "westus")
            .Select(r => new object?[] { r[0], r[5], r[1], r[2], r[3], r[4] })
            .ToList();
        Assert.NotEmpty(expected);
        var query = "VMSnapshot\n| where Region == \"westus\" and PreciseTimeStamp > ago(2h)\n| summarize arg_max(PreciseTimeStamp, *) by VMId";
        RowAssert.Unordered(["VMId", "PreciseTimeStamp", "HostId", "OsImage", "State", "Region"], expected, Run(query));
    }

    [Fact]
    public void Q3_LatestHostsByRegion()
    {
        var expected = LatestHostSnapshots()
            .GroupBy(r => (string)r[1]!)
            .Select(g => new object?[] { g.Key, (long)g.Count() })
            .ToList();
        var query = Vary(SeedQueries.Q3BuildDistribution, "by Region, BuildCommitHash", "by Region");
        RowAssert.Unordered(["Region", "dcount_HostId"], expected, Run(query));
    }

    [Fact]
    public void Q3_HostsThatEverRanEachBuild()
    {
        var expected = Rows("HostServiceSnapshot")
            .GroupBy(r => (string)r[2]!)
            .Select(g => new object?[] { g.Key, (long)g.Select(r => (string)r[0]!).Distinct().Count() })
            .ToList();
        Assert.True(expected.Count >= 3);
        RowAssert.Unordered(["BuildCommitHash", "dcount_HostId"], expected, Run("HostServiceSnapshot | summarize dcount(HostId) by BuildCommitHash"));
    }

    [Fact]
    public void Q3_WestusLatestBuilds_Counted()
    {
        var expected = LatestHostSnapshots()
            .Where(r => (string)r[1]! == "westus")
            .GroupBy(r => (string)r[2]!)
            .Select(g => new object?[] { g.Key, (long)g.Count() })
            .ToList();
        var query = "HostServiceSnapshot\n| summarize arg_max(PreciseTimeStamp, *) by HostId\n| where Region == \"westus\"\n| summarize count() by BuildCommitHash";
        RowAssert.Unordered(["BuildCommitHash", "count_"], expected, Run(query));
    }

    [Fact]
    public void Q3_ThroughTabularLets()
    {
        // A let naming a table, and a let naming that let, are both tables.
        var query = "let snapshots = HostServiceSnapshot;\nlet all = snapshots;\n" +
                    Vary(SeedQueries.Q3BuildDistribution, "HostServiceSnapshot\n", "all\n");
        RowAssert.Unordered(SeedOracle.BuildDistributionColumns, SeedOracle.BuildDistribution(Data), Run(query));
    }

    [Fact]
    public void Q4_OtherHost_BuildChanges()
    {
        var host = Rows("HostServiceSnapshot").Select(r => (string)r[0]!).Where(h => h != FleetGenerator.SpecialHostId).Min(StringComparer.Ordinal)!;
        var expected = BuildChanges(Rows("HostServiceSnapshot").Where(r => (string)r[0]! == host).OrderBy(r => (DateTime)r[3]!));
        Assert.NotEmpty(expected);
        RowAssert.Ordered(SeedOracle.HostBuildChangesColumns, expected, Run(Vary(SeedQueries.Q4HostBuildChanges, FleetGenerator.SpecialHostId, host)));
    }

    [Fact]
    public void Q4_Descending_ComparesWithTheLaterSnapshot()
    {
        var expected = BuildChanges(Rows("HostServiceSnapshot").Where(r => (string)r[0]! == FleetGenerator.SpecialHostId).OrderByDescending(r => (DateTime)r[3]!));
        Assert.True(expected.Count > 1);
        RowAssert.Ordered(SeedOracle.HostBuildChangesColumns, expected, Run(Vary(SeedQueries.Q4HostBuildChanges, "PreciseTimeStamp asc", "PreciseTimeStamp desc")));
    }

    [Fact]
    public void Q4_Counted()
    {
        var expected = SeedOracle.HostBuildChanges(Data).Count;
        RowAssert.Ordered(["Count"], [[(long)expected]], Run(SeedQueries.Q4HostBuildChanges + "\n| count"));
    }

    [Fact]
    public void Q5_HostIdAscending()
    {
        var expected = AllBuildChanges(hostDescending: false);
        var query = Vary(SeedQueries.Q5AllHostBuildChanges, "sort by HostId, PreciseTimeStamp asc", "sort by HostId asc, PreciseTimeStamp asc");
        RowAssert.Ordered(SeedOracle.AllHostBuildChangesColumns, expected, Run(query));
    }

    [Fact]
    public void Q5_ChangesCountedByKind()
    {
        var expected = AllBuildChanges(hostDescending: true)
            .GroupBy(r => (string)r[2]!)
            .Select(g => new object?[] { g.Key, (long)g.Count() })
            .ToList();
        Assert.True(expected.Count >= 2);
        RowAssert.Unordered(["buildCommitHashChange", "count_"], expected, Run(SeedQueries.Q5AllHostBuildChanges + "\n| summarize count() by buildCommitHashChange"));
    }

    [Fact]
    public void Q6_LiteralLinq_AgreesWithOracle()
    {
        // The LINQ the variations use, checked against the oracle on the seed's window.
        RowAssert.Unordered(
            SeedOracle.EventsWithLastKnownBuildColumns,
            SeedOracle.EventsWithLastKnownBuild(Data),
            new QueryResult(
                SeedOracle.EventsWithLastKnownBuildColumns.Select(c => new global::Tributary.Kql.KqlColumn(c, global::Tributary.Kql.KqlType.String)).ToList(),
                EventsWithLastKnownBuild(TimeSpan.FromHours(2))));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(1)]
    public void Q6_OtherLookupWindow(int hours)
    {
        var expected = EventsWithLastKnownBuild(TimeSpan.FromHours(hours));
        Assert.True(expected.Count > 100);
        var query = Vary(SeedQueries.Q6EventsWithLastKnownBuild, "let lookupWindow = 2h;", $"let lookupWindow = {hours}h;");
        RowAssert.Unordered(SeedOracle.EventsWithLastKnownBuildColumns, expected, Run(query));
    }

    [Fact]
    public void Q7_LastHour()
    {
        var expected = StagingCounts(TimeSpan.FromHours(1), TimeSpan.FromMinutes(10));
        Assert.NotEmpty(expected);
        RowAssert.Unordered(SeedOracle.StagingIngestionCountsColumns, expected, Run(Vary(SeedQueries.Q7StagingIngestionCounts, "ago(3h)", "ago(1h)")));
    }

    [Fact]
    public void Q7_HalfHourBins()
    {
        var expected = StagingCounts(TimeSpan.FromHours(3), TimeSpan.FromMinutes(30));
        RowAssert.Unordered(SeedOracle.StagingIngestionCountsColumns, expected, Run(Vary(SeedQueries.Q7StagingIngestionCounts, "10min", "30min")));
    }

    [Fact]
    public void Q7_CountBySourceOnly()
    {
        var expected = StagingCounts(TimeSpan.FromHours(3), TimeSpan.FromDays(3650))
            .GroupBy(r => (string)r[0]!)
            .Select(g => new object?[] { g.Key, g.Sum(r => (long)r[2]!) })
            .ToList();
        Assert.True(expected.Count > 1);
        var query = "OMRollouts_EntityModel_Staging\n| where ingestion_time() >= ago(3h)\n| summarize count() by Source";
        RowAssert.Unordered(["Source", "count_"], expected, Run(query));
    }

    [Fact]
    public void Q8_Median_WithinBounds()
    {
        var bounds = LatencyBounds(TimeSpan.FromDays(5), 50);
        var query = Vary(SeedQueries.Q8JobLatencyP95, "percentile(Duration, 95)", "percentile(Duration, 50)");
        AssertWithinBounds(["JobName", "KustoFunctionName", "StartedOn", "percentile_Duration_50"], bounds, 3, Run(query));
    }

    [Fact]
    public void Q8_RunsIngestedInTheLastDay_ByJob()
    {
        var t = Data["KO_RepeatableQueryStatistic"];
        var expected = t.Rows
            .Where((r, i) => t.IngestionTimes[i] >= Now - TimeSpan.FromDays(1))
            .GroupBy(r => ((string)r[0]!).Split(':')[0])
            .Select(g => new object?[] { g.Key, (long)g.Count() })
            .ToList();
        Assert.Equal(6, expected.Count);
        var query = "KO_RepeatableQueryStatistic\n| where ingestion_time() >= ago(1d)\n| extend JobName = tostring(split(ActorId, \":\")[0])\n| summarize count() by JobName";
        RowAssert.Unordered(["JobName", "count_"], expected, Run(query));
    }

    [Fact]
    public void Q8_MaxDurationAndFirstStart_ByState()
    {
        var expected = Rows("KO_RepeatableQueryStatistic")
            .GroupBy(r => (string)r[4]!)
            .Select(g => new object?[] { g.Key, g.Max(r => (TimeSpan)r[3]!), g.Min(r => (DateTime)r[2]!), g.Sum(r => (long)r[5]!) })
            .ToList();
        var query = "KO_RepeatableQueryStatistic | summarize max(Duration), min(StartedOn), sum(RowCount) by State";
        RowAssert.Unordered(["State", "max_Duration", "min_StartedOn", "sum_RowCount"], expected, Run(query));
    }

    [Fact]
    public void Q9_LastTwoHours()
    {
        var expected = FailedInstances(TimeSpan.FromHours(2), "Failed");
        Assert.NotEmpty(expected);
        RowAssert.Unordered(SeedOracle.FailedInstancesColumns, expected, Run(Vary(SeedQueries.Q9FailedInstances, "ago(6h)", "ago(2h)")));
    }

    [Fact]
    public void Q9_SucceededInstances()
    {
        var expected = FailedInstances(TimeSpan.FromHours(6), "Succeeded");
        Assert.True(expected.Count > 10);
        RowAssert.Unordered(SeedOracle.FailedInstancesColumns, expected, Run(Vary(SeedQueries.Q9FailedInstances, "\"Failed\"", "\"Succeeded\"")));
    }

    [Fact]
    public void Q9_Counted()
    {
        var expected = SeedOracle.FailedInstances(Data, Now).Count;
        RowAssert.Ordered(["Count"], [[(long)expected]], Run(SeedQueries.Q9FailedInstances + "\n| count"));
    }

    [Fact]
    public void Load_LastDay()
    {
        var expected = RecentFailures(Now - TimeSpan.FromDays(1), Now);
        AssertRecentFailures(expected, Run("UserRecentFailures(ago(1d), now())"));
    }

    [Fact]
    public void Load_ExplicitRange_OneJob()
    {
        var (from, to) = (Now - TimeSpan.FromHours(12), Now - TimeSpan.FromHours(3));
        var expected = RecentFailures(from, to).Where(r => r.Job == FailingJob).Select(r => new object?[] { r.Failures, r.Last }).ToList();
        Assert.Single(expected);
        var query = $"let f = datetime({from:yyyy-MM-ddTHH:mm:ss.fffZ}); let t = datetime({to:yyyy-MM-ddTHH:mm:ss.fffZ});\n" +
                    $"UserRecentFailures(f, t) | where JobName == \"{FailingJob}\" | project Failures, LastFailure";
        RowAssert.Ordered(["Failures", "LastFailure"], expected, Run(query));
    }

    // ───────────── helpers ─────────────

    private QueryResult Run(string kql) => fixture.Store.Execute(kql);

    private List<object?[]> Rows(string table) => Data[table].Rows;

    private static string Vary(string query, string from, string to)
    {
        Assert.Contains(from, query, StringComparison.Ordinal);
        return query.Replace(from, to, StringComparison.Ordinal);
    }

    private static string Normalize(string query) => Whitespace().Replace(query, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private static DateTime Floor(DateTime t, TimeSpan step) => new(t.Ticks - (t.Ticks % step.Ticks), DateTimeKind.Utc);

    /// <summary>Each VM's latest VMSnapshot row strictly after <paramref name="since"/>.</summary>
    private IEnumerable<object?[]> LatestVmSnapshots(DateTime since) =>
        Rows("VMSnapshot")
            .Where(r => (DateTime)r[5]! > since)
            .GroupBy(r => (string)r[0]!)
            .Select(g => g.MaxBy(r => (DateTime)r[5]!)!);

    private IEnumerable<object?[]> LatestHostSnapshots() =>
        Rows("HostServiceSnapshot").GroupBy(r => (string)r[0]!).Select(g => g.MaxBy(r => (DateTime)r[3]!)!);

    /// <summary>Rows (already in query order) whose build differs from the row before; the first row's "before" is "".</summary>
    private static List<object?[]> BuildChanges(IEnumerable<object?[]> ordered)
    {
        var result = new List<object?[]>();
        var previous = "";
        foreach (var row in ordered)
        {
            if ((string)row[2]! != previous)
            {
                result.Add(row);
            }

            previous = (string)row[2]!;
        }

        return result;
    }

    private List<object?[]> AllBuildChanges(bool hostDescending)
    {
        var byHost = hostDescending
            ? Rows("HostServiceSnapshot").OrderByDescending(r => (string)r[0]!, StringComparer.Ordinal)
            : Rows("HostServiceSnapshot").OrderBy(r => (string)r[0]!, StringComparer.Ordinal);
        var sorted = byHost.ThenBy(r => (DateTime)r[3]!).ToList();
        var result = new List<object?[]>();
        for (var i = 1; i < sorted.Count; i++)
        {
            if ((string)sorted[i][0]! == (string)sorted[i - 1][0]! && (string)sorted[i][2]! != (string)sorted[i - 1][2]!)
            {
                result.Add([sorted[i][3], sorted[i][0], $"{sorted[i - 1][2]} -> {sorted[i][2]}"]);
            }
        }

        return result;
    }

    /// <summary>
    /// Query 6 for any window W, step B = W / 2, done the way the query does it: an event's time keys are
    /// bin(t - W, B), bin(t - W, B) + B, … up to bin(t + B, B); a snapshot of its host matches when its own
    /// bin is one of them; matches with an empty build or after the event are dropped; the closest remains.
    /// </summary>
    private List<object?[]> EventsWithLastKnownBuild(TimeSpan window)
    {
        var step = window / 2;
        var snapshots = Rows("HostServiceSnapshot")
            .GroupBy(r => (string)r[0]!)
            .ToDictionary(g => g.Key, g => g.Select(r => (At: (DateTime)r[3]!, Build: (string)r[2]!)).ToList(), StringComparer.Ordinal);
        var result = new List<object?[]>();
        foreach (var e in Rows("WindowsEvent"))
        {
            var (at, host) = ((DateTime)e[0]!, (string)e[1]!);
            if (!snapshots.TryGetValue(host, out var list))
            {
                continue;
            }

            var (first, last) = (Floor(at - window, step), Floor(at + step, step));
            var matches = list.Where(s => Floor(s.At, step) >= first && Floor(s.At, step) <= last && s.Build.Length > 0 && s.At <= at).ToList();
            if (matches.Count > 0)
            {
                result.Add([at, host, matches.MinBy(s => at - s.At).Build, e[4]]);
            }
        }

        return result;
    }

    private List<object?[]> StagingCounts(TimeSpan window, TimeSpan bin)
    {
        var t = Data["OMRollouts_EntityModel_Staging"];
        return t.Rows
            .Select((r, i) => (Source: (string)r[1]!, Ingested: t.IngestionTimes[i]))
            .Where(x => x.Ingested >= Now - window)
            .GroupBy(x => (x.Source, Bin: Floor(x.Ingested, bin)))
            .Select(g => new object?[] { g.Key.Source, g.Key.Bin, (long)g.Count() })
            .ToList();
    }

    /// <summary>(JobName, function, hour, low, high) for the <paramref name="percent"/>th percentile, as <see cref="SeedOracle.JobLatencyP95Bounds"/> does it for 95.</summary>
    private List<object?[]> LatencyBounds(TimeSpan window, double percent)
    {
        var t = Data["KO_RepeatableQueryStatistic"];
        return t.Rows
            .Where((r, i) => t.IngestionTimes[i] >= Now - window)
            .GroupBy(r => (Job: ((string)r[0]!).Split(':')[0], Function: ((string)r[1]!).Split('(')[0], Hour: Floor((DateTime)r[2]!, Hour)))
            .Select(g =>
            {
                var sorted = g.Select(r => (TimeSpan)r[3]!).Order().ToArray();
                var rank = SeedOracle.NearestRank(sorted.Length, percent);
                return new object?[] { g.Key.Job, g.Key.Function, g.Key.Hour, sorted[Math.Max(rank - 2, 0)], sorted[Math.Min(rank, sorted.Length - 1)] };
            })
            .ToList();
    }

    private List<object?[]> FailedInstances(TimeSpan window, string state)
    {
        var since = Now - window;
        var failedByActor = Rows("KO_RepeatableQueryStatistic").Where(r => (string)r[4]! == state).ToLookup(r => (string)r[0]!, StringComparer.Ordinal);
        return Rows("KO_StreamingQueryStatistic")
            .Where(r => (string)r[0]! == "OMRollOuts_EntityModel_ChangeEventV2" && (DateTime)r[2]! >= since)
            .SelectMany(r => failedByActor[(string)r[1]!])
            .Select(r => new object?[] { r[1] })
            .ToList();
    }

    private sealed record JobFailures(string Job, long Failures, DateTime Last, TimeSpan Low, TimeSpan High);

    /// <summary>UserRecentFailures: failed attempts started in [from, to] by job: count, latest start, p95 duration bounds.</summary>
    private List<JobFailures> RecentFailures(DateTime from, DateTime to) =>
        Rows("KO_RepeatableQueryStatistic")
            .Where(r => (DateTime)r[2]! >= from && (DateTime)r[2]! <= to && (string)r[4]! == "Failed")
            .GroupBy(r => ((string)r[0]!).Split(':')[0])
            .Select(g =>
            {
                var sorted = g.Select(r => (TimeSpan)r[3]!).Order().ToArray();
                var rank = SeedOracle.NearestRank(sorted.Length, 95);
                return new JobFailures(g.Key, sorted.Length, g.Max(r => (DateTime)r[2]!), sorted[Math.Max(rank - 2, 0)], sorted[Math.Min(rank, sorted.Length - 1)]);
            })
            .ToList();

    private static void AssertRecentFailures(List<JobFailures> expected, QueryResult result)
    {
        Assert.Equal(["JobName", "Failures", "LastFailure", "p95Duration"], result.Columns.Select(c => c.Name));
        var counts = result.Rows.Select(r => (long)r[1]!).ToList();
        Assert.Equal(counts.OrderDescending(), counts); // order by Failures desc
        RowAssert.Unordered(
            ["JobName", "Failures", "LastFailure"],
            expected.Select(e => new object?[] { e.Job, e.Failures, e.Last }).ToList(),
            result with { Columns = result.Columns.Take(3).ToList(), Rows = result.Rows.Select(r => r[..3]).ToList() });
        foreach (var row in result.Rows)
        {
            var e = expected.Single(x => x.Job == (string)row[0]!);
            var p95 = Assert.IsType<TimeSpan>(row[3]);
            Assert.InRange(p95, e.Low, e.High);
        }
    }

    /// <summary>
    /// The result has the bounds' key rows (the first <paramref name="keys"/> columns, as multisets) and
    /// each value column lies between the bounds' low and high.
    /// </summary>
    private static void AssertWithinBounds(IReadOnlyList<string> columns, IReadOnlyList<object?[]> bounds, int keys, QueryResult result)
    {
        Assert.Equal(columns, result.Columns.Select(c => c.Name));
        var actualKeys = result.Rows.Select(r => r[..keys]).ToList();
        RowAssert.Unordered(
            columns.Take(keys).ToList(),
            bounds.Select(b => b[..keys]).ToList(),
            new QueryResult(result.Columns.Take(keys).ToList(), actualKeys));
        var byKey = bounds.ToDictionary(b => RowAssert.Row(b[..keys]), StringComparer.Ordinal);
        var outside = new List<string>();
        foreach (var row in result.Rows)
        {
            var b = byKey[RowAssert.Row(row[..keys])];
            var value = Assert.IsType<TimeSpan>(row[keys]);
            if (value < (TimeSpan)b[keys]! || value > (TimeSpan)b[keys + 1]!)
            {
                outside.Add($"{RowAssert.Row(row)} not in [{b[keys]}, {b[keys + 1]}]");
            }
        }

        Assert.True(outside.Count == 0, string.Join("\n", outside.Take(10)));
    }
}
