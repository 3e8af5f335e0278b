using Tributary.Query;

namespace Tributary.Tests.Query;

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\nb", @"a\nb")]
    [InlineData("\r\t\u001b", @"\r\t\e")]
    [InlineData("\u0000\u0007\u007f\u0085\u009b", @"\x00\x07\x7F\x85\x9B")]
    [InlineData("left\u202Eright\u2066\u2028", @"left\u202Eright\u2066\u2028")]
    [InlineData("C:\\path", "C:\\path")]
    [InlineData("😀 ok", "😀 ok")]
    public void Escape_MakesUnsafeCharactersVisible(string text, string expected) =>
        Assert.Equal(expected, TerminalText.Escape(text));

    [Fact]
    public void Escape_LoneSurrogates_AreEscaped()
    {
        Assert.Equal(@"a\uD800b", TerminalText.Escape("a\uD800b"));
        Assert.Equal(@"\uDC00", TerminalText.Escape("\uDC00"));
    }

    [Fact]
    public void Escape_SafeText_ReturnsSameInstance()
    {
        var text = "nothing to do";
        Assert.Same(text, TerminalText.Escape(text));
    }

    [Theory]
    [InlineData("abc", 3)]
    [InlineData("東京", 4)]
    [InlineData("😀", 2)]
    [InlineData("e\u0301", 1)]
    [InlineData("", 0)]
    public void Width_CountsTerminalColumns(string text, int width) =>
        Assert.Equal(width, TerminalText.Width(text));

    [Fact]
    public void Truncate_CutsToWidthWithEllipsis()
    {
        Assert.Equal("abcd", TerminalText.Truncate("abcd", 4));
        Assert.Equal("abc…", TerminalText.Truncate("abcde", 4));
        Assert.Equal("東…", TerminalText.Truncate("東京都", 4));
    }
}
