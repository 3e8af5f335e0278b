using Tributary.Store;

namespace Tributary.Tests.Store;

public sealed class RetentionTests : StoreTestBase
{
    public RetentionTests() => S.Execute(".create table T (a:string, n:long)");

    [Fact]
    public void SoftDelete_IsEnforced_OnTheNextExecute()
    {
        S.Execute(".alter table T policy retention softdelete = 30d");
        S.Execute(".ingest inline into table T <|\nold,1");
        S.Time.Advance(TimeSpan.FromDays(10));
        S.Execute(".ingest inline into table T <|\nnewer,2");

        S.Time.Advance(TimeSpan.FromDays(19));
        Assert.Equal(["newer|2", "old|1"], S.Dump("T"));

        S.Time.Advance(TimeSpan.FromDays(2)); // old is 31 days old, newer 21
        Assert.Equal(["newer|2"], S.Dump("T"));
        Assert.Single(S.Extents("T"));

        S.Time.Advance(TimeSpan.FromDays(10));
        Assert.Equal(0, S.Count("T"));
        Assert.Empty(S.Extents("T"));
    }

    [Fact]
    public void SoftDelete_ExactlyAtThePeriod_KeepsTheRows()
    {
        S.Execute(".alter table T policy retention softdelete = 30d");
        S.Execute(".ingest inline into table T <|\nx,1");
        S.Time.Advance(TimeSpan.FromDays(30));
        Assert.Equal(1, S.Count("T"));
        S.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, S.Count("T"));
    }

    [Fact]
    public void SoftDelete_AppliesToRowsIngestedBeforeThePolicy()
    {
        S.Execute(".ingest inline into table T <|\nx,1");
        S.Time.Advance(TimeSpan.FromDays(31));
        Assert.Equal(1, S.Count("T"));
        S.Execute(".alter table T policy retention softdelete = 30d");
        Assert.Equal(0, S.Count("T"));
    }

    [Fact]
    public void SoftDelete_OnlyTheTableWithThePolicy()
    {
        S.Execute(".create table U (a:string)");
        S.Execute(".alter table T policy retention softdelete = 1h");
        S.Execute(".ingest inline into table T <|\nx,1");
        S.Execute(".ingest inline into table U <|\nx");
        S.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, S.Count("T"));
        Assert.Equal(1, S.Count("U"));
    }

    [Fact]
    public void SoftDelete_IsEnforcedBeforeIngestFile()
    {
        S.Execute(".alter table T policy retention softdelete = 1d");
        S.Execute(".ingest inline into table T <|\nx,1");
        S.Time.Advance(TimeSpan.FromDays(2));
        var path = Path.Combine(S.Directory, "in.csv");
        File.WriteAllText(path, "a,n\ny,2\n");
        S.Store.IngestFile("T", path);
        Assert.Equal(["y|2"], S.Dump("T"));
    }

    [Fact]
    public void ShowRetention()
    {
        var none = S.Execute(".show table T policy retention");
        Assert.Equal("null", none.Rows[0][none.IndexOf("Policy")]);

        var altered = S.Execute(".alter table T policy retention softdelete = 30d");
        var shown = S.Execute(".show table T policy retention");
        Assert.Equal(altered.Rows[0], shown.Rows[0]);
        Assert.Equal("RetentionPolicy", shown.Rows[0][shown.IndexOf("PolicyName")]);
        Assert.Equal("T", shown.Rows[0][shown.IndexOf("EntityName")]);
        using var doc = System.Text.Json.JsonDocument.Parse((string)shown.Rows[0][shown.IndexOf("Policy")]!);
        Assert.Equal("30.00:00:00", doc.RootElement.GetProperty("SoftDeletePeriod").GetString());
    }

    [Fact]
    public void AlterRetention_JsonForm()
    {
        S.Execute(""".alter table T policy retention '{"SoftDeletePeriod": "30.00:00:00", "Recoverability": "Disabled"}'""");
        var shown = S.Execute(".show table T policy retention");
        using var doc = System.Text.Json.JsonDocument.Parse((string)shown.Rows[0][shown.IndexOf("Policy")]!);
        Assert.Equal("30.00:00:00", doc.RootElement.GetProperty("SoftDeletePeriod").GetString());

        S.Execute(".ingest inline into table T <|\nx,1");
        S.Time.Advance(TimeSpan.FromDays(31));
        Assert.Equal(0, S.Count("T"));
    }

    [Fact]
    public void AlterMerge_AndRecoverability_AreAccepted()
    {
        S.Execute(".alter-merge table T policy retention softdelete = 12h recoverability = disabled");
        var shown = S.Execute(".show table T policy retention");
        Assert.Contains("12:00:00", (string)shown.Rows[0][shown.IndexOf("Policy")]!, StringComparison.Ordinal);
    }

    [Fact]
    public void DeleteRetention_StopsEnforcement()
    {
        S.Execute(".alter table T policy retention softdelete = 1d");
        S.Execute(".delete table T policy retention");
        S.Execute(".ingest inline into table T <|\nx,1");
        S.Time.Advance(TimeSpan.FromDays(100));
        Assert.Equal(1, S.Count("T"));
        Assert.Equal("null", S.Scalar(".show table T policy retention | project Policy"));
    }

    [Fact]
    public void AlterRetention_BadPeriod_IsRefused()
    {
        Fails(".alter table T policy retention softdelete = 0d", "softdelete");
        Fails(".alter table T policy retention softdelete = soon", "softdelete");
        Fails(""".alter table T policy retention '{"Nope": 1}'""", "SoftDeletePeriod");
        Fails(".alter table Nope policy retention softdelete = 1d", "'Nope'");
        Assert.Equal("null", S.Scalar(".show table T policy retention | project Policy"));
    }
}
