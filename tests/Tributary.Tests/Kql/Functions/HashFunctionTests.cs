using Tributary.Kql;

namespace Tributary.Tests.Kql.Functions;

/// <summary>hash(), hash_xxhash64() and the cryptographic hashes against the examples of Kusto's documentation.</summary>
public sealed class HashFunctionTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    [Theory]
    [InlineData("hash_xxhash64('World')", 1846988464401551951L)]
    [InlineData("hash_xxhash64('World', 100)", 51L)]
    [InlineData("hash_xxhash64(datetime('2015-01-01'))", 1380966698541616202L)]
    [InlineData("hash('World')", 1846988464401551951L)]
    [InlineData("hash('World', 100)", 51L)]
    public void XxHash64_MatchesKustosDocumentedExamples(string expression, long expected)
    {
        Assert.Equal(expected, store.Print(expression));
    }

    [Fact]
    public void XxHash64_OfATimespan_IsTheHashOfItsTicks_AndAColumnHashesRowByRow()
    {
        Assert.Equal(store.Print("hash(tolong(1h))"), store.Print("hash(1h)"));
        var result = store.Run("print s = 'World' | union (print s = 'Hello') | extend h = hash(s, 1000)");
        Assert.Equal([951L, store.Print("hash('Hello', 1000)")], result.Column("h"));
    }

    [Fact]
    public void XxHash64_ModuloNotPositive_IsAnErrorAtTheArgument()
    {
        var e = Assert.Throws<KqlException>(() => store.Run("print hash('x', 0)"));
        Assert.Contains("modulo of a hash must be positive, not 0", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 17), (e.Line, e.Column));
    }

    [Theory]
    [InlineData("hash_md5('World')", "f5a7924e621e84c9280a9a27e1bcb7f6")]
    [InlineData("hash_md5(datetime(2020-01-01))", "786c530672d1f8db31fee25ea8a9390b")]
    [InlineData("hash_md5('TEXAS')", "3b00dbe6e07e7485a1c12d36c8e9910a")]
    [InlineData("hash_sha1('World')", "70c07ec18ef89c5309bbb0937f3a6342411e1fdd")]
    [InlineData("hash_sha1(datetime(2020-01-01))", "e903e533f4d636b4fc0dcf3cf81e7b7f330de776")]
    [InlineData("hash_sha256('World')", "78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524")]
    [InlineData("hash_sha256(datetime(2020-01-01))", "ba666752dc1a20eb750b0eb64e780cc4c968bc9fb8813461c1d7e750f302d71d")]
    [InlineData("hash_sha256('TEXAS')", "9087f20f23f91b5a77e8406846117049029e6798ebbd0d38aea68da73a00ca37")]
    public void CryptographicHash_MatchesKustosDocumentedExamples(string expression, string expected)
    {
        Assert.Equal(expected, store.Print(expression));
    }

    [Fact]
    public void CryptographicHash_OfAColumn_HashesEachRowsText()
    {
        var result = store.Run("datatable(s:string)['World', ''] | extend h = hash_md5(s)");
        Assert.Equal(["f5a7924e621e84c9280a9a27e1bcb7f6", "d41d8cd98f00b204e9800998ecf8427e"], result.Column("h"));
        Assert.Equal(store.Print("hash_sha1('42')"), store.Print("hash_sha1(42)"));
    }

    [Fact]
    public void CryptographicHash_OfADynamicValue_IsAnErrorAtTheArgument()
    {
        var e = Assert.Throws<KqlException>(() => store.Run("print hash_md5(dynamic([1]))"));
        Assert.Contains("hash_md5() cannot hash a dynamic value", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 16), (e.Line, e.Column));
    }
}
