using System.Diagnostics;
using Tributary.Kql.Binding.Udfs;
using Tributary.Kql.Patterns;

namespace Tributary.Kql.Tests.Binding;

/// <summary>The scanner behind parse-kv with delimiters or none: edge cases the documented examples do not reach.</summary>
public sealed class KeyValueScannerTests
{
    private static Dictionary<string, string> Delimited(string text, string pair, string kv, bool greedy = false, string[]? quotes = null, string keys = "a,b,c") =>
        new KeyValueScanner(keys.Split(','), pair, kv, quotes ?? [], ['\\'], greedy).Scan(text);

    private static Dictionary<string, string> Words(string text, string keys = "a,b,c", string[]? quotes = null) =>
        new KeyValueScanner(keys.Split(','), null, null, quotes ?? [], ['\\'], greedy: false).Scan(text);

    [Fact]
    public void Delimited_TrimsKeysAndValues() =>
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1 2", ["b"] = "x" }, Delimited(" a = 1 2 ; b=x ", ";", "="));

    [Fact]
    public void Delimited_ValueWithTheKvDelimiter_KeepsIt() =>
        Assert.Equal("x=y", Delimited("a=x=y;b=2", ";", "=")["a"]);

    [Fact]
    public void Delimited_MultiCharacterDelimiters() =>
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, Delimited("a:=1&&b:=2", "&&", ":="));

    [Fact]
    public void Delimited_EmptyValue_IsEmpty() =>
        Assert.Equal("", Delimited("a=;b=2", ";", "=")["a"]);

    [Fact]
    public void Delimited_UnlistedKeysAreIgnored() =>
        Assert.Equal(["b"], Delimited("x=1;b=2;y=3", ";", "=").Keys);

    [Fact]
    public void Delimited_QuotedValue_KeepsItsDelimitersAndSpaces() =>
        Assert.Equal(" 1;2 ", Delimited("a=\" 1;2 \";b=2", ";", "=", quotes: ["\""])["a"]);

    [Fact]
    public void Delimited_UnclosedQuote_RunsToTheEnd() =>
        Assert.Equal("1;b=2", Delimited("a=\"1;b=2", ";", "=", quotes: ["\""])["a"]);

    [Fact]
    public void Delimited_EscapeAtTheEnd_IsKept() =>
        Assert.Equal("1\\", Delimited("a=\"1\\", ";", "=", quotes: ["\""])["a"]);

    [Fact]
    public void Greedy_UnlistedKeyAlsoEndsAValue() =>
        Assert.Equal("1 2", Delimited("a=1 2 x=3", " ", "=", greedy: true)["a"]);

    [Fact]
    public void Greedy_LastValue_RunsToTheEnd() =>
        Assert.Equal("New York", Delimited("b=1 a=New York", " ", "=", greedy: true)["a"]);

    [Fact]
    public void Greedy_QuotedKeyEndsAValue() =>
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1 2", ["b c"] = "3" }, Delimited("a=1 2 \"b c\"=3", " ", "=", greedy: true, quotes: ["\""], keys: "a,b c"));

    [Fact]
    public void Words_KeyMustEndAtAWordBoundary() =>
        Assert.Equal("2", Words("ab:1 a:2")["a"]);

    [Fact]
    public void Words_KeyWithUnderscore_IsFound() =>
        Assert.Equal("42", Words("Session_Id=42", keys: "Session_Id")["Session_Id"]);

    [Fact]
    public void Words_ValueIsOneWord() =>
        Assert.Equal("10", Words("a: 10.1.1.123")["a"]);

    [Fact]
    public void Words_KeyAtTheEnd_HasNoValue() =>
        Assert.Empty(Words("x=1 a"));

    [Fact]
    public void Words_QuotedKey() =>
        Assert.Equal("5", Words("'a b': 5", keys: "a b", quotes: ["'"])["a b"]);

    [Fact]
    public void LongTextWithoutDelimiters_IsScannedInLinearTime()
    {
        var text = string.Concat(Enumerable.Repeat("x ", 500_000));
        var clock = Stopwatch.StartNew();

        Assert.Empty(Delimited(text, " ", "=", greedy: true));
        Assert.Empty(Delimited(text + "a", " ", "="));
        Assert.Empty(Words(text));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void ToJson_EscapesKeysAndValues()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(KeyValueScanner.ToJson(new Dictionary<string, string> { ["a\"b"] = "x\\y" }));

        Assert.Equal("x\\y", doc.RootElement.GetProperty("a\"b").GetString());
    }

    [Theory]
    [InlineData("(a)(b)", 2)]
    [InlineData("(?:a)(b)", 1)]
    [InlineData("(?P<k>a)(?i)(b)", 2)]
    [InlineData(@"\(a\)[(](b)", 1)]
    [InlineData("((a)b)", 2)]
    public void CaptureGroupCount_CountsCapturingGroupsOnly(string pattern, int groups) =>
        Assert.Equal(groups, Re2Pattern.CaptureGroupCount(pattern));
}
