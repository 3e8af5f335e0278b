using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Tributary.Jobs;
using Tributary.Kql;

namespace Tributary.Tests.Jobs;

/// <summary>The pure parts of jobs: window arithmetic, back-off, cycles, and binding startTime/endTime into the query text.</summary>
public sealed class JobUnitTests
{
    private static readonly DateTime Origin = new(2024, 5, 23, 0, 0, 0, DateTimeKind.Utc);

    private static void AssertContaining(DateTime t, DateTime origin, TimeSpan size)
    {
        var w = TimeWindow.Containing(t, origin, size);
        Assert.True(w.Contains(t), $"{w} does not contain {t:O} (origin {origin:O}, size {size})");
        Assert.Equal(size, w.Size);
        Assert.True((w.Start - origin).Ticks % size.Ticks == 0, $"{w} is not on the grid of {size} from {origin:O}");
    }

    // ---- TimeWindow.Containing ----------------------------------------------------------------

    /// <summary>Any time in 2000–2068 (to the tick), any origin in 2024, any job window size (1 s to 366 d).</summary>
    [Property(MaxTest = 2000)]
    public Property Containing_AnyTimeOriginAndJobSize_ContainsAlignedRightSize()
    {
        var sizes = Gen.OneOf(
            Gen.Elements(1, 7, 60, 600, 780, 3600, 86400, 7 * 86400, 366 * 86400),
            Gen.Choose(1, 366 * 86400));
        var cases =
            from seconds in Gen.Choose(0, int.MaxValue)
            from ticks in Gen.Choose(0, (int)TimeSpan.TicksPerSecond - 1)
            from originSeconds in Gen.Choose(0, 366 * 86400)
            from size in sizes
            select (T: new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(seconds).AddTicks(ticks),
                Origin: Origin.AddSeconds(originSeconds), Size: TimeSpan.FromSeconds(size));
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var w = TimeWindow.Containing(c.T, c.Origin, c.Size);
            return w.Contains(c.T) && w.Size == c.Size && (w.Start - c.Origin).Ticks % c.Size.Ticks == 0;
        });
    }

    [Fact]
    public void Containing_Boundaries_StartInclusiveEndExclusive()
    {
        var size = TimeSpan.FromMinutes(10);
        Assert.Equal(new TimeWindow(Origin, Origin.AddMinutes(10)), TimeWindow.Containing(Origin, Origin, size));
        Assert.Equal(new TimeWindow(Origin, Origin.AddMinutes(10)), TimeWindow.Containing(Origin.AddMinutes(10).AddTicks(-1), Origin, size));
        Assert.Equal(new TimeWindow(Origin.AddMinutes(10), Origin.AddMinutes(20)), TimeWindow.Containing(Origin.AddMinutes(10), Origin, size));
        Assert.Equal(new TimeWindow(Origin.AddMinutes(-10), Origin), TimeWindow.Containing(Origin.AddTicks(-1), Origin, size));
        Assert.Equal(new TimeWindow(Origin.AddMinutes(-20), Origin.AddMinutes(-10)), TimeWindow.Containing(Origin.AddMinutes(-10).AddTicks(-1), Origin, size));
    }

    [Fact]
    public void Containing_ManySeededCases_ContainsAlignedRightSize()
    {
        var random = new Random(20240523);
        long[] sizes = [TimeSpan.TicksPerSecond, 7 * TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute * 13, TimeSpan.TicksPerHour, TimeSpan.TicksPerHour + 1,
            TimeSpan.TicksPerDay, 366 * TimeSpan.TicksPerDay, TimeSpan.TicksPerMillisecond, 3, 1];
        var min = new DateTime(1, 1, 2, 0, 0, 0, DateTimeKind.Utc).Ticks;
        var max = new DateTime(9998, 12, 30, 0, 0, 0, DateTimeKind.Utc).Ticks;
        for (var i = 0; i < 20_000; i++)
        {
            var size = TimeSpan.FromTicks(sizes[i % sizes.Length]);
            var origin = new DateTime(random.NextInt64(new DateTime(1900, 1, 1).Ticks, new DateTime(2100, 1, 1).Ticks), DateTimeKind.Utc);
            var t = new DateTime(random.NextInt64(min, max), DateTimeKind.Utc);

            // Also right at and next to grid lines.
            var k = (t.Ticks - origin.Ticks) / size.Ticks;
            var line = origin.Ticks + (k * size.Ticks);
            foreach (var ticks in new[] { t.Ticks, line, line - 1, line + 1 })
            {
                if (ticks > min && ticks < max)
                {
                    AssertContaining(new DateTime(ticks, DateTimeKind.Utc), origin, size);
                }
            }
        }
    }

    // ---- JobDefinition.BackoffBefore ----------------------------------------------------------

    private static JobDefinition Job(TimeSpan? backoff = null) =>
        new("J", "T", "X", TimeSpan.FromMinutes(10), TimeSpan.Zero, Origin, [], RetryBackoff: backoff);

    [Theory]
    [InlineData(2, 30)]
    [InlineData(3, 60)]
    [InlineData(4, 120)]
    [InlineData(5, 240)]
    [InlineData(6, 480)]
    [InlineData(7, 900)]
    [InlineData(8, 900)]
    [InlineData(50, 900)]
    [InlineData(100, 900)]
    [InlineData(int.MaxValue, 900)]
    public void BackoffBefore_Default_DoublesFrom30sCappedAt15m(int attempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Job().BackoffBefore(attempt));

    [Fact]
    public void BackoffBefore_CustomFirstWait_DoublesFromIt()
    {
        var job = Job(TimeSpan.FromMinutes(1));
        Assert.Equal([1, 2, 4, 8, 15, 15], Enumerable.Range(2, 6).Select(n => (int)job.BackoffBefore(n).TotalMinutes));
        Assert.Equal(TimeSpan.FromMinutes(15), Job(TimeSpan.FromHours(1)).BackoffBefore(2));
    }

    [Fact]
    public void BackoffBefore_NeverDecreases()
    {
        var job = Job(TimeSpan.FromSeconds(7));
        for (var n = 2; n < 100; n++)
        {
            Assert.True(job.BackoffBefore(n + 1) >= job.BackoffBefore(n));
            Assert.True(job.BackoffBefore(n) <= TimeSpan.FromMinutes(15));
        }
    }

    // ---- JobPlanner.FindCycle -----------------------------------------------------------------

    private static JobDefinition Dep(string name, params string[] dependsOn) =>
        new(name, "T", "X", TimeSpan.FromMinutes(10), TimeSpan.Zero, Origin, dependsOn);

    [Fact]
    public void FindCycle_Chain_None() =>
        Assert.Null(JobPlanner.FindCycle([Dep("A"), Dep("B", "A"), Dep("C", "B")]));

    [Fact]
    public void FindCycle_Diamond_None() =>
        Assert.Null(JobPlanner.FindCycle([Dep("A"), Dep("B", "A"), Dep("C", "A"), Dep("D", "B", "C")]));

    [Fact]
    public void FindCycle_UnknownDependency_Ignored() =>
        Assert.Null(JobPlanner.FindCycle([Dep("A", "Z"), Dep("B", "A")]));

    [Fact]
    public void FindCycle_ThreeJobs_NamesTheCycleClosed() =>
        Assert.Equal(["A", "C", "B", "A"], JobPlanner.FindCycle([Dep("A", "C"), Dep("B", "A"), Dep("C", "B")]));

    [Fact]
    public void FindCycle_CycleAwayFromFirstJob_NamesOnlyTheCycle() =>
        Assert.Equal(["B", "C", "B"], JobPlanner.FindCycle([Dep("A"), Dep("X", "A", "B"), Dep("B", "C"), Dep("C", "B")]));

    [Fact]
    public void FindCycle_SelfDependency_NamesIt() =>
        Assert.Equal(["A", "A"], JobPlanner.FindCycle([Dep("A", "A")]));

    [Fact]
    public void FindCycle_LongChainIntoCycle_CycleOnly()
    {
        var jobs = Enumerable.Range(0, 200).Select(i => Dep($"J{i:D3}", $"J{i + 1:D3}")).Append(Dep("J200", "J150")).ToList();
        var cycle = JobPlanner.FindCycle(jobs);
        Assert.NotNull(cycle);
        Assert.Equal("J150", cycle[0]);
        Assert.Equal("J150", cycle[^1]);
        Assert.Equal(52, cycle.Count);
    }

    // ---- KqlText.BindDatetimes ----------------------------------------------------------------

    private static readonly Dictionary<string, DateTime> Values = new(StringComparer.Ordinal)
    {
        ["startTime"] = Origin,
        ["endTime"] = Origin.AddMinutes(10),
    };

    private const string Start = "datetime(2024-05-23T00:00:00.0000000Z)";
    private const string End = "datetime(2024-05-23T00:10:00.0000000Z)";

    [Fact]
    public void BindDatetimes_FunctionCall_BothBound() =>
        Assert.Equal($"fMid({Start}, {End})", KqlText.BindDatetimes("fMid(startTime, endTime)", Values));

    [Theory]
    [InlineData("T | where Name == 'startTime'")]
    [InlineData("T | where Name == \"endTime\"")]
    [InlineData("T | where Name == @'startTime'")]
    [InlineData("T | where Name == 'it\\'s startTime'")]
    [InlineData("T | where Name == \"say \\\"endTime\\\"\"")]
    [InlineData("T // startTime and endTime")]
    [InlineData("T | where StartTime > 1 | where startTimeX > 2 | where my_endTime < 3")]
    public void BindDatetimes_NamesInStringsCommentsOrOtherIdentifiers_Untouched(string query) =>
        Assert.Equal(query, KqlText.BindDatetimes(query, Values));

    [Fact]
    public void BindDatetimes_MixedLines_OnlyBareIdentifiersBound()
    {
        const string query = "T // from startTime\n| where t >= startTime and s != 'endTime' // to endTime\n| where t < endTime";
        Assert.Equal($"T // from startTime\n| where t >= {Start} and s != 'endTime' // to endTime\n| where t < {End}", KqlText.BindDatetimes(query, Values));
    }

    [Fact]
    public void BindDatetimes_UnclosedString_Throws() =>
        Assert.Throws<KqlException>(() => KqlText.BindDatetimes("T | where a == 'startTime", Values));
}
