using Tributary.Demo;

namespace Tributary.Tests.Demo;

public sealed class FleetGeneratorTests(DemoDataFixture fixture) : IClassFixture<DemoDataFixture>
{
    private static readonly DateTime Now = DemoDataFixture.Now;

    private DemoTables Data => fixture.Data;

    [Fact]
    public void Generate_SameSeed_WritesIdenticalFiles()
    {
        var other = Path.Combine(Path.GetTempPath(), "tributary-demo-" + Guid.NewGuid().ToString("N"));
        try
        {
            var again = FleetGenerator.Generate(new DemoOptions(Now), other);
            Assert.Equal(fixture.Batches.Count, again.Count);
            for (var i = 0; i < again.Count; i++)
            {
                var (a, b) = (fixture.Batches[i], again[i]);
                Assert.Equal(Path.GetFileName(a.Path), Path.GetFileName(b.Path));
                Assert.Equal((a.Table, a.Format, a.IngestionTimeUtc, a.Tag), (b.Table, b.Format, b.IngestionTimeUtc, b.Tag));
                Assert.True(File.ReadAllBytes(a.Path).AsSpan().SequenceEqual(File.ReadAllBytes(b.Path)), $"{b.Path} differs");
            }
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public void Generate_OtherSeed_WritesOtherData()
    {
        var other = Path.Combine(Path.GetTempPath(), "tributary-demo-" + Guid.NewGuid().ToString("N"));
        try
        {
            var batches = FleetGenerator.Generate(new DemoOptions(Now, Vms: 50, Hosts: 10, Seed: 7), other);
            var mine = File.ReadAllText(fixture.Batches.Single(b => b.Table.Name == "HostServiceSnapshot").Path);
            var theirs = File.ReadAllText(batches.Single(b => b.Table.Name == "HostServiceSnapshot").Path);
            Assert.NotEqual(mine, theirs);
            Assert.Contains(FleetGenerator.SpecialHostId, theirs, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public void Generate_BadOptions_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FleetGenerator.Generate(new DemoOptions(Now, Vms: 0), Path.GetTempPath()));
        Assert.Throws<ArgumentOutOfRangeException>(() => FleetGenerator.Generate(new DemoOptions(Now, Hosts: 0), Path.GetTempPath()));
    }

    [Fact]
    public void Schemas_AreTheSixSeedTables()
    {
        Assert.Equal(
            ["VMSnapshot", "HostServiceSnapshot", "WindowsEvent", "OMRollouts_EntityModel_Staging", "KO_RepeatableQueryStatistic", "KO_StreamingQueryStatistic"],
            FleetGenerator.Schemas.Select(s => s.Name));
        Assert.Equal("VMId:string, HostId:string, OsImage:string, State:string, Region:string, PreciseTimeStamp:datetime", FleetGenerator.Schemas[0].CslSchema);
        Assert.Equal("PreciseTimeStamp:datetime, Source:string, NodeId:string, ChangeType:string, Properties:dynamic", FleetGenerator.Schemas[3].CslSchema);
        Assert.Equal("ActorId:string, QueryString:string, StartedOn:datetime, Duration:timespan, State:string, RowCount:long", FleetGenerator.Schemas[4].CslSchema);
    }

    [Fact]
    public void Generate_Files_ParseAndEveryTableHasRows()
    {
        foreach (var table in Data.All)
        {
            Assert.NotEmpty(table.Rows);
            Assert.All(table.Rows, r => Assert.Equal(table.Schema.Columns.Count, r.Length));
        }

        var header = File.ReadLines(fixture.Batches.Single(b => b.Table.Name == "VMSnapshot").Path).First();
        Assert.Equal("VMId,HostId,OsImage,State,Region,PreciseTimeStamp", header);
    }

    [Fact]
    public void Generate_Batches_AreOrderedTaggedAndNeverAfterNow()
    {
        var batches = fixture.Batches;
        Assert.Equal(batches.OrderBy(b => b.IngestionTimeUtc).Select(b => b.IngestionTimeUtc), batches.Select(b => b.IngestionTimeUtc));
        Assert.All(batches, b => Assert.True(b.IngestionTimeUtc <= Now && b.IngestionTimeUtc.Kind == DateTimeKind.Utc));
        Assert.All(batches, b => Assert.True(File.Exists(b.Path)));
        Assert.Equal(batches.Count, batches.Select(b => b.Tag).Distinct().Count());
        Assert.All(batches, b => Assert.Equal(b.Table.Name == "OMRollouts_EntityModel_Staging" ? "jsonl" : "csv", b.Format));

        var staging = batches.Where(b => b.Table.Name == "OMRollouts_EntityModel_Staging").ToList();
        Assert.Equal(21, staging.Count);
        Assert.Equal(21, staging.Select(b => b.IngestionTimeUtc.Ticks / TimeSpan.FromMinutes(10).Ticks).Distinct().Count());

        var jobs = batches.Where(b => b.Table.Name == "KO_RepeatableQueryStatistic").ToList();
        Assert.Equal(120, jobs.Count);
        Assert.All(jobs, b => Assert.True(b.IngestionTimeUtc > Now - TimeSpan.FromDays(5)));
    }

    [Fact]
    public void Generate_Times_AreWholeMillisecondsAndNotAfterNow()
    {
        foreach (var table in Data.All)
        {
            foreach (var row in table.Rows)
            {
                foreach (var value in row)
                {
                    if (value is DateTime t)
                    {
                        Assert.Equal(0, t.Ticks % TimeSpan.TicksPerMillisecond);
                        Assert.True(t <= Now, $"{table.Schema.Name}: {t:O} is after now");
                    }
                }
            }
        }
    }

    [Fact]
    public void Generate_SpecialIds_Exist()
    {
        var vm = Assert.Single(SeedOracle.LatestSnapshotOfVm(Data));
        Assert.Equal([FleetGenerator.SpecialVmId, FleetGenerator.SpecialHostId, "RServer-WS2016", "Started", "westus"], vm.Take(5));

        var changes = SeedOracle.AllHostBuildChanges(Data).Where(r => (string)r[1]! == FleetGenerator.SpecialHostId).ToList();
        Assert.True(changes.Count >= 2, $"host has {changes.Count} build changes");
    }

    [Fact]
    public void Generate_SnapshotAndEventTimes_AreUniquePerObject()
    {
        AssertUnique("VMSnapshot", "VMId");
        AssertUnique("HostServiceSnapshot", "HostId");
        AssertUnique("WindowsEvent", "HostId");

        void AssertUnique(string tableName, string key)
        {
            var table = Data[tableName];
            var (k, ts) = (table.Ordinal(key), table.Ordinal("PreciseTimeStamp"));
            var duplicates = table.Rows.GroupBy(r => ((string)r[k]!, (DateTime)r[ts]!)).Count(g => g.Count() > 1);
            Assert.Equal(0, duplicates);
        }
    }

    [Fact]
    public void Generate_Defaults_SizeAndSpeedInRange()
    {
        var total = Data.All.Sum(t => t.Rows.Count);
        Assert.InRange(total, 200_000, 400_000);
        Assert.InRange(Data["VMSnapshot"].Rows.Count, 12_000, 16_000);
        Assert.InRange(Data["HostServiceSnapshot"].Rows.Count, 9_000, 11_000);

        // Generous against slow CI machines; on a developer machine it takes a fraction of a second.
        Assert.True(fixture.GenerationTime < TimeSpan.FromSeconds(10), $"generation took {fixture.GenerationTime}");
    }

    [Fact]
    public void Generate_Staging_PropertiesAreNestedJson()
    {
        var table = Data["OMRollouts_EntityModel_Staging"];
        var json = (string)table.Rows[0][table.Ordinal("Properties")]!;
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, doc.RootElement.GetProperty("Details").ValueKind);
    }

    [Fact]
    public void FormatTimeSpan_WritesDaysOnlyWhenPresentAndAlwaysTheFraction()
    {
        Assert.Equal("00:00:01.0000000", DemoFiles.FormatTimeSpan(TimeSpan.FromSeconds(1)));
        Assert.Equal("1.02:03:04.5000000", DemoFiles.FormatTimeSpan(new TimeSpan(1, 2, 3, 4, 500)));
        Assert.Equal("-00:15:00.0010000", DemoFiles.FormatTimeSpan(-TimeSpan.FromMinutes(15) - TimeSpan.FromMilliseconds(1)));
        Assert.Equal("2026-03-14T15:26:53.5890000Z", DemoFiles.FormatDateTime(Now));
    }

    [Fact]
    public void ParseCsv_HandlesQuotesCommasAndLineEnds()
    {
        var records = DemoFileReader.ParseCsv("a,b\r\n\"x, \"\"y\"\"\",\n\"multi\nline\",z");
        Assert.Equal(3, records.Count);
        Assert.Equal(["x, \"y\"", ""], records[1]);
        Assert.Equal(["multi\nline", "z"], records[2]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    public void Oracle_EveryQuery_HasAnAnswerWithTheDocumentedColumns(int query)
    {
        var (rows, columns) = query switch
        {
            1 => (SeedOracle.LatestSnapshotOfVm(Data), SeedOracle.LatestSnapshotOfVmColumns),
            2 => (SeedOracle.WestusStateCounts(Data, Now), SeedOracle.WestusStateCountsColumns),
            3 => (SeedOracle.BuildDistribution(Data), SeedOracle.BuildDistributionColumns),
            4 => (SeedOracle.HostBuildChanges(Data), SeedOracle.HostBuildChangesColumns),
            5 => (SeedOracle.AllHostBuildChanges(Data), SeedOracle.AllHostBuildChangesColumns),
            6 => (SeedOracle.EventsWithLastKnownBuild(Data), SeedOracle.EventsWithLastKnownBuildColumns),
            7 => (SeedOracle.StagingIngestionCounts(Data, Now), SeedOracle.StagingIngestionCountsColumns),
            8 => (SeedOracle.JobLatencyP95(Data, Now), SeedOracle.JobLatencyP95Columns),
            _ => (SeedOracle.FailedInstances(Data, Now), SeedOracle.FailedInstancesColumns),
        };
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(columns.Count, r.Length));
        Assert.All(rows, r => Assert.All(r, Assert.NotNull));
    }

    [Fact]
    public void Oracle_WestusStates_ShowMoreThanStarted()
    {
        var states = SeedOracle.WestusStateCounts(Data, Now).ToDictionary(r => (string)r[0]!, r => (long)r[1]!);
        Assert.True(states["Started"] > 200);
        Assert.True(states.Count >= 3, string.Join(", ", states.Keys));
    }

    [Fact]
    public void Oracle_BuildDistribution_ShowsTheRolloutInProgress()
    {
        var rows = SeedOracle.BuildDistribution(Data);
        Assert.True(rows.Select(r => (string)r[1]!).Distinct().Count() >= 2);
        Assert.Equal(200L, rows.Sum(r => (long)r[2]!));
    }

    [Fact]
    public void Oracle_HostBuildChanges_StartWithTheFirstSnapshot()
    {
        var rows = SeedOracle.HostBuildChanges(Data);
        Assert.True(rows.Count >= 3);
        var first = Data["HostServiceSnapshot"].Rows.Where(r => (string)r[0]! == FleetGenerator.SpecialHostId).Min(r => (DateTime)r[3]!);
        Assert.Equal(first, rows[0][3]);
    }

    [Fact]
    public void Oracle_AsOfJoin_DropsEventsWithoutAPriorSnapshot()
    {
        var events = Data["WindowsEvent"].Rows.Count;
        var joined = SeedOracle.EventsWithLastKnownBuild(Data).Count;
        Assert.InRange(joined, events * 0.8, events - 100);
    }

    [Fact]
    public void Oracle_StagingCounts_ShowTheSocIncident()
    {
        var rows = SeedOracle.StagingIngestionCounts(Data, Now);
        var soc = rows.Where(r => (string)r[0]! == "OMRollout:SOC").ToList();
        var rollout = rows.Where(r => (string)r[0]! == "OMRollout").ToList();
        Assert.InRange(rollout.Count, 17, 19);
        Assert.All(rollout, r => Assert.True((long)r[2]! > 1000));
        var recent = soc.Where(r => (DateTime)r[1]! >= Now - TimeSpan.FromMinutes(40)).ToList();
        var earlier = soc.Where(r => (DateTime)r[1]! < Now - TimeSpan.FromMinutes(60)).ToList();
        Assert.All(recent, r => Assert.True((long)r[2]! <= 2));
        Assert.All(earlier, r => Assert.True((long)r[2]! > 500));
        Assert.NotEmpty(earlier);
    }

    [Fact]
    public void Oracle_JobLatency_RisesForTheSlowingJob()
    {
        var rows = SeedOracle.JobLatencyP95(Data, Now).Where(r => (string)r[0]! == "MapOMRollouts_ChangeEventV2").ToList();
        Assert.All(rows, r => Assert.Equal("fMapOMRolloutsChangeEventV2", r[1]));
        var lastHours = rows.Where(r => (DateTime)r[2]! >= Now - TimeSpan.FromHours(4)).Average(r => ((TimeSpan)r[3]!).TotalSeconds);
        var daysAgo = rows.Where(r => (DateTime)r[2]! < Now - TimeSpan.FromDays(2)).Average(r => ((TimeSpan)r[3]!).TotalSeconds);
        Assert.True(lastHours > 3 * daysAgo, $"{lastHours}s vs {daysAgo}s");

        var bounds = SeedOracle.JobLatencyP95Bounds(Data, Now);
        var p95 = SeedOracle.JobLatencyP95(Data, Now);
        Assert.Equal(p95.Count, bounds.Count);
        Assert.All(p95.Zip(bounds), x => Assert.InRange((TimeSpan)x.First[3]!, (TimeSpan)x.Second[3]!, (TimeSpan)x.Second[4]!));
    }

    [Fact]
    public void Oracle_FailedInstances_AreTheFailingJobsWindows()
    {
        var rows = SeedOracle.FailedInstances(Data, Now);
        Assert.InRange(rows.Count, 3, 100);
        Assert.Contains(rows, r => ((string)r[0]!).StartsWith("fOMRollouts(datetime(2026-03-14T", StringComparison.Ordinal));
    }

    [Fact]
    public void NearestRank_IsTheSmallestRankCoveringThePercent()
    {
        Assert.Equal(6, SeedOracle.NearestRank(6, 95));
        Assert.Equal(19, SeedOracle.NearestRank(20, 95));
        Assert.Equal(1, SeedOracle.NearestRank(1, 95));
        Assert.Equal(95, SeedOracle.NearestRank(100, 95));
    }
}
