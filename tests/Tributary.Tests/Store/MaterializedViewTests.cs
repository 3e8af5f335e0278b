using Tributary.Kql;
using Tributary.Query;
using Tributary.Store;

namespace Tributary.Tests.Store;

/// <summary>Materialized views on a real store: kept up to date extent by extent, equal to a full recomputation.</summary>
public sealed class MaterializedViewTests : TempDirectoryTest
{
    public MaterializedViewTests()
        : base("mv")
    {
    }

    private static List<string> Rows(QueryResult result) =>
        result.Rows.Select(r => string.Join("|", r.Select(v => Tributary.Kql.Values.KqlValueFormatter.Format(v, InferType(v))))).Order(StringComparer.Ordinal).ToList();

    private static KqlType InferType(object? v) => v switch
    {
        DateTime => KqlType.DateTime,
        TimeSpan => KqlType.TimeSpan,
        long => KqlType.Long,
        int => KqlType.Int,
        double => KqlType.Real,
        bool => KqlType.Bool,
        Guid => KqlType.Guid,
        _ => KqlType.String,
    };

    private static string Snapshots(int seed, int count)
    {
        var random = new Random(seed);
        var lines = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var id = "vm" + random.Next(0, 12);
            var ts = new DateTime(2024, 5, 22, 0, 0, 0, DateTimeKind.Utc).AddSeconds(random.Next(0, 86_400) + i * 0.001);
            var state = new[] { "Started", "Stopped", "Deleted" }[random.Next(0, 3)];
            lines.Add($"{id},{ts:yyyy-MM-ddTHH:mm:ss.fffZ},{state},{random.Next(0, 100)}");
        }

        return string.Join("\n", lines);
    }

    private TributaryStore Create()
    {
        var store = TributaryStore.Open(Dir);
        store.Execute(".create table Snap (VMId:string, Ts:datetime, State:string, N:long)");
        return store;
    }

    [Fact]
    public void CreateMaterializedView_ExtentsArriveOneByOne_EqualsFullRecomputation()
    {
        using var store = Create();
        store.Execute(".ingest inline into table Snap <| " + Snapshots(1, 50));
        store.Execute(".create materialized-view Latest on table Snap { Snap | summarize arg_max(Ts, *) by VMId }");
        store.Execute(".create materialized-view Hourly on table Snap { Snap | where N >= 10 | extend Hour = bin(Ts, 1h) | summarize Rows = count(), Total = sum(N), Low = min(N), High = max(N), Last = max(Ts) by Hour, State }");

        for (var seed = 2; seed < 8; seed++)
        {
            store.Execute(".ingest inline into table Snap <| " + Snapshots(seed, 40));
            Assert.Equal(Rows(store.Execute("Snap | summarize arg_max(Ts, *) by VMId")), Rows(store.Execute("Latest")));
            Assert.Equal(
                Rows(store.Execute("Snap | where N >= 10 | extend Hour = bin(Ts, 1h) | summarize Rows = count(), Total = sum(N), Low = min(N), High = max(N), Last = max(Ts) by Hour, State")),
                Rows(store.Execute("Hourly")));
        }
    }

    [Fact]
    public void MaterializedView_SetOrAppendAndRestart_StaysCurrentAndPersists()
    {
        using (var store = Create())
        {
            store.Execute(".create materialized-view Latest on table Snap { Snap | summarize arg_max(Ts, *) by VMId }");
            store.Execute(".set-or-append Snap <| datatable(VMId:string, Ts:datetime, State:string, N:long)['vm1', datetime(2024-01-01), 'Started', 1]");
        }

        using (var reopened = TributaryStore.Open(Dir))
        {
            reopened.Execute(".ingest inline into table Snap <| vm1,2024-01-02T00:00:00Z,Deleted,2");
            var latest = reopened.Execute("Latest | project VMId, State");
            Assert.Equal(["vm1|Deleted"], Rows(latest));
            Assert.Contains(reopened.Execute(".show materialized-views").Rows, r => (string)r[0]! == "Latest");
        }
    }

    [Fact]
    public void MaterializedView_FailedIngest_LeavesViewUnchanged()
    {
        using var store = Create();
        store.Execute(".ingest inline into table Snap <| vm1,2024-01-01T00:00:00Z,Started,1");
        store.Execute(".create materialized-view Counts on table Snap { Snap | summarize c = count() by VMId }");

        Assert.Throws<StoreException>(() => store.Execute(".ingest inline into table Snap <| vm1,2024-01-02T00:00:00Z,Started,1\nvm1,not-a-date,Started,1"));

        Assert.Equal(["vm1|1"], Rows(store.Execute("Counts")));
    }

    [Theory]
    [InlineData("Snap | summarize dcount(State) by VMId", "cannot merge 'dcount'")]
    [InlineData("Snap | take 5 | summarize count() by VMId", "may only use where")]
    [InlineData("Snap | summarize count()", "needs 'by' keys")]
    [InlineData("Other | summarize count() by x", "must read its source table")]
    [InlineData("Snap | project VMId", "must end in summarize")]
    public void CreateMaterializedView_UnsupportedQuery_ClearError(string query, string expected)
    {
        using var store = Create();

        var error = Assert.ThrowsAny<Exception>(() => store.Execute($".create materialized-view V on table Snap {{ {query} }}"));

        Assert.True(error is KqlException or StoreException);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(store.Execute(".show materialized-views").Rows, r => (string)r[0]! == "V");
    }

    [Fact]
    public void MaterializedView_WritesAndDrops_AreGuarded()
    {
        using var store = Create();
        store.Execute(".create materialized-view Latest on table Snap { Snap | summarize arg_max(Ts, *) by VMId }");

        Assert.Contains("materialized view", Assert.Throws<StoreException>(() => store.Execute(".ingest inline into table Latest <| vm1,2024-01-01T00:00:00Z,x,1")).Message);
        Assert.Contains("drop the view first", Assert.Throws<StoreException>(() => store.Execute(".drop table Snap")).Message);
        Assert.Contains(".drop materialized-view", Assert.Throws<StoreException>(() => store.Execute(".drop table Latest")).Message);

        store.Execute(".drop materialized-view Latest");
        store.Execute(".drop table Snap");
        Assert.Empty(store.Execute(".show tables").Rows);
    }
}
