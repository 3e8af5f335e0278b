using Tributary.Kql;

namespace Tributary.Tests.Kql.Functions;

/// <summary>column_ifexists: the column when the row has it, else the default.</summary>
public sealed class QueryFunctionTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private const string Storms = "datatable(State:string, Count:long)['FLORIDA', 2, 'GEORGIA', 5]";

    [Fact]
    public void ColumnIfExists_MissingColumn_GivesTheDefaultColumn()
    {
        var result = store.Run($"{Storms} | project s = column_ifexists('Capital', State)");
        Assert.Equal(["FLORIDA", "GEORGIA"], result.Column("s"));
    }

    [Fact]
    public void ColumnIfExists_ExistingColumn_GivesIt_AndTheDefaultMayNameAnythingThen()
    {
        var result = store.Run($"{Storms} | extend c = column_ifexists('Count', 0), d = columnifexists('Count', NoSuchColumn)");
        Assert.Equal([2L, 5L], result.Column("c"));
        Assert.Equal([2L, 5L], result.Column("d"));
        Assert.Equal(-1L, store.Run("print r = column_ifexists('x', -1)").Single("r"));
    }

    [Fact]
    public void ColumnIfExists_NameNotConstant_IsAnErrorAtTheName()
    {
        var e = Assert.Throws<KqlException>(() => store.Run($"{Storms} | extend c = column_ifexists(State, 0)"));
        Assert.Contains("constant column name", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 94), (e.Line, e.Column));
    }
}
