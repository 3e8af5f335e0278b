using System.Text.Json;
using Tributary.Fleet;
using Xunit.Abstractions;

namespace Tributary.Tests.Fleet;

public sealed class FleetChangeGeneratorTests(ITestOutputHelper output)
{
    private static readonly DateTime From = new(2023, 5, 22, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime To = From.AddHours(6);

    private static IReadOnlyList<SourceRows> Generate(int seed = 1, IReadOnlyList<FleetSpike>? spikes = null, int nodes = 200) =>
        FleetChangeGenerator.Generate(new FleetGenerateOptions(From, To, nodes, seed, spikes));

    private static List<string> Lines(SourceRows rows) =>
        rows.Rows.Select(r => string.Join("|", r.Select(v => v is DateTime d ? d.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture) : v?.ToString()))).ToList();

    private static List<string> Lines(IReadOnlyList<SourceRows> rows, string system, DateTime? from = null, DateTime? to = null)
    {
        var table = rows.Single(r => r.Table == FleetSources.TableOf(system));
        var source = table.Table.Columns.ToList().FindIndex(c => c.Name == "Source");
        return Lines(table with
        {
            Rows = table.Rows.Where(r => (source < 0 || (string)r[source]! == system)
                                         && (DateTime)r[0]! >= (from ?? DateTime.MinValue) && (DateTime)r[0]! < (to ?? DateTime.MaxValue)).ToList(),
        }).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public void Defaults_SixHours_ModerateVolume_EverySystem_BusiestOMRollout()
    {
        var rows = Generate();
        var counts = FleetChangeGenerator.CountBySystem(rows);
        foreach (var (system, count) in counts)
        {
            output.WriteLine($"{system,-24} {count,7:N0}  (rate {FleetChangeGenerator.RatePerNodeHour(system)}/node/h)");
        }

        var total = counts.Values.Sum();
        output.WriteLine($"{"total",-24} {total,7:N0}");
        Assert.Equal(FleetSources.All, counts.Keys.Order(Comparer<string>.Create((a, b) =>
            FleetSources.All.ToList().IndexOf(a).CompareTo(FleetSources.All.ToList().IndexOf(b)))));
        Assert.InRange(total, 15_000, 60_000);
        Assert.Equal(total, rows.Sum(r => (long)r.Rows.Count));
        Assert.Equal(counts.Values.Max(), counts[FleetSources.OMRollout]);
        Assert.True(counts[FleetSources.OMRollout] > counts[FleetSources.BatchingEvents]);
        Assert.True(counts[FleetSources.BatchingEvents] > counts[FleetSources.OAASRollout]);
        Assert.True(counts[FleetSources.ScheduledEventsTMMgmt] > counts[FleetSources.ScheduledEventsAzPE]);
        Assert.True(counts[FleetSources.ScheduledEventsAzPE] > 100);

        // Expected volume: rate × nodes × hours × mean activity (log-normal, sigma 0.4: e^0.08 ≈ 1.083), within 10%.
        foreach (var system in FleetSources.All)
        {
            var expected = FleetChangeGenerator.RatePerNodeHour(system) * 200 * 6 * Math.Exp(0.08);
            Assert.InRange(counts[system], expected * 0.9, expected * 1.1);
        }
    }

    [Fact]
    public void Rows_AreInTheSpan_WholeMilliseconds_Sorted_OfTheirTablesSchema()
    {
        var rows = Generate();
        Assert.Equal(FleetSources.Tables, rows.Select(r => r.Table));
        foreach (var table in rows)
        {
            var previous = DateTime.MinValue;
            foreach (var row in table.Rows)
            {
                Assert.Equal(table.Table.Columns.Count, row.Length);
                var t = Assert.IsType<DateTime>(row[0]);
                Assert.Equal(DateTimeKind.Utc, t.Kind);
                Assert.InRange(t, From, To.AddTicks(-1));
                Assert.Equal(0, t.Ticks % TimeSpan.TicksPerMillisecond);
                Assert.True(t >= previous, $"{table.Table.Name} is not sorted by time");
                previous = t;
                for (var i = 1; i < row.Length; i++)
                {
                    Assert.False(string.IsNullOrEmpty(Assert.IsType<string>(row[i])), $"{table.Table.Columns[i]} is empty");
                }
            }
        }
    }

    [Fact]
    public void Properties_AreJsonObjects_WithEachSystemsFields()
    {
        var rows = Generate();
        string[] Fields(string system) => system switch
        {
            FleetSources.OMRollout or FleetSources.OMRolloutSoc => ["RolloutId", "ServiceName", "TargetBuild", "Region", "Cluster", "Phase", "Attempt", "Details"],
            FleetSources.BatchingEvents => ["BatchId", "ServiceName", "Region", "Cluster", "BatchSize", "Sequence", "Phase"],
            FleetSources.OAASRollout => ["RolloutId", "ServiceName", "TargetVersion", "Region", "Cluster", "Stage", "Attempt"],
            _ => ["EventId", "EventStatus", "NotBefore", "DurationInSeconds", "Initiator", "Region", "Cluster", "Resources"],
        };

        foreach (var table in rows.Where(r => r.Table != FleetSources.ServiceVersionSwitchTable))
        {
            foreach (var row in table.Rows.Take(500))
            {
                using var doc = JsonDocument.Parse((string)row[4]!);
                Assert.Equal(Fields((string)row[1]!), doc.RootElement.EnumerateObject().Select(p => p.Name));
            }
        }

        var switches = rows.Single(r => r.Table == FleetSources.ServiceVersionSwitchTable).Rows;
        Assert.All(switches, r => Assert.NotEqual(r[3], r[4]));
        Assert.True(switches.Select(r => (string)r[1]!).Distinct().Count() > 100, "switches should spread over the fleet");
        var nodes = rows.SelectMany(t => t.Rows.Select(r => (string)r[t.Table == FleetSources.ServiceVersionSwitchTable ? 1 : 2]!));
        Assert.Equal(200, nodes.Distinct().Count());
    }

    [Fact]
    public void SameSeed_IdenticalRows_OtherSeed_OtherRows()
    {
        var a = Generate(seed: 7);
        var b = Generate(seed: 7);
        var c = Generate(seed: 8);
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(Lines(a[i]), Lines(b[i]));
            Assert.NotEqual(Lines(a[i]), Lines(c[i]));
        }

        Assert.Empty(Lines(a[0]).Intersect(Lines(c[0])));
    }

    [Fact]
    public void Spike_MultipliesItsSystemsVolume_OnlyInItsInterval_OthersUnchanged()
    {
        var at = From.AddHours(2);
        var plain = Generate();
        var spiked = Generate(spikes: [new FleetSpike(FleetSources.OMRollout, at)]);

        var before = Lines(plain, FleetSources.OMRollout, at, at.AddHours(1)).Count;
        var during = Lines(spiked, FleetSources.OMRollout, at, at.AddHours(1)).Count;
        output.WriteLine($"OMRollout in the spike hour: {before} -> {during} (x{(double)during / before:0.00})");
        Assert.InRange((double)during / before, 18, 22);

        // Outside the interval the spiked system's rows are exactly the usual ones, and the other systems' rows are untouched.
        Assert.Equal(Lines(plain, FleetSources.OMRollout, null, at), Lines(spiked, FleetSources.OMRollout, null, at));
        Assert.Equal(Lines(plain, FleetSources.OMRollout, at.AddHours(1)), Lines(spiked, FleetSources.OMRollout, at.AddHours(1)));
        foreach (var other in FleetSources.All.Where(s => s != FleetSources.OMRollout))
        {
            Assert.Equal(Lines(plain, other), Lines(spiked, other));
        }

        // The spike's own rows are within its interval.
        var extra = Lines(spiked, FleetSources.OMRollout).Except(Lines(plain, FleetSources.OMRollout)).ToList();
        Assert.Equal(during - before, extra.Count);
    }

    [Fact]
    public void Spike_WithFactorAndDuration_OfASystemWithAColon()
    {
        var at = From.AddMinutes(90);
        var plain = Generate();
        var spiked = Generate(spikes: [FleetSpike.Parse("OMRollout:SOC@2023-05-22T01:30x50/30m")]);
        var before = Lines(plain, FleetSources.OMRolloutSoc, at, at.AddMinutes(30)).Count;
        var during = Lines(spiked, FleetSources.OMRolloutSoc, at, at.AddMinutes(30)).Count;
        Assert.InRange((double)during / before, 45, 55);
        Assert.Equal(Lines(plain, FleetSources.OMRolloutSoc, at.AddMinutes(30)), Lines(spiked, FleetSources.OMRolloutSoc, at.AddMinutes(30)));
        Assert.Equal(Lines(plain, FleetSources.OMRollout), Lines(spiked, FleetSources.OMRollout));
    }

    [Fact]
    public void Spike_FactorBelowOne_ThinsTheUsualRows_ZeroIsAnOutage()
    {
        var at = From.AddHours(3);
        var plain = Generate();
        var outage = Generate(spikes: [new FleetSpike(FleetSources.ServiceVersionSwitch, at, 0, TimeSpan.FromMinutes(40))]);
        Assert.NotEmpty(Lines(plain, FleetSources.ServiceVersionSwitch, at, at.AddMinutes(40)));
        Assert.Empty(Lines(outage, FleetSources.ServiceVersionSwitch, at, at.AddMinutes(40)));
        Assert.Equal(Lines(plain, FleetSources.ServiceVersionSwitch, at.AddMinutes(40)), Lines(outage, FleetSources.ServiceVersionSwitch, at.AddMinutes(40)));

        var half = Generate(spikes: [new FleetSpike(FleetSources.BatchingEvents, From, 0.5, TimeSpan.FromHours(6))]);
        var kept = Lines(half, FleetSources.BatchingEvents);
        var all = Lines(plain, FleetSources.BatchingEvents);
        Assert.InRange((double)kept.Count / all.Count, 0.45, 0.55);
        Assert.Empty(kept.Except(all));
    }

    [Fact]
    public void Spike_OutsideTheSpan_ChangesNothing()
    {
        var spiked = Generate(spikes: [new FleetSpike(FleetSources.OMRollout, To.AddHours(1), 20)]);
        Assert.Equal(Lines(Generate()[0]), Lines(spiked[0]));
    }

    [Fact]
    public void ExpectedRows_CountsEachSystem_ServiceVersionSwitchIsItsWholeTable()
    {
        var rows = Generate();
        var svs = rows.Single(r => r.Table.Name == "ServiceVersionSwitch").Rows;
        Assert.Equal(svs.Count, FleetChangeGenerator.ExpectedRows(rows, FleetSources.ServiceVersionSwitch));
        Assert.Equal(svs.Count(r => (DateTime)r[0]! < From.AddHours(1)),
            FleetChangeGenerator.ExpectedRows(rows, "servicevERSIONswitch", From, From.AddHours(1)));
        var changes = rows[0].Rows;
        Assert.Equal(changes.Count(r => (string)r[1]! == "OMRollout:SOC"), FleetChangeGenerator.ExpectedRows(rows, "OMRollout:SOC"));
        Assert.Equal(rows.Sum(r => (long)r.Rows.Count), FleetSources.All.Sum(s => FleetChangeGenerator.ExpectedRows(rows, s)));
        var e = Assert.Throws<ArgumentException>(() => FleetChangeGenerator.ExpectedRows(rows, "OMRollouts"));
        Assert.Contains("unknown source system 'OMRollouts'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "Nodes must be between 1 and 100,000, not 0")]
    [InlineData(100_001, "Nodes must be between 1 and 100,000, not 100001")]
    public void Options_BadNodes_Throws(int nodes, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => FleetChangeGenerator.Generate(new FleetGenerateOptions(From, To, nodes)));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_FromNotBeforeTo_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => FleetChangeGenerator.Generate(new FleetGenerateOptions(To, From)));
        Assert.Contains("From (2023-05-22T06:00:00Z) must be before To (2023-05-22T00:00:00Z)", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => FleetChangeGenerator.Generate(new FleetGenerateOptions(From, From)));
        Assert.Throws<ArgumentNullException>(() => FleetChangeGenerator.Generate(null!));
    }

    [Fact]
    public void Options_BadSpikes_Throw_NamingTheSpike()
    {
        var e = Assert.Throws<ArgumentException>(() => Generate(spikes: [new FleetSpike(FleetSources.OMRollout, From), new FleetSpike("OMRollouts", From)]));
        Assert.Contains("Spikes[1]: unknown source system 'OMRollouts'; known systems: OMRollout, OMRollout:SOC, BatchingEvents, OAASRollout, "
                        + "ServiceVersionSwitch, ScheduledEvents_TMMgmt, ScheduledEvents_AzPE", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => Generate(spikes: [new FleetSpike(FleetSources.OAASRollout, From, -1)]));
        Assert.Contains("Spikes[0] (OAASRollout): Factor must be between 0 and 1000, not -1", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => Generate(spikes: [new FleetSpike(FleetSources.OAASRollout, From, double.NaN)]));
        Assert.Contains("Factor must be between 0 and 1000, not NaN", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => Generate(spikes: [new FleetSpike(FleetSources.OAASRollout, From, 2, TimeSpan.Zero)]));
        Assert.Contains("Spikes[0] (OAASRollout): Duration must be above zero, not 00:00:00", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneNode_ShortSpan_UnspecifiedKind_IsUtc()
    {
        var from = new DateTime(2023, 5, 22, 0, 0, 0, 500, DateTimeKind.Unspecified).AddTicks(3);
        var rows = FleetChangeGenerator.Generate(new FleetGenerateOptions(from, from.AddHours(2), Nodes: 1));
        Assert.All(rows.SelectMany(r => r.Rows), r =>
        {
            var t = (DateTime)r[0]!;
            Assert.Equal(DateTimeKind.Utc, t.Kind);
            Assert.True(t >= DateTime.SpecifyKind(from, DateTimeKind.Utc));
            Assert.Equal(0, t.Ticks % TimeSpan.TicksPerMillisecond);
        });
        Assert.InRange(rows.Sum(r => r.Rows.Count), 5, 100);
    }
}
