using System.Globalization;
using Tributary.Demo;
using Tributary.Query;
using Tributary.Store;
using Tributary.Tests.Demo;

namespace Tributary.Tests.Query;

/// <summary>
/// <c>summarize arg_max/arg_min(…) by keys</c>, which translates to a window filter (QUALIFY row_number()),
/// checked against the LINQ oracle on the demo data and against Kusto's null rule.
/// </summary>
public sealed class ArgMaxTests(ArgMaxTests.StoreFixture fixture) : IClassFixture<ArgMaxTests.StoreFixture>
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(6)]
    public void SeedQuery_MatchesTheOracle(int query)
    {
        var data = fixture.Demo.Data;
        var now = DemoDataFixture.Now;
        var (expected, columns) = query switch
        {
            2 => (SeedOracle.WestusStateCounts(data, now), SeedOracle.WestusStateCountsColumns),
            3 => (SeedOracle.BuildDistribution(data), SeedOracle.BuildDistributionColumns),
            _ => (SeedOracle.EventsWithLastKnownBuild(data), SeedOracle.EventsWithLastKnownBuildColumns),
        };

        var result = fixture.Store.Execute(DemoScript.Questions[query - 1].Query);

        Assert.Equal(columns, result.Columns.Select(c => c.Name));
        Assert.Equal(Multiset(expected), Multiset(result.Rows));
    }

    [Fact]
    public void ArgMax_KeepsEveryValueFromTheChosenRow_AndPicksANullRowOnlyWhenTheGroupHasNoOther()
    {
        var rows = Run("T | summarize arg_max(ts, *) by k");

        Assert.Equal(["a|2024-01-02|a-2|2", "b||b-null|4", "c|2024-01-03|c-3|5"], rows);
    }

    [Fact]
    public void ArgMin_WithNamedTargetAndComputedKey()
    {
        var rows = Run("T | summarize first = arg_min(ts, v, n) by key = strcat(k, '!')");

        Assert.Equal(["a!|2024-01-01|a-1|3", "b!||b-null|4", "c!|2024-01-01|c-1|6"], rows);
    }

    [Fact]
    public void ArgMax_WithAnotherAggregate_StillKeepsOneRowsValues()
    {
        var rows = Run("T | summarize arg_max(n, v), count() by k");

        Assert.Equal(["a|3|a-1|3", "b|4|b-null|1", "c|6|c-1|2"], rows);
    }

    private List<string> Run(string query) =>
        fixture.Store.Execute(query).Rows.Select(r => string.Join("|", r.Select(Text))).Order(StringComparer.Ordinal).ToList();

    private static List<string> Multiset(IEnumerable<object?[]> rows) =>
        rows.Select(r => string.Join("|", r.Select(Text))).Order(StringComparer.Ordinal).ToList();

    private static string Text(object? value) => value switch
    {
        null => "",
        DateTime d when d.TimeOfDay == TimeSpan.Zero => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>The demo data loaded into a store whose clock stands at the demo anchor, plus a small table with null times.</summary>
    public sealed class StoreFixture : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "tributary-argmax-" + Guid.NewGuid().ToString("N"));

        public StoreFixture()
        {
            Demo = new DemoDataFixture();
            var clock = new SimulatedClock(TimeProvider.System);
            Store = TributaryStore.Open(_directory, clock);
            DemoScript.Load(Store, Demo.Batches, clock);
            clock.Override = new DateTimeOffset(DemoDataFixture.Now, TimeSpan.Zero);
            Store.Execute(".create table T (k:string, ts:datetime, v:string, n:long)");
            Store.Execute(".ingest inline into table T <|\n" +
                "a,,a-null,1\na,2024-01-01,a-1,3\na,2024-01-02,a-2,2\n" +
                "b,,b-null,4\n" +
                "c,2024-01-03,c-3,5\nc,2024-01-01,c-1,6\n");
        }

        public DemoDataFixture Demo { get; }

        public TributaryStore Store { get; }

        public void Dispose()
        {
            Store.Dispose();
            Demo.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is harmless.
            }
        }
    }
}
