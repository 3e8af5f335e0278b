using Tributary.Kql;
using Tributary.Store;

namespace Tributary.Tests.Store;

public sealed class SetOrAppendTests : StoreTestBase
{
    private void Seed()
    {
        S.Execute(".create table Src (a:string, n:long)");
        S.Execute(".ingest inline into table Src <|\nx,1\ny,2\nz,3");
    }

    [Fact]
    public void SetOrAppend_CreatesMissingTable_FromTheQuerysColumns()
    {
        Seed();
        var result = S.Execute(".set-or-append Dst <| Src | where n >= 2 | extend r = todouble(n) / 2");
        Assert.Equal(2L, result.Rows[0][result.IndexOf("RowCount")]);
        Assert.Equal("a:string, n:long, r:real", S.Store.Tables.Single(t => t.Name == "Dst").CslSchema);
        Assert.Equal(["y|2|1", "z|3|1.5"], S.Dump("Dst"));
        Assert.Single(S.Extents("Dst"));
    }

    [Fact]
    public void SetOrAppend_Existing_AppendsByName_MissingColumnsDefault()
    {
        Seed();
        S.Execute(".create table Dst (n:long, a:string, extra:string, r:real)");
        S.Execute(".set-or-append Dst <| Src | where n == 1");
        S.Execute(".set-or-append Dst <| Src | where n == 2 | project a, n");
        Assert.Equal(["1|x||null", "2|y||null"], S.Dump("Dst"));
        Assert.Equal(2, S.Extents("Dst").Count);
    }

    [Fact]
    public void SetOrAppend_WithTags()
    {
        Seed();
        S.Execute(".set-or-append Dst with (tags='[\"drop-by:w1\"]') <| Src");
        Assert.Equal("drop-by:w1", Assert.Single(S.Extents("Dst")).Tags);
    }

    [Fact]
    public void SetOrAppend_ConvertsBetweenNumericTypes()
    {
        S.Execute(".create table Dst (i:int, r:real, d:decimal)");
        S.Execute(".set-or-append Dst <| print i = 5, r = 2, d = 1.25");
        Assert.Equal(new object?[] { 5, 2.0, 1.25m }, Assert.Single(S.Rows("Dst")));
    }

    [Fact]
    public void SetOrAppend_ColumnTheTableLacks_Throws_NothingAppended()
    {
        Seed();
        S.Execute(".create table Dst (a:string)");
        S.Execute(".append Dst <| Src | project a");
        var e = Assert.Throws<StoreException>(() => S.Execute(".set-or-append Dst <| Src | project a, n"));
        Assert.Contains("'n'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Dst", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, S.Count("Dst"));
        Assert.Single(S.Extents("Dst"));
        Assert.Equal("a:string", S.Store.Tables.Single(t => t.Name == "Dst").CslSchema);
    }

    [Fact]
    public void SetOrAppend_WrongColumnType_Throws_NothingAppended()
    {
        Seed();
        S.Execute(".create table Dst (a:string, n:datetime)");
        var e = Assert.Throws<StoreException>(() => S.Execute(".set-or-append Dst <| Src"));
        Assert.Contains("'n'", e.Message, StringComparison.Ordinal);
        Assert.Contains("datetime", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, S.Count("Dst"));
        Assert.Empty(S.Extents("Dst"));
    }

    [Fact]
    public void SetOrAppend_BadQuery_Throws_NoTableCreated()
    {
        Seed();
        Assert.Throws<KqlException>(() => S.Execute(".set-or-append Dst <| Src | where nosuch > 1"));
        Assert.DoesNotContain(S.Store.Tables, t => t.Name == "Dst");
    }

    [Fact]
    public void SetOrAppend_RuntimeFailure_NoTableCreated()
    {
        // Creating the table and appending are one transaction: an overflow while appending leaves no table.
        Seed();
        var e = Assert.Throws<StoreException>(() => S.Execute(".set-or-append Dst <| Src | extend big = n + 9223372036854775807"));
        Assert.DoesNotContain(S.Store.Tables, t => t.Name == "Dst");
        Assert.Equal(["Src"], S.Column(".show tables", "TableName"));
        Assert.Contains("changed nothing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_RequiresTheTable()
    {
        Seed();
        var e = Assert.Throws<StoreException>(() => S.Execute(".append Dst <| Src"));
        Assert.Contains("'Dst'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(S.Store.Tables, t => t.Name == "Dst");

        S.Execute(".create table Dst (a:string, n:long)");
        S.Execute(".append Dst <| Src");
        S.Execute(".append Dst with (tags='[\"t\"]') <| Src | take 1");
        Assert.Equal(4, S.Count("Dst"));
        Assert.Equal(["", "t"], S.Extents("Dst").Select(e => e.Tags).Order());
    }

    [Fact]
    public void Append_ItsOwnTable_ReadsTheOldRows()
    {
        Seed();
        S.Execute(".append Src <| Src");
        Assert.Equal(6, S.Count("Src"));
    }

    [Fact]
    public void SetOrReplace_ReplacesAllExtents()
    {
        Seed();
        S.Execute(".set-or-replace Dst <| Src | where n == 1");
        Assert.Equal(["x|1"], S.Dump("Dst"));
        S.Execute(".set-or-replace Dst <| Src | where n > 1");
        Assert.Equal(["y|2", "z|3"], S.Dump("Dst"));
        Assert.Single(S.Extents("Dst"));
    }

    [Fact]
    public void SetOrReplace_ItsOwnTable_ReadsTheOldRows()
    {
        Seed();
        S.Execute(".set-or-replace Src <| Src | where n > 1 | extend n = n * 10");
        Assert.Equal(["y|20", "z|30"], S.Dump("Src"));
    }

    [Fact]
    public void SetOrReplace_Failure_KeepsOldRows()
    {
        S.Execute(".create table Dst (i:int)");
        S.Execute(".ingest inline into table Dst <|\n1\n2");
        Assert.Throws<StoreException>(() => S.Execute(".set-or-replace Dst <| print i = 10000000000"));
        Assert.Equal(["1", "2"], S.Dump("Dst"));
    }

    [Fact]
    public void Set_CreatesOnly()
    {
        Seed();
        S.Execute(".set Dst <| Src");
        Assert.Equal(3, S.Count("Dst"));
        Assert.Throws<StoreException>(() => S.Execute(".set Dst <| Src"));
        Assert.Equal(3, S.Count("Dst"));
    }

    [Fact]
    public void ReplaceExtents_ThreeTimes_EachRowOnce_OtherTagsUntouched()
    {
        Seed();
        S.Execute(".create table Dst (a:string, n:long)");
        S.Execute(".ingest inline into table Dst with (tags='[\"window:0\"]') <|\nold,0");
        S.Execute(".ingest inline into table Dst <|\nuntagged,-1");

        for (var i = 0; i < 3; i++)
        {
            S.Time.Advance(TimeSpan.FromMinutes(1));
            var result = S.Execute(".replace extents in table Dst tagged 'window:1' <| Src");
            Assert.Equal(3L, result.Rows[0][result.IndexOf("RowCount")]);
            Assert.Equal(i == 0 ? 0L : 3L, result.Rows[0][result.IndexOf("ReplacedRowCount")]);
            Assert.Equal(["old|0", "untagged|-1", "x|1", "y|2", "z|3"], S.Dump("Dst"));
        }

        var extents = S.Extents("Dst");
        Assert.Equal(3, extents.Count);
        Assert.Single(extents, e => e.Tags == "window:1");
        Assert.Single(extents, e => e.Tags == "window:0");
        // The rows carry the time of the last replace.
        Assert.Equal(TempStore.T0.UtcDateTime.AddMinutes(3), S.Scalar("Dst | where n > 0 | summarize min(ingestion_time())"));
    }

    [Fact]
    public void ReplaceExtents_ExtraTags_AreAdded()
    {
        Seed();
        S.Execute(".create table Dst (a:string, n:long)");
        S.Execute(".replace extents in table Dst tagged 'window:1' with (tags='[\"drop-by:job\"]') <| Src");
        var tags = Assert.Single(S.Extents("Dst")).Tags.Split('\n');
        Assert.Equal(["drop-by:job", "window:1"], tags.Order());
    }

    [Fact]
    public void ReplaceExtents_CanReadTheRowsItReplaces()
    {
        S.Execute(".create table Dst (a:string, n:long)");
        S.Execute(".ingest inline into table Dst with (tags='[\"w\"]') <|\nx,1\ny,2");
        S.Execute(".replace extents in table Dst tagged 'w' <| Dst | extend n = n + 100");
        Assert.Equal(["x|101", "y|102"], S.Dump("Dst"));
    }

    [Fact]
    public void ReplaceExtents_TypeError_KeepsOldExtents()
    {
        Seed();
        S.Execute(".create table Dst (a:string, n:long)");
        S.Execute(".replace extents in table Dst tagged 'window:1' <| Src");
        var before = S.Extents("Dst");

        Assert.Throws<KqlException>(() => S.Execute(".replace extents in table Dst tagged 'window:1' <| Src | extend n = a * 2"));
        Assert.Throws<StoreException>(() => S.Execute(".replace extents in table Dst tagged 'window:1' <| Src | extend n = tostring(n)"));

        Assert.Equal(["x|1", "y|2", "z|3"], S.Dump("Dst"));
        Assert.Equal(before, S.Extents("Dst"));
    }

    [Fact]
    public void ReplaceExtents_RuntimeConversionFailure_KeepsOldExtents()
    {
        S.Execute(".create table Dst (i:int)");
        S.Execute(".ingest inline into table Dst with (tags='[\"window:1\"]') <|\n1\n2");
        var before = S.Extents("Dst");

        // long → int overflows only when the row is converted, inside the engine.
        var e = Assert.Throws<StoreException>(() => S.Execute(".replace extents in table Dst tagged 'window:1' <| print i = 10000000000"));
        Assert.Contains("changed nothing", e.Message, StringComparison.Ordinal);

        // An overflow inside the query itself, on the rows being replaced.
        Assert.Throws<StoreException>(() => S.Execute(".replace extents in table Dst tagged 'window:1' <| Dst | extend i = toint(tolong(i) + 9223372036854775807)"));

        Assert.Equal(["1", "2"], S.Dump("Dst"));
        Assert.Equal(before, S.Extents("Dst"));

        // The store is still usable afterwards (the aborted transaction was rolled back).
        S.Execute(".replace extents in table Dst tagged 'window:1' <| print i = 3");
        Assert.Equal(["3"], S.Dump("Dst"));
    }

    [Fact]
    public void ReplaceExtents_MissingTable_Throws()
    {
        var e = Assert.Throws<StoreException>(() => S.Execute(".replace extents in table Nope tagged 'w' <| print a = 1"));
        Assert.Contains("'Nope'", e.Message, StringComparison.Ordinal);
        Assert.Empty(S.Rows(".show tables"));
    }
}
