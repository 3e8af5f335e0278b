using Tributary.Kql;
using Tributary.Store;

namespace Tributary.Tests.Store;

public sealed class FunctionTests : StoreTestBase
{
    public FunctionTests()
    {
        S.Execute(".create table T (name:string, n:long)");
        S.Execute(".ingest inline into table T <|\nx,1\ny,5\nz,9\nw,12");
    }

    [Fact]
    public void CreateOrAlter_ThenCall()
    {
        var created = S.Execute(".create-or-alter function f(a:long) { T | where n > a }");
        Assert.Equal("f", created.Rows.Single()[created.IndexOf("Name")]);
        Assert.Equal(["z", "w"], S.Column("f(5) | order by n asc", "name"));
        Assert.Equal(2L, S.Scalar("f(5) | count"));
        Assert.Equal(4L, S.Scalar("f(0) | count"));
    }

    [Fact]
    public void CreateOrAlter_ReplacesTheBody()
    {
        S.Execute(".create-or-alter function f(a:long) { T | where n > a }");
        S.Execute(".create-or-alter function f(a:long) { T | where n < a }");
        Assert.Equal(["x"], S.Column("f(5)", "name"));
        Assert.Single(S.Rows(".show functions"));
    }

    [Fact]
    public void Function_WithoutParameters_AndDefaults()
    {
        S.Execute(".create function Big() { T | where n >= 9 }");
        S.Execute(".create function Above(lo:long = 4) { T | where n > lo }");
        Assert.Equal(2L, S.Scalar("Big | count"));
        Assert.Equal(2L, S.Scalar("Big() | count"));
        Assert.Equal(3L, S.Scalar("Above() | count"));
        Assert.Equal(1L, S.Scalar("Above(10) | count"));
    }

    [Fact]
    public void Function_WithATableParameter_TakesATableOrTheRowsOfInvoke_AndSurvivesARestart()
    {
        S.Execute(".create function with (docstring='rows of R above lo') Above(R:(n:long), lo:long = 4) { R | where n > lo }");

        Assert.Equal(["z", "w"], S.Column("Above(T, 5) | order by n asc", "name"));
        Assert.Equal(3L, S.Scalar("Above(T) | count"));
        Assert.Equal(1L, S.Scalar("T | invoke Above(10) | count"));
        Assert.Equal(2L, S.Scalar("range n from 1 to 6 step 1 | invoke Above() | count"));
        Assert.Equal("(R:(n:long), lo:long = 4)", S.Rows(".show functions").Single()[1]);

        S.Reopen();
        Assert.Equal(3L, S.Scalar("Above(T) | count"));
        var e = Assert.Throws<KqlException>(() => S.Execute("Above(5)"));
        Assert.Contains("argument 'R' of 'Above' must be a table", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<KqlException>(() => S.Execute("T | project name | invoke Above()"));
        Assert.Contains("the table given for parameter 'R' of 'Above' has no column 'n' (Above declares R:(n:long))", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<KqlException>(() => S.Execute("Above(T | extend n = tostring(n))"));
        Assert.Contains("column 'n' of the table given for parameter 'R' of 'Above' is string, but Above declares R:(n:long)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Function_WithAnyTableParameter_IsCheckedWhenCalled()
    {
        S.Execute(".create function Firsts(R:(*), k:long) { R | take k }");
        Assert.Equal(2L, S.Scalar("Firsts(T, 2) | count"));
        Assert.Equal("(R:(*), k:long)", S.Rows(".show functions").Single()[1]);
        var e = Assert.Throws<KqlException>(() => S.Execute(".create function Bad(R:(n:long)) { R | where nosuch > 1 }"));
        Assert.Contains("nosuch", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".create function F(R:(n)) { R }", "expected ':' and a type after column 'n'")]
    [InlineData(".create function F(R:(n:long { R }", "expected ')' to close the columns of table parameter 'R'")]
    [InlineData(".create function F(R:(n:nosuchtype)) { R }", "unknown type 'nosuchtype'")]
    public void Function_BadTableParameter_IsAnError_AndNothingIsStored(string command, string message)
    {
        var e = Assert.Throws<KqlException>(() => S.Execute(command));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Empty(S.Rows(".show functions"));
    }

    [Fact]
    public void Function_CanCallAnotherFunction()
    {
        S.Execute(".create function f(a:long) { T | where n > a }");
        S.Execute(".create function g() { f(5) | summarize c = count() }");
        Assert.Equal(2L, S.Scalar("g"));
    }

    [Fact]
    public void ShowFunctions_ListsNameParametersBodyFolderDocString()
    {
        S.Execute(".create-or-alter function with (folder='jobs', docstring='rows above a') f(a:long) { T | where n > a }");
        S.Execute(".create function b() { T }");
        var result = S.Execute(".show functions");
        Assert.Equal(["b", "f"], result.Rows.Select(r => r[result.IndexOf("Name")]));
        var f = result.Rows[1];
        Assert.Equal("(a:long)", f[result.IndexOf("Parameters")]);
        Assert.Equal("{ T | where n > a }", f[result.IndexOf("Body")]);
        Assert.Equal("jobs", f[result.IndexOf("Folder")]);
        Assert.Equal("rows above a", f[result.IndexOf("DocString")]);

        S.Execute(".create-or-alter with (folder='other') function b() { T }");
        Assert.Equal("other", S.Execute(".show function b").Rows[0][result.IndexOf("Folder")]);

        var one = S.Execute(".show function f");
        Assert.Equal("f", Assert.Single(one.Rows)[0]);
    }

    [Fact]
    public void CreateFunction_WhenItExists_Throws_AndKeepsTheOldOne()
    {
        S.Execute(".create function f(a:long) { T | where n > a }");
        var e = Assert.Throws<StoreException>(() => S.Execute(".create function f(a:long) { T | where n < a }"));
        Assert.Contains("'f'", e.Message, StringComparison.Ordinal);
        Assert.Contains("already exists", e.Message, StringComparison.Ordinal);
        Assert.Equal(["z", "w"], S.Column("f(5) | order by n asc", "name"));
    }

    [Fact]
    public void DropFunction()
    {
        S.Execute(".create function f(a:long) { T | where n > a }");
        S.Execute(".drop function f");
        Assert.Empty(S.Rows(".show functions"));
        Assert.Throws<KqlException>(() => S.Execute("f(5)"));

        var e = Assert.Throws<StoreException>(() => S.Execute(".drop function f"));
        Assert.Contains("'f'", e.Message, StringComparison.Ordinal);
        S.Execute(".drop function f ifexists");
        Assert.Throws<StoreException>(() => S.Execute(".show function f"));
    }

    [Fact]
    public void CreateFunction_UnknownTable_IsRefused()
    {
        var e = Assert.Throws<KqlException>(() => S.Execute(".create-or-alter function g() { Nope | take 1 }"));
        Assert.Contains("Nope", e.Message, StringComparison.Ordinal);
        Assert.Empty(S.Rows(".show functions"));
    }

    [Fact]
    public void CreateFunction_UnknownColumn_IsRefused()
    {
        var e = Assert.Throws<KqlException>(() => S.Execute(".create-or-alter function g(a:long) { T | where nosuch > a }"));
        Assert.Contains("nosuch", e.Message, StringComparison.Ordinal);
        Assert.Empty(S.Rows(".show functions"));
    }

    [Fact]
    public void CreateFunction_BadSyntax_IsRefused()
    {
        Assert.Throws<KqlException>(() => S.Execute(".create-or-alter function g(a:long) { T | where }"));
        Assert.Throws<KqlException>(() => S.Execute(".create-or-alter function g(a:nosuchtype) { T }"));
        Assert.Throws<KqlException>(() => S.Execute(".create-or-alter function g(a:long) { T "));
        Assert.Empty(S.Rows(".show functions"));
    }

    [Fact]
    public void TablesAndFunctions_ShareOneNamespace()
    {
        Assert.Throws<StoreException>(() => S.Execute(".create function T() { print x = 1 }"));
        S.Execute(".create function f() { T }");
        Assert.Throws<StoreException>(() => S.Execute(".create table f (a:string)"));
        Assert.DoesNotContain(S.Store.Tables, t => t.Name == "f");
    }

    [Fact]
    public void Function_ParameterNamedLikeAColumn_TheColumnWins()
    {
        // Kusto's scoping: a column of the row in hand shadows a parameter of the same name.
        S.Execute(".create function f(n:long) { T | where n > 5 }");
        Assert.Equal(2L, S.Scalar("f(100) | count"));
    }

    [Fact]
    public void Function_UsedInSetOrAppend()
    {
        S.Execute(".create function f(a:long) { T | where n > a }");
        S.Execute(".set-or-append Big <| f(5)");
        Assert.Equal(["w|12", "z|9"], S.Dump("Big"));
    }
}
