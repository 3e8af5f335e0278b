using Tributary.Kql;

namespace Tributary.Tests.Kql.Functions;

/// <summary>hash() and hash_xxhash64() against the examples of Kusto's documentation.</summary>
public sealed class HashFunctionTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private object? Print(string expression) => store.Run($"print r = {expression}").Single("r");

    [Theory]
    [InlineData("hash_xxhash64('World')", 1846988464401551951L)]
    [InlineData("hash_xxhash64('World', 100)", 51L)]
    [InlineData("hash_xxhash64(datetime('2015-01-01'))", 1380966698541616202L)]
    [InlineData("hash('World')", 1846988464401551951L)]
    [InlineData("hash('World', 100)", 51L)]
    public void XxHash64_MatchesKustosDocumentedExamples(string expression, long expected)
    {
        Assert.Equal(expected, Print(expression));
    }

    [Fact]
    public void XxHash64_OfATimespan_IsTheHashOfItsTicks_AndAColumnHashesRowByRow()
    {
        Assert.Equal(Print("hash(tolong(1h))"), Print("hash(1h)"));
        var result = store.Run("print s = 'World' | union (print s = 'Hello') | extend h = hash(s, 1000)");
        Assert.Equal([951L, Print("hash('Hello', 1000)")], result.Column("h"));
    }

    [Fact]
    public void XxHash64_ModuloNotPositive_IsAnErrorAtTheArgument()
    {
        var e = Assert.Throws<KqlException>(() => store.Run("print hash('x', 0)"));
        Assert.Contains("modulo of a hash must be positive, not 0", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 17), (e.Line, e.Column));
    }
}
