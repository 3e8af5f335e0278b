using Tributary.Kql.Patterns;

namespace Tributary.Kql.Tests.Patterns;

public sealed class Re2GroupsTests
{
    [Theory]
    [InlineData(@"abc", "")]
    [InlineData(@"(a)(b(c))", "_,_,_")]
    [InlineData(@"(?:a)(?i)(b)", "_")]
    [InlineData(@"(?P<first>\w)(\w+)(?P<last>\w)", "first,_,last")]
    [InlineData(@"\(a\)[(](b)", "_")]
    [InlineData(@"[]()](x)[^]()]", "_")]
    [InlineData(@"[[:alpha:]](x)", "_")]
    public void Of_NumbersCapturingGroupsByTheirOpeningParenthesis(string pattern, string expected)
    {
        Assert.Equal(expected, string.Join(",", Re2Groups.Of(pattern).Select(n => n ?? "_")));
    }
}
