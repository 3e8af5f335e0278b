using Tributary.Kql;

namespace Tributary.Tests.Kql.Functions;

/// <summary>Bitwise functions against the examples of Kusto's documentation and C#'s arithmetic on longs.</summary>
public sealed class BitFunctionTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    [Theory]
    [InlineData("binary_and(6, 3)", 2L)]
    [InlineData("binary_or(6, 3)", 7L)]
    [InlineData("binary_xor(1, 1)", 0L)]
    [InlineData("binary_xor(1, 2)", 3L)]
    [InlineData("binary_not(100)", -101L)]
    [InlineData("binary_shift_left(1, 2)", 4L)]
    [InlineData("binary_shift_right(1, 2)", 0L)]
    [InlineData("bitset_count_ones(42)", 3L)]
    public void Function_MatchesKustosDocumentedExample(string expression, long expected)
    {
        Assert.Equal(expected, store.Print(expression));
    }

    [Theory]
    [InlineData("binary_shift_left(1, 63)", long.MinValue)]
    [InlineData("binary_shift_left(3, 63)", long.MinValue)]
    [InlineData("binary_shift_left(-1, 1)", -2L)]
    [InlineData("binary_shift_left(1, 65)", 2L)]
    [InlineData("binary_shift_left(5, 64)", 5L)]
    [InlineData("binary_shift_right(-8, 1)", -4L)]
    [InlineData("binary_shift_right(-1, 63)", -1L)]
    [InlineData("binary_shift_right(256, 66)", 64L)]
    [InlineData("bitset_count_ones(-1)", 64L)]
    [InlineData("binary_and(-1, 9223372036854775807)", long.MaxValue)]
    public void Function_WorksOnAll64BitsAsCSharpDoes(string expression, long expected)
    {
        Assert.Equal(expected, store.Print(expression));
    }

    [Theory]
    [InlineData("binary_shift_left(1, -1)")]
    [InlineData("binary_shift_right(1, -1)")]
    [InlineData("binary_and(long(null), 1)")]
    [InlineData("binary_not(int(null))")]
    [InlineData("binary_shift_left(long(null), 1)")]
    public void Function_OfANullOrANegativeShift_IsNull(string expression)
    {
        Assert.Null(store.Print(expression));
    }

    [Fact]
    public void Functions_OfAColumn_ComputeRowByRow()
    {
        var result = store.Run("range x from 1 to 4 step 1 | extend l = binary_shift_left(x, x), n = bitset_count_ones(x), a = binary_and(x, 2)");
        Assert.Equal([2L, 8L, 24L, 64L], result.Column("l"));
        Assert.Equal([1L, 1L, 2L, 1L], result.Column("n"));
        Assert.Equal([0L, 2L, 2L, 0L], result.Column("a"));
    }

    [Theory]
    [InlineData("binary_and(1.5, 1)", 22, "binary_and() expects a whole number (int or long) but argument 1 is real")]
    [InlineData("binary_not('1')", 22, "binary_not() expects a whole number (int or long) but argument 1 is string")]
    public void Function_OfANonWholeNumber_IsAnErrorAtTheArgument(string expression, int column, string message)
    {
        var e = Assert.Throws<KqlException>(() => store.Run($"print r = {expression}"));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal((1, column), (e.Line, e.Column));
    }
}
