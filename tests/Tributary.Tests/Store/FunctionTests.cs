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
