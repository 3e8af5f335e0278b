using Tributary.Kql;

namespace Tributary.Tests.Kql;

/// <summary>The parse operator: simple and regex patterns, typed columns, non-matching rows.</summary>
public sealed class ParseOperatorTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private const string Event =
        "print s = \"Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=23, lockTime=02/17/2016 08:40:01)\"";

    [Fact]
    public void Parse_SimplePatternWithWildcards_ExtractsTypedColumns()
    {
        var result = store.Run(Event + " | parse s with * \"resourceName=\" resourceName \", totalSlices=\" totalSlices:long * \"sliceNumber=\" sliceNumber:long * \"lockTime=\" lockTime \")\" *");

        Assert.Equal("PipelineScheduler", result.Single("resourceName"));
        Assert.Equal(27L, result.Single("totalSlices"));
        Assert.Equal(23L, result.Single("sliceNumber"));
        Assert.Equal("02/17/2016 08:40:01", result.Single("lockTime"));
        Assert.Equal(["s", "resourceName", "totalSlices", "sliceNumber", "lockTime"], result.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Parse_NoMatch_KeepsRowWithEmptyStringAndNullNumber()
    {
        var result = store.Run("print s = \"nothing to see\" | parse s with \"key=\" k \";n=\" n:long");

        Assert.Equal("", result.Single("k"));
        Assert.Null(result.Single("n"));
    }

    [Fact]
    public void Parse_LastColumn_TakesTheRest()
    {
        var result = store.Run("print s = \"level=Error msg=disk full, retrying\" | parse s with \"level=\" level \" msg=\" msg");

        Assert.Equal("Error", result.Single("level"));
        Assert.Equal("disk full, retrying", result.Single("msg"));
    }

    [Fact]
    public void Parse_RegexKind_UsesConstantsAsRegex()
    {
        var result = store.Run("print s = \"a=1;;b=xyz\" | parse kind=regex s with \"a=\" a:long \";+b=\" b");

        Assert.Equal(1L, result.Single("a"));
        Assert.Equal("xyz", result.Single("b"));
    }

    [Fact]
    public void Parse_SpecialCharactersInConstants_AreLiteralInSimpleMode()
    {
        var result = store.Run("print s = \"x(1+2)*[y]\" | parse s with \"x(\" a \"+\" b \")*[\" c \"]\"");

        Assert.Equal("1", result.Single("a"));
        Assert.Equal("2", result.Single("b"));
        Assert.Equal("y", result.Single("c"));
    }

    [Fact]
    public void Parse_NoColumns_ErrorWithPosition()
    {
        var error = Assert.Throws<KqlException>(() => store.Run("print s = \"x\" | parse s with \"x\""));

        Assert.Contains("parse needs at least one column", error.Message);
        Assert.Contains("(at 1:", error.Message);
    }

    [Fact]
    public void Materialize_InLetAndAsSource_ActsAsItsQuery()
    {
        var result = store.Run("let m = materialize(range x from 1 to 5 step 1); m | join kind=inner (m | where x > 3) on x | count");
        Assert.Equal(2L, result.Single("Count"));
        Assert.Equal(5L, store.Run("materialize(range x from 1 to 5 step 1) | count").Single("Count"));
    }
}
