using Tributary.Kql;

namespace Tributary.Tests.Kql;

/// <summary>Regular expressions in queries are checked with RE2's rules when the query is translated, at their position.</summary>
public sealed class RegexQueryTests : IClassFixture<RegexQueryTests.Tables>
{
    private readonly KqlStoreFixture _store;

    public RegexQueryTests(Tables store) => _store = store;

    public sealed class Tables : KqlStoreFixture
    {
        public Tables()
        {
            Run(".create table T (s:string)");
            Run(".ingest inline into table T <| abc\nabb\nx=1");
        }
    }

    [Theory]
    [InlineData("T | where s matches regex '(?<=a)b'", "lookbehind", 1, 27)]
    [InlineData("T | extend e = extract('(b)\\\\1', 1, s)", "backreference '\\1'", 1, 24)]
    [InlineData("T | extend r = replace_regex(s, 'a++', 'x')", "possessive", 1, 33)]
    [InlineData("T | extend t = trim('\\\\Z', s)", "'\\Z'", 1, 21)]
    [InlineData("T\n| parse kind=regex s with k '(?=x)' '=' v", "lookahead", 2, 3)]
    public void UnsupportedConstruct_IsAQueryErrorAtItsPlace(string query, string word, int line, int column)
    {
        var e = Assert.Throws<KqlException>(() => _store.Run(query));
        Assert.Contains("invalid regular expression", e.Message, StringComparison.Ordinal);
        Assert.Contains(word, e.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (e.Line, e.Column));
    }

    [Fact]
    public void SupportedPatterns_Run()
    {
        Assert.Equal(2L, _store.Run("T | where s matches regex '^ab[bc]$' | count").Single("Count"));
        Assert.Equal("1", _store.Run("T | where s has '=' | extend v = extract('(?P<v>[0-9]+)$', 1, s) | project v").Single("v"));
        Assert.Equal("x", _store.Run("T | where s == 'x=1' | parse kind=regex s with k:string '=' v:long | project k").Single("k"));
    }
}
