using Tributary.Kql;
using Tributary.Store;

namespace Tributary.Tests.Store;

public sealed class ExtentTests : StoreTestBase
{
    public ExtentTests() => S.Execute(".create table T (a:string, n:long)");

    [Fact]
    public void IngestionTime_IsTheClockAtIngestion()
    {
        S.Execute(".ingest inline into table T <|\nx,1\ny,2");
        S.Time.Advance(TimeSpan.FromHours(1));
        S.Execute(".ingest inline into table T <|\nz,3");
        S.Time.Advance(TimeSpan.FromHours(1));

        var result = S.Execute("T | extend it = ingestion_time() | order by n asc");
        var it = result.IndexOf("it");
        Assert.Equal(KqlType.DateTime, result.Columns[it].Type);
        Assert.Equal(
            [TempStore.T0.UtcDateTime, TempStore.T0.UtcDateTime, TempStore.T0.UtcDateTime.AddHours(1)],
            result.Rows.Select(r => r[it]));
        Assert.All(result.Rows, r => Assert.Equal(DateTimeKind.Utc, ((DateTime)r[it]!).Kind));
    }

    [Fact]
    public void IngestionTime_KeepsMicroseconds()
    {
        S.Time.Advance(TimeSpan.FromTicks(1_234_567)); // 0.1234567 s: DuckDB keeps 0.123456
        S.Execute(".ingest inline into table T <|\nx,1");
        Assert.Equal(TempStore.T0.UtcDateTime.AddTicks(1_234_560), S.Scalar("T | project ingestion_time()"));
    }

    [Fact]
    public void IngestionTime_OfAppendedRows_IsTheClockAtAppend()
    {
        S.Execute(".ingest inline into table T <|\nx,1");
        S.Time.Advance(TimeSpan.FromMinutes(5));
        S.Execute(".append T <| T | extend n = n + 1");
        Assert.Equal(
            [TempStore.T0.UtcDateTime, TempStore.T0.UtcDateTime.AddMinutes(5)],
            S.Column("T | order by n asc | project it = ingestion_time()", "it"));
    }

    [Fact]
    public void EveryIngestion_IsOneExtent_WithRowCountAndTags()
    {
        var first = S.Execute(".ingest inline into table T <|\nx,1\ny,2");
        S.Time.Advance(TimeSpan.FromSeconds(1));
        S.Execute(".ingest inline into table T with (tags='[\"drop-by:a\", \"ingest-by:b\"]') <|\nz,3");

        var shown = S.Execute(".show table T extents");
        foreach (var name in new[] { "ExtentId", "TableName", "RowCount", "MinCreatedOn", "MaxCreatedOn", "Tags" })
        {
            Assert.True(shown.IndexOf(name) >= 0, $"missing column {name}");
        }

        var extents = S.Extents("T");
        Assert.Equal(2, extents.Count);
        Assert.Equal(first.Rows[0][first.IndexOf("ExtentId")], extents[0].Id);
        Assert.Equal(2, extents[0].Rows);
        Assert.Equal("", extents[0].Tags);
        Assert.Equal(1, extents[1].Rows);
        Assert.Contains("drop-by:a", extents[1].Tags, StringComparison.Ordinal);
        Assert.Contains("ingest-by:b", extents[1].Tags, StringComparison.Ordinal);
        Assert.All(shown.Rows, r => Assert.Equal("T", r[shown.IndexOf("TableName")]));
        Assert.Equal([TempStore.T0.UtcDateTime, TempStore.T0.UtcDateTime.AddSeconds(1)], shown.Rows.Select(r => r[shown.IndexOf("MinCreatedOn")]));

        // The extents' row counts add up to the table.
        Assert.Equal(S.Count("T"), extents.Sum(e => e.Rows));
    }

    [Fact]
    public void ShowExtents_AllTables()
    {
        S.Execute(".create table U (a:string)");
        S.Execute(".ingest inline into table T <|\nx,1");
        S.Execute(".ingest inline into table U <|\nx");
        Assert.Equal(["T", "U"], S.Column(".show extents", "TableName").Order());
    }

    [Fact]
    public void ShowExtents_MissingTable_Throws()
    {
        var e = Assert.Throws<StoreException>(() => S.Execute(".show table Nope extents"));
        Assert.Contains("'Nope'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IngestInline_EmptyData_MakesAnEmptyExtent()
    {
        var result = S.Execute(".ingest inline into table T <|\n");
        Assert.Equal(0L, result.Rows[0][result.IndexOf("RowCount")]);
        Assert.Equal(0, S.Count("T"));
    }

    [Fact]
    public void IngestInline_QuotedFieldsAndCrLf()
    {
        S.Execute(".ingest inline into table T <|\r\n\"a, \"\"quoted\"\"\",1\r\n\"multi\nline\",2\r\n");
        Assert.Equal(["a, \"quoted\"", "multi\nline"], S.Column("T | order by n asc", "a"));
    }

    [Fact]
    public void IngestFile_IsOneExtent_WithTags()
    {
        var path = Path.Combine(S.Directory, "in.csv");
        File.WriteAllText(path, "a,n\nx,1\ny,2\n");
        S.Time.Advance(TimeSpan.FromMinutes(3));
        var result = S.Store.IngestFile("T", path, tags: ["drop-by:file"]);
        Assert.Equal(2, result.Rows);
        var extent = Assert.Single(S.Extents("T"));
        Assert.Equal(result.ExtentId, extent.Id);
        Assert.Equal(2, extent.Rows);
        Assert.Equal("drop-by:file", extent.Tags);
        Assert.Equal(["x|1", "y|2"], S.Dump("T"));
        Assert.Equal(TempStore.T0.UtcDateTime.AddMinutes(3), S.Scalar("T | summarize max(ingestion_time())"));
    }

    [Fact]
    public void DropExtents_ByTag_DropsExactlyThoseRows()
    {
        S.Execute(".ingest inline into table T <|\nkeep1,1");
        S.Execute(".ingest inline into table T with (tags='[\"drop-by:a\"]') <|\ngone1,2\ngone2,3");
        S.Execute(".ingest inline into table T with (tags='[\"drop-by:b\"]') <|\nkeep2,4");
        S.Execute(".ingest inline into table T with (tags='[\"drop-by:a\", \"other\"]') <|\ngone3,5");
        S.Execute(".ingest inline into table T with (tags='[\"drop-by:ab\"]') <|\nkeep3,6");

        var dropped = S.Execute(".drop extents <| .show table T extents | where Tags has \"drop-by:a\"");
        Assert.Equal(2, dropped.Rows.Count);

        Assert.Equal(["keep1|1", "keep2|4", "keep3|6"], S.Dump("T"));
        Assert.Equal(3, S.Extents("T").Count);
        Assert.DoesNotContain(S.Extents("T"), e => e.Tags.Split('\n').Contains("drop-by:a"));
    }

    [Fact]
    public void DropExtents_ByTag_OnlyFromTheNamedTable()
    {
        S.Execute(".create table U (a:string, n:long)");
        S.Execute(".ingest inline into table T with (tags='[\"drop-by:a\"]') <|\nt,1");
        S.Execute(".ingest inline into table U with (tags='[\"drop-by:a\"]') <|\nu,1");
        S.Execute(".drop extents <| .show table T extents | where Tags has \"drop-by:a\"");
        Assert.Equal(0, S.Count("T"));
        Assert.Equal(1, S.Count("U"));
    }

    [Fact]
    public void DropExtents_ByTag_NoMatch_DropsNothing()
    {
        S.Execute(".ingest inline into table T <|\nx,1");
        var dropped = S.Execute(".drop extents <| .show table T extents | where Tags has \"drop-by:zzz\"");
        Assert.Empty(dropped.Rows);
        Assert.Equal(1, S.Count("T"));
    }

    [Fact]
    public void DropExtents_ById()
    {
        var a = (Guid)S.Execute(".ingest inline into table T <|\na,1").Rows[0][0]!;
        var b = (Guid)S.Execute(".ingest inline into table T <|\nb,2").Rows[0][0]!;
        var c = (Guid)S.Execute(".ingest inline into table T <|\nc,3").Rows[0][0]!;

        S.Execute($".drop extents ({a}) from T");
        Assert.Equal(["b|2", "c|3"], S.Dump("T"));
        Assert.Equal(new[] { b, c }.Order(), S.Extents("T").Select(e => e.Id).Order());

        S.Execute($".drop extents ({b}, {c}) from T");
        Assert.Equal(0, S.Count("T"));
        Assert.Empty(S.Extents("T"));
    }

    [Fact]
    public void DropExtents_ById_Quoted()
    {
        var a = (Guid)S.Execute(".ingest inline into table T <|\na,1").Rows[0][0]!;
        S.Execute(".ingest inline into table T <|\nb,2");
        S.Execute($".drop extent '{a}' from T");
        Assert.Equal(["b|2"], S.Dump("T"));
    }

    [Fact]
    public void DropExtents_ById_Bare_AndMultiLine()
    {
        var a = (Guid)S.Execute(".ingest inline into table T <|\na,1").Rows[0][0]!;
        var b = (Guid)S.Execute(".ingest inline into table T <|\nb,2").Rows[0][0]!;
        S.Execute(".ingest inline into table T <|\nc,3");
        S.Execute($".drop extent {a} from T");
        S.Execute($".drop extents (\n  {b.ToString().ToUpperInvariant()}\n)\nfrom T");
        Assert.Equal(["c|3"], S.Dump("T"));
    }

    [Fact]
    public void DropExtents_BadIdList_NamesTheBadId()
    {
        S.Execute(".ingest inline into table T <|\na,1");
        var e = Assert.Throws<KqlException>(() => S.Execute(".drop extents (3f576830-2d8f-481b-8448-bca561090831, nope) from T"));
        Assert.Contains("'nope'", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, e.Line);
        Assert.Equal(54, e.Column);
        Assert.Throws<KqlException>(() => S.Execute(".drop extents () from T"));
        Assert.Equal(1, S.Count("T"));
    }

    [Fact]
    public void DropExtents_UnknownId_Throws_AndDropsNothing()
    {
        var a = (Guid)S.Execute(".ingest inline into table T <|\na,1").Rows[0][0]!;
        var missing = Guid.Parse("00000000-0000-0000-0000-000000000001");
        var e = Assert.Throws<StoreException>(() => S.Execute($".drop extents ({a}, {missing}) from T"));
        Assert.Contains(missing.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Equal(1, S.Count("T"));
    }

    [Fact]
    public void DropExtents_ExtentOfAnotherTable_IsNotDroppedFromThisOne()
    {
        S.Execute(".create table U (a:string)");
        var u = (Guid)S.Execute(".ingest inline into table U <|\nu").Rows[0][0]!;
        S.Execute(".ingest inline into table T <|\nt,1");
        Assert.Throws<StoreException>(() => S.Execute($".drop extents ({u}) from T"));
        Assert.Equal(1, S.Count("U"));
        Assert.Equal(1, S.Count("T"));
    }

    [Fact]
    public void DropExtents_All()
    {
        S.Execute(".create table U (a:string)");
        S.Execute(".ingest inline into table T <|\na,1");
        S.Execute(".ingest inline into table T <|\nb,2");
        S.Execute(".ingest inline into table U <|\nu");
        var dropped = S.Execute(".drop extents from T");
        Assert.Equal(2, dropped.Rows.Count);
        Assert.Equal(0, S.Count("T"));
        Assert.Empty(S.Extents("T"));
        Assert.Equal(1, S.Count("U"));
        Assert.Equal("a:string, n:long", S.Store.Tables.Single(t => t.Name == "T").CslSchema);
    }

    [Fact]
    public void DropExtents_FromMissingTable_Throws()
    {
        var e = Assert.Throws<StoreException>(() => S.Execute(".drop extents from Nope"));
        Assert.Contains("'Nope'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DropExtents_SourceWithoutExtentId_Throws()
    {
        S.Execute(".ingest inline into table T with (tags='[\"drop-by:a\"]') <|\na,1");
        Assert.Throws<StoreException>(() => S.Execute(".drop extents <| .show table T extents | project Tags"));
        Assert.Equal(1, S.Count("T"));
    }

    [Fact]
    public void EveryRow_BelongsToAListedExtent_ThroughEveryCommand()
    {
        void Check()
        {
            var extents = S.Extents("T");
            Assert.Equal(S.Count("T"), extents.Sum(e => e.Rows));
            Assert.Equal(0L, S.Scalar("T | where isnull(ingestion_time()) | count"));
        }

        S.Execute(".ingest inline into table T with (tags='[\"drop-by:a\"]') <|\nx,1\ny,2");
        Check();
        S.Execute(".append T with (tags='[\"w\"]') <| T | where n == 1");
        Check();
        S.Execute(".replace extents in table T tagged 'w' <| T | where n == 2");
        Check();
        S.Execute(".set-or-append T <| print a = 'p', n = 9");
        Check();
        S.Execute(".drop extents <| .show table T extents | where Tags has 'drop-by:a'");
        Check();
        S.Execute(".set-or-replace T <| T | where n > 2");
        Check();
        Assert.Equal(["p|9"], S.Dump("T"));
        Assert.Single(S.Extents("T"));
    }
}
