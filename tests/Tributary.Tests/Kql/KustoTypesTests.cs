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
}
