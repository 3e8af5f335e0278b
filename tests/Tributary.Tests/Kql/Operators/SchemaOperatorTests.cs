using Tributary.Kql;

namespace Tributary.Tests.Kql.Operators;

/// <summary>assert-schema, project-by-names (with Kusto's documented examples) and consume.</summary>
public sealed class SchemaOperatorTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private const string People = "datatable(Name:string, Age:int, City:string, Country:string)['Peter', 39, 'New York', 'USA']";

    private const string LookupColumns =
        "let LookupTable = datatable(Name:string, Age:int, City:string, Country:string)['Peter', 39, 'New York', 'USA'];\n" +
        "let LookupColumns = (Source:(Name:string), lookup_columns: dynamic) { Source | lookup LookupTable on Name | project-by-names column_names_of(Source), lookup_columns };\n";

    [Fact]
    public void ProjectByNames_Names_Documented()
    {
        var result = store.Run(People + " | project-by-names \"Name\", \"City\"");

        Assert.Equal(["Name", "City"], result.Names());
        Assert.Equal(["Peter", "New York"], result.Rows.Single());
    }

    [Fact]
    public void ProjectByNames_DynamicArray_Documented()
    {
        var result = store.Run(People + " | project-by-names dynamic([\"Name\", \"Country\"])");

        Assert.Equal(["Name", "Country"], result.Names());
        Assert.Equal(["Peter", "USA"], result.Rows.Single());
    }

    [Fact]
    public void ProjectByNames_Pattern_Documented()
    {
        var result = store.Run(People + " | project-by-names \"C*\"");

        Assert.Equal(["City", "Country"], result.Names());
    }

    [Fact]
    public void ProjectByNames_ColumnNamesOfAndParameter_Documented()
    {
        var result = store.Run(LookupColumns + "LookupColumns(datatable(Name:string, Data:string)['Peter', 'Source-data'], dynamic(['Country']))");

        Assert.Equal(["Name", "Data", "Country"], result.Names());
        Assert.Equal(["Peter", "Source-data", "USA"], result.Rows.Single());
    }

    [Fact]
    public void ProjectByNames_NameNoColumnHas_IsIgnored_Documented()
    {
        var result = store.Run(LookupColumns + "LookupColumns(datatable(Name:string, Data:string)['Peter', 'Source-data'], dynamic(['Country', 'NonExistent']))");

        Assert.Equal(["Name", "Data", "Country"], result.Names());
    }

    [Fact]
    public void ProjectByNames_OrderNamedAndEachColumnOnce()
    {
        var result = store.Run(People + " | project-by-names \"Country\", \"*\", \"Age\"");

        Assert.Equal(["Country", "Name", "Age", "City"], result.Names());
    }

    [Fact]
    public void ProjectByNames_LetConstant()
    {
        var result = store.Run("let wanted = dynamic(['Age']); " + People + " | project-by-names wanted");

        Assert.Equal(39, result.Single("Age"));
    }

    [Fact]
    public void ProjectByNames_KeepsSortOrder()
    {
        var result = store.Run("range x from 1 to 5 step 1 | extend y = -x | sort by y asc | project-by-names 'x'");

        Assert.Equal([5L, 4L, 3L, 2L, 1L], result.Column("x"));
    }

    [Fact]
    public void ProjectByNames_Expression_ErrorWithPosition()
    {
        var error = Assert.Throws<KqlException>(() => store.Run(People + " | project-by-names strcat(Name, 'x')"));

        Assert.Contains("unknown name 'Name'", error.Message);
    }

    [Fact]
    public void ProjectByNames_NonConstant_ErrorWithPosition()
    {
        var error = Assert.Throws<KqlException>(() => store.Run("print a = 1 | project-by-names toscalar(print 'a')"));

        Assert.Contains("project-by-names takes constant column names", error.Message);
        Assert.Equal((1, 32), (error.Line, error.Column));
    }

    [Fact]
    public void ProjectByNames_ArrayOfNumbers_Error() =>
        Assert.Contains("dynamic array of column names", Assert.Throws<KqlException>(() => store.Run("print a = 1 | project-by-names dynamic([1])")).Message);

    [Fact]
    public void AssertSchema_Matching_PassesTheRowsThrough()
    {
        var result = store.Run(People + " | assert-schema (Name: string, Age: int) | project Age");

        Assert.Equal(39, result.Single("Age"));
    }

    [Fact]
    public void AssertSchema_MissingColumn_ErrorWithPosition()
    {
        var error = Assert.Throws<KqlException>(() => store.Run("print Name = 'x' | assert-schema (Name: string, Nme: long)"));

        Assert.Contains("assert-schema: the input has no column 'Nme'", error.Message);
        Assert.Equal((1, 49), (error.Line, error.Column));
    }

    [Fact]
    public void AssertSchema_OtherType_ErrorWithPosition()
    {
        var error = Assert.Throws<KqlException>(() => store.Run("print n = 1 | assert-schema (n: int)"));

        Assert.Contains("column 'n' is long, not int", error.Message);
        Assert.Equal((1, 30), (error.Line, error.Column));
    }

    [Fact]
    public void Consume_GivesNoRowsAndTheColumns()
    {
        var result = store.Run(People + " | consume");

        Assert.Empty(result.Rows);
        Assert.Equal(["Name", "Age", "City", "Country"], result.Names());
    }

    [Fact]
    public void Consume_DecodeBlocks_IsAccepted() =>
        Assert.Empty(store.Run("range x from 1 to 1000 step 1 | consume decodeblocks=true").Rows);

    [Fact]
    public void Consume_DecodeBlocksNotBool_ErrorWithPosition()
    {
        var error = Assert.Throws<KqlException>(() => store.Run("print a = 1 | consume decodeblocks=1"));

        Assert.Contains("decodeblocks is true or false", error.Message);
        Assert.Equal((1, 36), (error.Line, error.Column));
    }
}
