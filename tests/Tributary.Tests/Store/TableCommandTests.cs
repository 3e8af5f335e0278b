using Tributary.Kql;
using Tributary.Store;

namespace Tributary.Tests.Store;

public sealed class TableCommandTests : StoreTestBase
{
    private const string AllTypes =
        "(s:string, i:int, n:long, r:real, d:decimal, b:bool, t:datetime, ts:timespan, g:guid, dy:dynamic)";

    private const string AllTypesCsl =
        "s:string, i:int, n:long, r:real, d:decimal, b:bool, t:datetime, ts:timespan, g:guid, dy:dynamic";

    [Fact]
    public void CreateTable_AllTypes_StoresAndReadsEveryType()
    {
        var created = S.Execute($".create table T {AllTypes}");
        Assert.Equal(AllTypesCsl, created.Rows[0][created.IndexOf("Schema")]);

        var g = Guid.Parse("3f576830-2d8f-481b-8448-bca561090831");
        S.Execute($$"""
            .ingest inline into table T <|
            hello,7,9000000000,2.5,12.345,true,2024-01-02T03:04:05Z,01:30:00,{{g}},"{""k"":[1,2]}"
            """);

        var result = S.Execute("T");
        Assert.Equal(
            new[] { KqlType.String, KqlType.Int, KqlType.Long, KqlType.Real, KqlType.Decimal, KqlType.Bool, KqlType.DateTime, KqlType.TimeSpan, KqlType.Guid, KqlType.Dynamic },
            result.Columns.Select(c => c.Type));
        var row = Assert.Single(result.Rows);
        Assert.Equal("hello", row[0]);
        Assert.Equal(7, row[1]);
        Assert.Equal(9_000_000_000L, row[2]);
        Assert.Equal(2.5, row[3]);
        Assert.Equal(12.345m, row[4]);
        Assert.Equal(true, row[5]);
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), row[6]);
        Assert.Equal(DateTimeKind.Utc, ((DateTime)row[6]!).Kind);
        Assert.Equal(TimeSpan.FromMinutes(90), row[7]);
        Assert.Equal(g, row[8]);
        Assert.Equal("""{"k":[1,2]}""", ((string)row[9]!).Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public void CreateTable_HiddenColumnsAreNotVisible()
    {
        S.Execute(".create table T (a:string)");
        var result = S.Execute("T");
        Assert.Equal(["a"], result.Columns.Select(c => c.Name));
    }

    [Fact]
    public void CreateTable_MissingCsvFieldsAreEmptyStringOrNull()
    {
        S.Execute(".create table T (a:string, n:long, s:string)");
        S.Execute(".ingest inline into table T <|\nx");
        var row = Assert.Single(S.Rows("T"));
        Assert.Equal("x", row[0]);
        Assert.Null(row[1]);
        Assert.Equal("", row[2]);
    }

    [Fact]
    public void CreateTable_Again_SameSchema_IsNoOp()
    {
        S.Execute(".create table T (a:string, n:long)");
        S.Execute(".ingest inline into table T <|\nx,1");
        var again = S.Execute(".create table T (a:string, n:long)");
        Assert.Equal("a:string, n:long", again.Rows[0][again.IndexOf("Schema")]);
        Assert.Equal(1, S.Count("T"));
        Assert.Single(S.Extents("T"));
    }

    [Fact]
    public void CreateTable_Again_DifferentSchema_Throws()
    {
        S.Execute(".create table T (a:string, n:long)");
        var e = Assert.Throws<StoreException>(() => S.Execute(".create table T (a:string, n:int)"));
        Assert.Contains("'T'", e.Message, StringComparison.Ordinal);
        Assert.Contains("already exists", e.Message, StringComparison.Ordinal);
        Assert.Throws<StoreException>(() => S.Execute(".create table T (a:string)"));
        Assert.Throws<StoreException>(() => S.Execute(".create table T (a:string, n:long, x:real)"));
        Assert.Equal("a:string, n:long", S.Store.Tables.Single().CslSchema);
    }

    [Fact]
    public void CreateMerge_AddsColumns_KeepsRows()
    {
        S.Execute(".create table T (a:string, n:long)");
        S.Execute(".ingest inline into table T <|\nx,1");
        var merged = S.Execute(".create-merge table T (a:string, c:string, r:real)");
        Assert.Equal("a:string, n:long, c:string, r:real", merged.Rows[0][merged.IndexOf("Schema")]);

        var row = Assert.Single(S.Rows("T"));
        Assert.Equal(new object?[] { "x", 1L, "", null }, row);

        S.Execute(".ingest inline into table T <|\ny,2,cc,1.5");
        Assert.Equal(["x|1||null", "y|2|cc|1.5"], S.Dump("T"));
    }

    [Fact]
    public void CreateMerge_SameColumns_IsNoOp()
    {
        S.Execute(".create table T (a:string, n:long)");
        S.Execute(".create-merge table T (n:long)");
        Assert.Equal("a:string, n:long", S.Store.Tables.Single().CslSchema);
    }

    [Fact]
    public void CreateMerge_MissingTable_CreatesIt()
    {
        S.Execute(".create-merge table T (a:string)");
        Assert.Equal("a:string", S.Store.Tables.Single().CslSchema);
    }

    [Fact]
    public void CreateMerge_RefusesToChangeAType()
    {
        S.Execute(".create table T (a:string, n:long)");
        S.Execute(".ingest inline into table T <|\nx,1");
        var e = Assert.Throws<StoreException>(() => S.Execute(".create-merge table T (z:string, n:int)"));
        Assert.Contains("'n'", e.Message, StringComparison.Ordinal);
        Assert.Contains("long", e.Message, StringComparison.Ordinal);
        Assert.Contains("int", e.Message, StringComparison.Ordinal);
        // Nothing changed: the new column z was not added either.
        Assert.Equal("a:string, n:long", S.Store.Tables.Single().CslSchema);
        Assert.Equal(["x|1"], S.Dump("T"));
    }

    [Fact]
    public void DropTable_RemovesTableRowsAndExtents()
    {
        S.Execute(".create table T (a:string)");
        S.Execute(".create table U (a:string)");
        S.Execute(".ingest inline into table T <|\nx");
        S.Execute(".drop table T");
        Assert.Equal(["U"], S.Column(".show tables", "TableName"));
        Assert.Empty(S.Rows(".show extents"));
        Assert.Throws<KqlException>(() => S.Execute("T"));

        // The name can be used again, with a fresh (empty) table.
        S.Execute(".create table T (b:long)");
        Assert.Equal(0, S.Count("T"));
    }

    [Fact]
    public void DropTable_Missing_Throws_UnlessIfExists()
    {
        S.Execute(".create table U (a:string)");
        var e = Assert.Throws<StoreException>(() => S.Execute(".drop table T"));
        Assert.Contains("'T'", e.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);

        var result = S.Execute(".drop table T ifexists");
        Assert.Equal(["U"], S.Column(".show tables", "TableName"));
        Assert.Equal(0, result.IndexOf("TableName"));
    }

    [Fact]
    public void ShowTables_ListsSortedNames()
    {
        Assert.Empty(S.Rows(".show tables"));
        S.Execute(".create table b (a:string)");
        S.Execute(".create table a (a:string)");
        S.Execute(".create table C (a:string)");
        Assert.Equal(["C", "a", "b"], S.Column(".show tables", "TableName"));
        Assert.Equal(["Tributary", "Tributary", "Tributary"], S.Column(".show tables", "DatabaseName"));
    }

    [Fact]
    public void ShowTables_CanBePiped()
    {
        S.Execute(".create table Alpha (a:string)");
        S.Execute(".create table Beta (a:string)");
        Assert.Equal(["Beta"], S.Column(".show tables | where TableName startswith 'B' | project TableName", "TableName"));
    }

    [Fact]
    public void ShowSchema_SchemaAndCslSchema()
    {
        S.Execute($".create table T {AllTypes}");
        foreach (var command in new[] { ".show table T schema", ".show table T cslschema" })
        {
            var result = S.Execute(command);
            var row = Assert.Single(result.Rows);
            Assert.Equal("T", row[result.IndexOf("TableName")]);
            Assert.Equal(AllTypesCsl, row[result.IndexOf("Schema")]);
        }
    }

    [Fact]
    public void ShowSchema_AsJson_UsesKustoTypeNames()
    {
        S.Execute(".create table T (s:string, i:int, n:long, r:real, b:bool, t:datetime, ts:timespan, g:guid, dy:dynamic, d:decimal)");
        var json = (string)S.Execute(".show table T schema as json").Rows[0][1]!;
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal("T", doc.RootElement.GetProperty("Name").GetString());
        var columns = doc.RootElement.GetProperty("OrderedColumns").EnumerateArray()
            .Select(c => $"{c.GetProperty("Name").GetString()}:{c.GetProperty("CslType").GetString()}:{c.GetProperty("Type").GetString()}")
            .ToList();
        Assert.Equal(
            [
                "s:string:System.String", "i:int:System.Int32", "n:long:System.Int64", "r:real:System.Double", "b:bool:System.SByte",
                "t:datetime:System.DateTime", "ts:timespan:System.TimeSpan", "g:guid:System.Guid", "dy:dynamic:System.Object",
                "d:decimal:System.Data.SqlTypes.SqlDecimal",
            ],
            columns);
    }

    [Fact]
    public void ShowSchema_MissingTable_Throws()
    {
        var e = Assert.Throws<StoreException>(() => S.Execute(".show table Nope schema"));
        Assert.Contains("'Nope'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TableNames_AreCaseSensitive_WithSuggestion()
    {
        S.Execute(".create table Events (a:string)");
        var e = Assert.Throws<StoreException>(() => S.Execute(".ingest inline into table events <|\nx"));
        Assert.Contains("'events'", e.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'Events'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NamesDifferingOnlyInCase_AreRefusedCleanly()
    {
        // Kusto names are case-sensitive, DuckDB's are not: the clash is refused and changes nothing.
        S.Execute(".create table Tt (a:string)");
        Assert.Throws<StoreException>(() => S.Execute(".create table tt (a:string)"));
        Assert.Throws<StoreException>(() => S.Execute(".create table Cc (a:string, A:long)"));
        Assert.Throws<StoreException>(() => S.Execute(".create-merge table Tt (A:long)"));
        Assert.Equal(["Tt"], S.Column(".show tables", "TableName"));
        Assert.Equal("a:string", S.Store.Tables.Single().CslSchema);
        S.Execute(".ingest inline into table Tt <|\nx");
        Assert.Equal(1, S.Count("Tt"));
    }
}
