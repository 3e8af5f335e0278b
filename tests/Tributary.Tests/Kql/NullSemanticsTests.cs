namespace Tributary.Tests.Kql;

/// <summary>Nulls follow Kusto's documented rules, not SQL's.</summary>
public sealed class NullSemanticsTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    [Fact]
    public void Equality_NullAgainstAValue_IsFalse_InequalityTrue_NullAgainstNullIsNull()
    {
        var result = store.Run("""
            datatable(val:int)[5, int(null)]
            | extend IsBiggerThan3 = val > 3, IsEqualToNull = val == int(null), IsNotEqualToNull = val != int(null), IsFive = val == 5, IsNotFive = val != 5
            """);
        Assert.Equal([true, null], result.Column("IsBiggerThan3"));
        Assert.Equal([false, null], result.Column("IsEqualToNull"));
        Assert.Equal([true, null], result.Column("IsNotEqualToNull"));
        Assert.Equal([true, false], result.Column("IsFive"));
        Assert.Equal([false, true], result.Column("IsNotFive"));
    }

    [Fact]
    public void Where_KeepsTheNullThatIsNotFive_AndDropsRowsWhosePredicateIsNull()
    {
        var kept = store.Run("""datatable(ival:int, sval:string)[5, "a", int(null), "b"] | where ival != 5""");
        Assert.Equal(["b"], kept.Column("sval"));
        Assert.Equal([null], kept.Column("ival"));
        Assert.Equal(0L, store.Run("datatable(ival:int)[int(null)] | where ival > 3 | count").Single("Count"));
    }

    [Fact]
    public void Equality_OfTwoColumns_NullOnOneSideIsUnequal()
    {
        var result = store.Run("datatable(a:long, b:long)[1, 1, 1, long(null), long(null), long(null)] | extend eq = a == b, ne = a != b");
        Assert.Equal([true, false, null], result.Column("eq"));
        Assert.Equal([false, true, null], result.Column("ne"));
    }

    [Fact]
    public void Print_NullOfAnyTypeAgainstAValue()
    {
        var result = store.Run("print a = int(null) != 5, b = datetime(null) == datetime(2020-01-01), c = real(null) == real(null)");
        Assert.Equal(true, result.Single("a"));
        Assert.Equal(false, result.Single("b"));
        Assert.Null(result.Single("c"));
    }
}
