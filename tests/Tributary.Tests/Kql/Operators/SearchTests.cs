using Tributary.Kql;

namespace Tributary.Tests.Kql.Operators;

/// <summary>search over one input, named tables and every table, after Kusto's documented examples.</summary>
public sealed class SearchTests(SearchTests.Sales store) : IClassFixture<SearchTests.Sales>
{
    /// <summary>A small sales database: customers, products and sales.</summary>
    public sealed class Sales : KqlStoreFixture
    {
        public Sales()
        {
            Run(".create table Customers (CustomerKey:long, FirstName:string, LastName:string, CityName:string)");
            Run(".ingest inline into table Customers <| 16549,Mason,Green,Ballard\n802,Aaron,Sharma,Redmond\n986,Melanie,Hughes,Greenfield\n10152,Aaron,Campbell,Seattle\n7,Lisa,green,Tacoma");
            Run(".create table Products (ProductName:string, Manufacturer:string, ColorName:string, ClassName:string)");
            Run(".ingest inline into table Products <| Contoso Clock X850 Green,\"Contoso, Ltd\",Green,Deluxe\n" +
                "Proseware Scanner M300 Green,\"Proseware, Inc.\",Green,Regular\nLitware Fan E901 blue,\"Litware, Inc.\",blue,Economy\n" +
                "Litware Lamp Blue,\"Litware, Inc.\",Blue,Regular\nNorthwind Phone,Northwind Traders,Green,Regular");
            Run(".create table SalesTable (DateKey:datetime, CustomerName:string, SalesAmount_real:real)");
            Run(".ingest inline into table SalesTable <| 2021-12-13T00:00:00Z,Hughes,446.4715\n2008-05-01T00:00:00Z,Hughes,120.555\n2021-12-13T00:00:00Z,Sharma,48.44");
        }
    }

    private static List<(string Table, string Text)> Rows(Tributary.Query.QueryResult result, string column) =>
        result.Rows.Select(r => ((string)r[result.IndexOf("$table")]!, QueryResultExtensions.Text(r[result.IndexOf(column)]))).Order().ToList();

    [Fact]
    public void Search_Term_Documented_FindsTheWordInAnyColumnOfEveryTable()
    {
        var result = store.Run("search \"Green\"");

        Assert.Equal("$table", result.Names()[0]);
        Assert.Equal(["Customers", "Customers", "Products", "Products", "Products"], result.Column<string>("$table").Order());
        Assert.Equal(["Green", "green"], result.Column<string>("LastName").Where(n => n != "").Order(StringComparer.Ordinal));
        Assert.Contains("Northwind Phone", result.Column<string>("ProductName"));
    }

    [Fact]
    public void Search_Term_IsAWholeTerm_NotASubstring()
    {
        var result = store.Run("search in (Customers) \"Green\" | project FirstName");

        Assert.DoesNotContain("Melanie", result.Column<string>("FirstName"));
    }

    [Fact]
    public void Search_AndOr_Documented()
    {
        var result = store.Run("search \"Green\" and (\"Deluxe\" or \"Proseware\")");

        Assert.Equal([("Products", "Contoso Clock X850 Green"), ("Products", "Proseware Scanner M300 Green")], Rows(result, "ProductName"));
    }

    [Fact]
    public void Search_InTables_Documented_LooksOnlyThere()
    {
        var result = store.Run("search in (Products) \"Green\"");

        Assert.Equal(["$table", "ProductName", "Manufacturer", "ColorName", "ClassName"], result.Names());
        Assert.Equal(3, result.Rows.Count);
    }

    [Fact]
    public void Search_CaseSensitive_Documented()
    {
        var sensitive = store.Run("search kind=case_sensitive \"blue\"");
        var insensitive = store.Run("search \"blue\"");

        Assert.Equal([("Products", "Litware Fan E901 blue")], Rows(sensitive, "ProductName"));
        Assert.Equal([("Products", "Litware Fan E901 blue"), ("Products", "Litware Lamp Blue")], Rows(insensitive, "ProductName"));
    }

    [Fact]
    public void Search_ColumnTerms_Documented()
    {
        var result = store.Run("search FirstName:\"Aaron\" or LastName:\"Hughes\"");

        Assert.Equal([("Customers", "Aaron"), ("Customers", "Aaron"), ("Customers", "Melanie")], Rows(result, "FirstName"));
    }

    [Fact]
    public void Search_TermAndComparison_Documented_LeavesOutTablesWithoutTheColumn()
    {
        var result = store.Run("search \"Hughes\" and DateKey > datetime('2009-01-01')");

        Assert.Equal([("SalesTable", "446.4715")], Rows(result, "SalesAmount_real"));
    }

    [Theory]
    [InlineData("\"Gree*\"", 6)]
    [InlineData("\"*reen\"", 5)]
    [InlineData("\"*ree*\"", 6)]
    [InlineData("\"Con*X850\"", 1)]
    [InlineData("\"Contoso*Green\"", 1)]
    [InlineData("\"*\"", 13)]
    [InlineData("*", 13)]
    public void Search_Wildcards(string term, int rows) =>
        Assert.Equal(rows, store.Run("search " + term).Rows.Count);

    [Fact]
    public void Search_StarHas_IsTheLongFormOfATerm() =>
        Assert.Equal(store.Run("search \"Hughes\"").Rows.Count, store.Run("search * has \"Hughes\"").Rows.Count);

    [Fact]
    public void Search_Piped_NamesTheInputTable()
    {
        var result = store.Run("Customers | search \"Aaron\" | project-away CustomerKey");

        Assert.Equal(["$table", "FirstName", "LastName", "CityName"], result.Names());
        Assert.Equal(["Customers", "Customers"], result.Column("$table"));
    }

    [Fact]
    public void Search_Piped_UnknownColumn_ErrorWithPosition()
    {
        var error = Assert.Throws<KqlException>(() => store.Run("Customers | search Colour:\"x\""));

        Assert.Contains("unknown column 'Colour'", error.Message);
        Assert.Equal((1, 20), (error.Line, error.Column));
    }

    [Fact]
    public void Search_NumberColumn_IsSearchedAsText() =>
        Assert.Equal(["Mason"], store.Run("search \"16549\" | project FirstName").Column<string>("FirstName"));

    [Fact]
    public void Search_Not_ExcludesTheTerm()
    {
        var result = store.Run("search in (Customers) not(\"Aaron\") and not(\"green\")");

        Assert.Equal(["Melanie"], result.Column<string>("FirstName"));
    }

    [Fact]
    public void Search_InLet_IsATabularExpression() =>
        Assert.Equal(2L, store.Run("let aarons = search \"Aaron\"; aarons | count").Single("Count"));

    [Fact]
    public void Search_ColumnNoTableHas_ErrorWithPosition()
    {
        var error = Assert.Throws<KqlException>(() => store.Run("search FirstNam:\"Aaron\""));

        Assert.Contains("no table searched has a column 'FirstNam'", error.Message);
        Assert.Contains("FirstName", error.Message);
        Assert.Equal((1, 8), (error.Line, error.Column));
    }

    [Fact]
    public void Search_InAfterPipe_Error()
    {
        var error = Assert.Throws<KqlException>(() => store.Run("Customers | search in (Products) \"x\""));

        Assert.Contains("search after '|' searches its input", error.Message);
    }

    [Fact]
    public void Search_UnknownKind_ErrorWithPosition()
    {
        var error = Assert.Throws<KqlException>(() => store.Run("search kind=loose \"x\""));

        Assert.Contains("unknown search kind 'loose'", error.Message);
        Assert.Equal((1, 13), (error.Line, error.Column));
    }

    [Fact]
    public void Search_DoesNotLookInSystemTables()
    {
        store.Run("print 'Zanzibar'");

        Assert.Empty(store.Run("search \"Zanzibar\"").Rows);
    }
}
