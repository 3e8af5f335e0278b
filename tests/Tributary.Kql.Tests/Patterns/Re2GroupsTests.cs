using Tributary.Kql.Patterns;

namespace Tributary.Kql.Tests.Patterns;

public sealed class Re2GroupsTests
{
    [Theory]
    [InlineData(@"\d+", "")]
    [InlineData(@"(\d+)", "1")]
    [InlineData(@"(\w)(\w+)(\w)", "1,2,3")]
    [InlineData(@"(?P<first>\w)(?:x)(?i:y)(\w)", "first,2")]
    [InlineData(@"\((a)\)", "1")]
    [InlineData(@"[(](a)[)(]", "1")]
    [InlineData(@"[]()](b)", "1")]
    [InlineData(@"[^]()](b)", "1")]
    public void Of_CountsCapturingGroupsInOrder_SkippingEscapesClassesAndNonCapturing(string pattern, string expected)
    {
        var groups = Re2Groups.Of(pattern).Select((g, i) => g ?? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, string.Join(",", groups));
    }
}
