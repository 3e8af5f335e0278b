using Tributary.Kql;

namespace Tributary.Tests.Kql.Operators;

/// <summary>evaluate: the narrow plugin, and what is said of unknown plugins.</summary>
public sealed class EvaluateTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    [Fact]
    public void Narrow_GivesOneRowPerCell_InRowThenColumnOrder()
    {
        var result = store.Run("""
            print a = 1, b = 'x', c = dynamic({"k": 1}), d = datetime(2020-01-01)
            | union (print a = 2, b = 'y', c = dynamic(null), d = datetime(null))
            | sort by a asc
            | evaluate narrow()
            """);
        Assert.Equal(["Row", "Column", "Value"], result.Names());
        Assert.Equal([0L, 0L, 0L, 0L, 1L, 1L, 1L, 1L], result.Column("Row"));
        Assert.Equal(["a", "b", "c", "d", "a", "b", "c", "d"], result.Column("Column"));
        Assert.Equal(["1", "x", "{\"k\":1}", "2020-01-01T00:00:00.0000000Z", "2", "y", "", ""], result.Column("Value"));
    }

    [Fact]
    public void Narrow_OfNoRows_IsEmpty()
    {
        var result = store.Run("print a = 1 | where a > 1 | evaluate narrow()");
        Assert.Empty(result.Rows);
    }

    [Theory]
    [InlineData("print a = 1 | evaluate narow()", "unknown plugin 'narow'; did you mean 'narrow'? (supported: bag_unpack, narrow, pivot)", 1, 24)]
    [InlineData("print a = 1 | evaluate autocluster()", "the plugin 'autocluster' is not supported yet", 1, 24)]
    [InlineData("print a = 1 | evaluate narrow(a)", "plugin 'narrow' takes 0 argument(s) but was given 1", 1, 24)]
    [InlineData("print a = 1 | evaluate narrow() : (a:long)", "plugin 'narrow' takes no output schema", 1, 33)]
    [InlineData("print a = 1 | evaluate narrow", "expected '(' and the arguments of narrow", 1, 30)]
    public void Evaluate_BadPluginCall_IsAnErrorWithPosition(string query, string message, int line, int column)
    {
        var e = Assert.Throws<KqlException>(() => store.Run(query));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (e.Line, e.Column));
    }
}
