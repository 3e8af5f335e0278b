using Tributary.Kql;
using Tributary.Store;
using Tributary.Store.Ingestion;

namespace Tributary.Tests.Store;

/// <summary>A failed command says what and where, and changes nothing.</summary>
public sealed class FailureTests : StoreTestBase
{
    public FailureTests()
    {
        S.Execute(".create table T (a:string, n:long, t:datetime)");
        S.Execute(".ingest inline into table T with (tags='[\"first\"]') <|\nx,1,2024-01-01T00:00:00Z");
    }

    private (List<string> Rows, List<(Guid, long, string)> Extents, string Tables, string Schema) Snapshot() =>
        (S.Dump("T"), S.Extents("T"), string.Join(",", S.Column(".show tables", "TableName")), S.Store.Tables.Single(t => t.Name == "T").CslSchema);

    private void AssertUnchanged((List<string> Rows, List<(Guid, long, string)> Extents, string Tables, string Schema) before)
    {
        var after = Snapshot();
        Assert.Equal(before.Rows, after.Rows);
        Assert.Equal(before.Extents, after.Extents);
        Assert.Equal(before.Tables, after.Tables);
        Assert.Equal(before.Schema, after.Schema);
    }

    [Fact]
    public void IngestInline_BadValueOnLine3_NamesLineAndColumn_NothingAdded()
    {
        var before = Snapshot();
        var e = Assert.Throws<StoreException>(() => S.Execute(".ingest inline into table T <|\ny,2,2024-01-02T00:00:00Z\nz,3,2024-01-03T00:00:00Z\nw,three,2024-01-04T00:00:00Z\nv,5,2024-01-05T00:00:00Z"));
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("'n'", e.Message, StringComparison.Ordinal);
        Assert.Contains("three", e.Message, StringComparison.Ordinal);
        Assert.Contains("long", e.Message, StringComparison.Ordinal);
        AssertUnchanged(before);
    }

    [Fact]
    public void IngestInline_BadDateTime_HintsTheFormat()
    {
        var before = Snapshot();
        var e = Assert.Throws<StoreException>(() => S.Execute(".ingest inline into table T <|\ny,2,yesterday"));
        Assert.Contains("line 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("'t'", e.Message, StringComparison.Ordinal);
        Assert.Contains("ISO 8601", e.Message, StringComparison.Ordinal);
        AssertUnchanged(before);
    }

    [Fact]
    public void IngestInline_LineNumbersCountQuotedNewlines()
    {
        var e = Assert.Throws<StoreException>(() => S.Execute(".ingest inline into table T <|\n\"multi\nline\",1\ny,bad"));
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IngestInline_TooManyFields_Throws()
    {
        var before = Snapshot();
        var e = Assert.Throws<StoreException>(() => S.Execute(".ingest inline into table T <|\ny,2,2024-01-02T00:00:00Z\nz,3,2024-01-03T00:00:00Z,extra"));
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("4 fields", e.Message, StringComparison.Ordinal);
        AssertUnchanged(before);
    }

    [Fact]
    public void IngestInline_UnclosedQuote_Throws()
    {
        var before = Snapshot();
        var e = Assert.Throws<StoreException>(() => S.Execute(".ingest inline into table T <|\ny,2\n\"open,3"));
        Assert.Contains("not closed", e.Message, StringComparison.Ordinal);
        AssertUnchanged(before);
    }

    [Fact]
    public void IngestInline_MissingTable_Throws()
    {
        var before = Snapshot();
        var e = Assert.Throws<StoreException>(() => S.Execute(".ingest inline into table Nope <|\nx,1"));
        Assert.Contains("'Nope'", e.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
        AssertUnchanged(before);
    }

    [Fact]
    public void IngestInline_TagsNotJson_Throws()
    {
        var before = Snapshot();
        var e = Assert.Throws<KqlException>(() => S.Execute(".ingest inline into table T with (tags='drop-by:a') <|\ny,2"));
        Assert.Contains("tags", e.Message, StringComparison.Ordinal);
        Assert.Contains("JSON array", e.Message, StringComparison.Ordinal);
        Assert.True(e.Line > 0);
        Assert.Throws<KqlException>(() => S.Execute(".ingest inline into table T with (tags='[1, 2]') <|\ny,2"));
        Assert.Throws<KqlException>(() => S.Execute(".ingest inline into table T with (tags='{\"a\":1}') <|\ny,2"));
        AssertUnchanged(before);
    }

    [Fact]
    public void IngestInline_EmptyTag_Throws()
    {
        var before = Snapshot();
        var e = Assert.Throws<StoreException>(() => S.Execute(".ingest inline into table T with (tags='[\"\"]') <|\ny,2"));
        Assert.Contains("tag", e.Message, StringComparison.Ordinal);
        AssertUnchanged(before);
    }

    [Fact]
    public void IngestFile_BadCsvLine_NamesLineAndColumn_NothingAdded()
    {
        var before = Snapshot();
        var path = Path.Combine(S.Directory, "bad.csv");
        File.WriteAllText(path, "a,n,t\ny,2,2024-01-02T00:00:00Z\nz,oops,2024-01-03T00:00:00Z\nw,4,2024-01-04T00:00:00Z\n");
        var e = Assert.Throws<StoreException>(() => S.Store.IngestFile("T", path, IngestFormat.Csv, ["drop-by:file"]));
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("'n'", e.Message, StringComparison.Ordinal);
        AssertUnchanged(before);

        // The store still works after the failed ingestion.
        File.WriteAllText(path, "a,n,t\ny,2,2024-01-02T00:00:00Z\n");
        S.Store.IngestFile("T", path, IngestFormat.Csv);
        Assert.Equal(2, S.Count("T"));
    }

    [Fact]
    public void IngestFile_MissingFileOrTable_Throws()
    {
        var before = Snapshot();
        var e = Assert.Throws<StoreException>(() => S.Store.IngestFile("T", Path.Combine(S.Directory, "nope.csv")));
        Assert.Contains("nope.csv", e.Message, StringComparison.Ordinal);
        var path = Path.Combine(S.Directory, "ok.csv");
        File.WriteAllText(path, "a\nx\n");
        e = Assert.Throws<StoreException>(() => S.Store.IngestFile("Nope", path));
        Assert.Contains("'Nope'", e.Message, StringComparison.Ordinal);
        AssertUnchanged(before);
    }

    [Fact]
    public void UnknownCommand_Throws()
    {
        var before = Snapshot();
        var e = Fails(".frobnicate table T", ".frobnicate");
        Assert.Equal(1, Assert.IsType<KqlException>(e).Line);
        AssertUnchanged(before);
    }

    [Fact]
    public void UnknownType_Throws_NamingTypeAndColumn()
    {
        var e = Assert.IsType<KqlException>(Fails(".create table X (a:nosuchtype)", "nosuchtype", "'a'"));
        Assert.Equal(1, e.Line);
        Assert.Equal(20, e.Column);
        Assert.DoesNotContain(S.Store.Tables, t => t.Name == "X");
    }

    [Fact]
    public void DuplicateColumn_Throws()
    {
        Fails(".create table X (a:string, a:long)", "'a'", "twice");
        Assert.DoesNotContain(S.Store.Tables, t => t.Name == "X");
    }

    [Fact]
    public void ReservedColumnAndTableNames_Throw()
    {
        Fails(".create table X (__extent_id:string)", "__extent_id");
        Fails(".create table __x (a:string)", "__x");
        Assert.Equal("T", string.Join(",", S.Column(".show tables", "TableName")));
    }

    [Fact]
    public void SyntaxErrors_Throw_WithPosition()
    {
        foreach (var text in new[]
                 {
                     ".create table X",
                     ".create table X (a string)",
                     ".create table X (a:string",
                     ".show table",
                     ".show table T nonsense",
                     ".drop",
                     ".drop extents (not-a-guid) from T",
                     ".ingest inline into table T",
                     ".set-or-append X",
                     ".replace extents in table T tagged 'w'",
                     ".replace extents in table T tagged '' <| T",
                     ".",
                 })
        {
            var e = Record.Exception(() => S.Execute(text));
            var k = Assert.IsType<KqlException>(e);
            Assert.True(k.Line > 0, $"{text}: no position in '{k.Message}'");
        }

        Assert.Equal(["x|1|2024-01-01T00:00:00.0000000Z"], S.Dump("T"));
    }

    [Fact]
    public void BadQuery_Throws_KqlException_WithPosition()
    {
        var e = Assert.Throws<KqlException>(() => S.Execute("T\n| where nosuch > 1"));
        Assert.Contains("nosuch", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void CreateMerge_BadType_AddsNothing()
    {
        var before = Snapshot();
        Fails(".create-merge table T (b:string, c:nosuchtype)", "nosuchtype");
        AssertUnchanged(before);
    }

    [Fact]
    public void Query_ValueOutsideDotNetRange_IsAStoreException()
    {
        var e = Assert.Throws<StoreException>(() => S.Execute("print t = datetime(9999-12-31) + 100000d"));
        Assert.Contains("'t'", e.Message, StringComparison.Ordinal);
        Assert.Contains("datetime", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, S.Count("T"));
    }
}
