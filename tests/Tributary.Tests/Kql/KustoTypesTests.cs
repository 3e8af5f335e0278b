namespace Tributary.Tests.Kql;

/// <summary>Result types follow Kusto's rules.</summary>
public sealed class KustoTypesTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    [Fact]
    public void IntOpInt_IsALong_AndDoesNotOverflowIntsRange()
    {
        var result = store.Run("print a = int(2147483647) + int(1), b = int(7) / int(2), c = int(-7) % int(3), d = int(3) * int(4)");
        Assert.Equal(2147483648L, result.Single("a"));
        Assert.Equal(3L, result.Single("b"));
        Assert.Equal(2L, result.Single("c"));
        Assert.Equal(12L, result.Single("d"));
        var schema = store.Run("print a = int(2) + int(1) | getschema");
        Assert.Equal("long", schema.Single("ColumnType"));
    }

    [Fact]
    public void Decimal_ArithmeticAndSum_AreExact_NotThroughReal()
    {
        var result = store.Run("print a = decimal(0.1) + decimal(0.2), b = decimal(1) / 3, c = decimal(2) / 8, z = decimal(1) / 0");
        Assert.Equal(0.3m, result.Single("a"));
        Assert.Equal(0.333333333333333333m, result.Single("b"));
        Assert.Equal(0.25m, result.Single("c"));
        Assert.Null(result.Single("z"));
        Assert.Equal(1.0m, store.Run("range x from 1 to 10 step 1 | summarize s = sum(decimal(0.1))").Single("s"));
        Assert.Equal("decimal", store.Run("print d = decimal(1) / 3 | getschema").Single("ColumnType"));
    }
}
