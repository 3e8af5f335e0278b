using Tributary.Kql;
using Tributary.Store;

namespace Tributary.Tests.Store;

/// <summary>Guards against misuse that DuckDB alone would let through or answer in its own words.</summary>
public sealed class GuardTests : TempDirectoryTest
{
    public GuardTests()
        : base("guard")
    {
    }

    [Fact]
    public void Open_SameDirectoryTwiceInOneProcess_RefusedUntilDisposed()
    {
        var first = TributaryStore.Open(Dir);
        var error = Assert.Throws<StoreException>(() => TributaryStore.Open(Dir));
        Assert.Contains("already open in this process", error.Message);

        first.Dispose();
        using var again = TributaryStore.Open(Dir);
        Assert.Empty(again.Tables);
    }

    [Fact]
    public void CreateTable_NameDiffersOnlyInCase_ClearError()
    {
        using var store = TributaryStore.Open(Dir);
        store.Execute(".create table Events (a:string)");

        var error = Assert.Throws<StoreException>(() => store.Execute(".create table events (a:string)"));

        Assert.Contains("only in case", error.Message);
        Assert.Single(store.Tables);
    }

    [Fact]
    public void CallFunction_ArgumentOfWrongType_ErrorNamesParameter()
    {
        using var store = TributaryStore.Open(Dir);
        store.Execute(".create table T (name:string, n:long)");
        store.Execute(".create-or-alter function Above(a:long) { T | where n > a }");

        var error = Assert.Throws<KqlException>(() => store.Execute("Above('five')"));

        Assert.Contains("argument 'a' of 'Above' is long but was given a string", error.Message);
    }

    [Fact]
    public void Query_TimespanLiteralTooLarge_ErrorNotCrash()
    {
        using var store = TributaryStore.Open(Dir);

        var error = Assert.Throws<KqlException>(() => store.Execute("print x = 99999999999999999999d"));

        Assert.Contains("timespan", error.Message);
    }

    [Fact]
    public void CreateTable_BracketQuotedName_Works()
    {
        using var store = TributaryStore.Open(Dir);

        store.Execute(".create table ['my table'] (['a b']:string)");
        store.Execute(".ingest inline into table ['my table'] <| x");

        Assert.Equal("x", store.Execute("['my table'] | project ['a b']").Rows[0][0]);
    }

    [Fact]
    public void Datatable_ValueOfWrongType_ErrorNotNull()
    {
        using var store = TributaryStore.Open(Dir);

        var error = Assert.Throws<KqlException>(() => store.Execute("datatable(a:int)[1, 2, \"x\"]"));

        Assert.Contains("datatable column 'a' is int but this value is a string", error.Message);
        Assert.Equal(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), store.Execute("datatable(d:datetime)[\"2024-01-01\"]").Rows[0][0]);
    }

    [Fact]
    public void Bin_ZeroSize_NullInsteadOfEngineError()
    {
        using var store = TributaryStore.Open(Dir);

        var row = store.Execute("print b = bin(7, 0), t = bin(1h, 0s)").Rows[0];

        Assert.Null(row[0]);
        Assert.Null(row[1]);
    }

    [Fact]
    public void Range_LongerThanAListCanHold_StreamsRows() =>
        Assert.Equal(5_000_000_000L, TributaryStore.Open(Dir).Using(s => s.Execute("range x from 1 to 5000000000 step 1 | count").Rows[0][0]));
}

internal static class StoreUsing
{
    public static T Using<T>(this TributaryStore store, Func<TributaryStore, T> work)
    {
        using (store)
        {
            return work(store);
        }
    }
}
