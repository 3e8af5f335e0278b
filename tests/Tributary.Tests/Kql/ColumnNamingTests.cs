namespace Tributary.Tests.Kql;

/// <summary>Columns computed by unnamed expressions get Kusto's names.</summary>
public sealed class ColumnNamingTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    [Fact]
    public void SummarizeBy_ConversionOfAMember_IsNamedAfterTheMember()
    {
        var result = store.Run("""print d = dynamic({"x":"a","y":{"z":1}}) | summarize count() by tostring(d.x), toint(d.y.z), tostring(d["x"])""");
        Assert.Equal(["d_x", "d_y_z", "d_x1", "count_"], result.Names());
    }

    [Fact]
    public void Extend_FunctionsThatPassTheNameOn_AndThoseThatPrefixIt_AndThoseThatDoNot()
    {
        var result = store.Run("print Name = 'abc', n = 2 | extend strlen(Name), toupper(Name), strcat(Name, 'x') | project-away Name, n");
        Assert.Equal(["strlen_Name", "Column1", "Column2"], result.Names());
        Assert.Equal(["n", "count_"], store.Run("print n = -2 | summarize count() by abs(n)").Names());
    }

    [Fact]
    public void Aggregate_OverAConversion_IsNamedAfterTheColumn()
    {
        var result = store.Run("print n = '5' | summarize sum(tolong(n)), max(todouble(n))");
        Assert.Equal(["sum_n", "max_n"], result.Names());
    }
}
