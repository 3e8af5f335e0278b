using Tributary.Kql;

namespace Tributary.Tests.Kql.Functions;

/// <summary>tohex() and new_guid() against the examples of Kusto's documentation.</summary>
public sealed class ConversionFunctionTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    [Theory]
    [InlineData("tohex(256)", "100")]
    [InlineData("tohex(-256)", "ffffffffffffff00")]
    [InlineData("tohex(toint(-256), 8)", "ffffff00")]
    [InlineData("tohex(toint(-256))", "ffffff00")]
    [InlineData("tohex(256, 8)", "00000100")]
    [InlineData("tohex(256, 2)", "100")]
    [InlineData("tohex(1, 20)", "0000000000000001")]
    [InlineData("tohex(0)", "0")]
    [InlineData("tohex(long(null))", "")]
    public void ToHex_MatchesKustosDocumentedExamples(string expression, string expected)
    {
        Assert.Equal(expected, store.Print(expression));
    }

    [Fact]
    public void ToHex_OfAReal_IsAnErrorAtTheArgument()
    {
        var e = Assert.Throws<KqlException>(() => store.Run("print tohex(1.5)"));
        Assert.Contains("tohex() expects a whole number (int or long) but argument 1 is real", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 13), (e.Line, e.Column));
    }

    [Fact]
    public void NewGuid_DrawsADifferentGuidForEachRow()
    {
        var guids = store.Run("range i from 1 to 50 step 1 | extend g = new_guid()").Column("g");
        Assert.All(guids, g => Assert.IsType<Guid>(g));
        Assert.Equal(50, guids.Distinct().Count());
    }
}
