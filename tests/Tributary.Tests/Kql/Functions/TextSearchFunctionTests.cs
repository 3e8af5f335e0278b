using Tributary.Kql;
using static Tributary.Tests.Kql.QueryResultExtensions;

namespace Tributary.Tests.Kql.Functions;

/// <summary>indexof, indexof_regex, countof and has_any_index against the examples of Kusto's documentation.</summary>
public sealed class TextSearchFunctionTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    [Theory]
    [InlineData("indexof('abcdefg', 'cde')", 2L)]
    [InlineData("indexof('abcdefg', 'cde', 1, 4)", 2L)]
    [InlineData("indexof('abcdefg', 'cde', 1, 2)", -1L)]
    [InlineData("indexof('abcdefg', 'cde', 3, 4)", -1L)]
    [InlineData("indexof('abcdefg', 'cde', -5)", 2L)]
    [InlineData("indexof(1234567, 5, 1, 4)", 4L)]
    [InlineData("indexof('abcdefg', 'cde', 2, -1)", 2L)]
    [InlineData("indexof('abcdefgabcdefg', 'cde', 1, 10, 2)", 9L)]
    [InlineData("indexof('abcdefgabcdefg', 'cde', 1, -1, 3)", -1L)]
    public void IndexOf_MatchesKustosDocumentedExamples(string expression, long expected)
    {
        Assert.Equal(expected, store.Print(expression));
    }

    [Theory]
    [InlineData("indexof('aaaa', 'aa', 0, -1, 3)", 2L)]
    [InlineData("indexof('abc', 'c', 3)", -1L)]
    [InlineData("indexof('abc', 'c', 10)", -1L)]
    [InlineData("indexof('abc', '', 1)", 1L)]
    [InlineData("indexof('abc', 'b', 0, -1, 0)", -1L)]
    [InlineData("indexof('😀ab😀ab', 'ab', 2)", 4L)]
    [InlineData("indexof('😀ab😀ab', 'ab', -2)", 4L)]
    public void IndexOf_CountsOverlappingOccurrencesInCodePoints(string expression, long expected)
    {
        Assert.Equal(expected, store.Print(expression));
    }

    [Theory]
    [InlineData("indexof('abc', 'b', -4)")]
    [InlineData("indexof('abc', 'b', 0, -2)")]
    [InlineData("indexof('abc', 'b', 0, -1, -1)")]
    [InlineData("indexof('abc', 'b', long(null))")]
    [InlineData("indexof_regex('abcabc', @'a|ab', -1)")]
    [InlineData("indexof_regex('abc', 'b', 0, -2)")]
    public void IndexOf_WithABadStartLengthOrOccurrence_IsNull(string expression)
    {
        Assert.Null(store.Print(expression));
    }

    [Theory]
    [InlineData("indexof_regex('abcabc', @'a.c')", 0L)]
    [InlineData("indexof_regex('abcabcdefg', @'a.c', 0, 9, 2)", 3L)]
    [InlineData("indexof_regex('abcabc', @'a.c', 1, -1, 2)", -1L)]
    [InlineData("indexof_regex('ababaa', @'a.a', 0, -1, 2)", -1L)]
    [InlineData(@"indexof_regex('xx\nab', 'a')", 3L)]
    [InlineData("indexof_regex('abab', '^ab', 0, -1, 2)", -1L)]
    [InlineData("indexof_regex('a1b22c333', @'\\d+', 0, -1, 3)", 6L)]
    [InlineData("indexof_regex('abc', 'x')", -1L)]
    public void IndexOfRegex_MatchesKustosDocumentedExamples(string expression, long expected)
    {
        Assert.Equal(expected, store.Print(expression));
    }

    [Theory]
    [InlineData(@"extract_all(@'(\d+)', 'a set of numbers: 123, 567 and 789')", """["123","567","789"]""")]
    [InlineData(@"extract_all(@'([\da-f]{2})', '82b8be2d-dfa7-4bd1-8f63-24ad26d31449')", """["82","b8","be","2d","df","a7","4b","d1","8f","63","24","ad","26","d3","14","49"]""")]
    [InlineData(@"extract_all(@'(\w)(\w+)(\w)', '82b8be2d-dfa7-4bd1-8f63-24ad26d31449')", """[["8","2b8be2","d"],["d","fa","7"],["4","bd","1"],["8","f6","3"],["2","4ad26d3144","9"]]""")]
    [InlineData(@"extract_all(@'(\w)(\w+)(\w)', dynamic([1,3]), '82b8be2d-dfa7-4bd1-8f63-24ad26d31449')", """[["8","d"],["d","7"],["4","1"],["8","3"],["2","9"]]""")]
    [InlineData(@"extract_all(@'(?P<first>\w)(?P<middle>\w+)(?P<last>\w)', dynamic(['first',2,'last']), '82b8be2d-dfa7-4bd1-8f63-24ad26d31449')", """[["8","2b8be2","d"],["d","fa","7"],["4","bd","1"],["8","f6","3"],["2","4ad26d3144","9"]]""")]
    [InlineData(@"extractall(@'[(](\w)[)]', '(a) (b)')", """["a","b"]""")]
    public void ExtractAll_MatchesKustosDocumentedExamples(string expression, string expected)
    {
        Assert.Equal(expected, Json(store.Print(expression)));
    }

    [Fact]
    public void ExtractAll_WithoutAMatch_IsNull_AndAnArrayIndexes()
    {
        Assert.Null(store.Print(@"extract_all(@'(\d+)', 'no numbers')"));
        Assert.Equal("567", store.Print(@"tostring(extract_all(@'(\d+)', 'a 123, 567')[1])"));
    }

    [Theory]
    [InlineData("countof('aaa', 'a')", 3L)]
    [InlineData("countof('aaaa', 'aa')", 3L)]
    [InlineData("countof('ababa', 'ab', 'normal')", 2L)]
    [InlineData("countof('ababa', 'aba')", 2L)]
    [InlineData("countof('ababa', 'aba', 'regex')", 1L)]
    [InlineData("countof('abcabc', 'a.c', 'regex')", 2L)]
    [InlineData("countof('abc', '')", 0L)]
    [InlineData("countof('', 'a')", 0L)]
    [InlineData("countof('😀😀😀', '😀')", 3L)]
    public void CountOf_MatchesKustosDocumentedExamples(string expression, long expected)
    {
        Assert.Equal(expected, store.Print(expression));
    }

    [Theory]
    [InlineData("has_any_index('this is an example', dynamic(['this', 'example']))", 0L)]
    [InlineData("has_any_index('this is an example', dynamic(['not', 'example']))", 1L)]
    [InlineData("has_any_index('this is an example', dynamic(['not', 'found']))", -1L)]
    [InlineData("has_any_index('Example number 2', range(1, 3, 1))", 1L)]
    [InlineData("has_any_index('this is an example', dynamic([]))", -1L)]
    [InlineData("has_any_index('this is an example', dynamic(['exam']))", -1L)]
    [InlineData("has_any_index('this is an example', dynamic({'a': 'this'}))", -1L)]
    public void HasAnyIndex_MatchesKustosDocumentedExamples(string expression, long expected)
    {
        Assert.Equal(expected, store.Print(expression));
    }

    [Fact]
    public void Functions_OfAColumn_ComputeRowByRow()
    {
        var result = store.Run("datatable(s:string, n:long)['banana', 1, 'ananas', 2, '', 0] | extend i = indexof(s, 'an', n), r = indexof_regex(s, 'a.a', n), c = countof(s, 'ana'), h = has_any_index(s, dynamic(['ananas', 'banana']))");
        Assert.Equal([1L, 2L, -1L], result.Column("i"));
        Assert.Equal([1L, 2L, -1L], result.Column("r"));
        Assert.Equal([2L, 2L, 0L], result.Column("c"));
        Assert.Equal([1L, 0L, -1L], result.Column("h"));
    }

    [Theory]
    [InlineData("countof('a', 'a', 'Regex')", 29, "countof's kind is \"normal\" or \"regex\"")]
    [InlineData("indexof('a', 'a', 0, -1, 101)", 36, "indexof's occurrence must be a constant whole number up to 100")]
    [InlineData("indexof_regex('a', strcat('a'))", 30, "indexof_regex needs a constant regular expression")]
    [InlineData("indexof_regex('a', '(?<=a)b')", 30, "invalid regular expression")]
    [InlineData("countof('a', '(a', 'regex')", 24, "invalid regular expression")]
    [InlineData("has_any_index('a', 'a')", 30, "has_any_index() expects a dynamic array but argument 2 is string")]
    [InlineData("indexof('a', 'a', 1.5)", 29, "indexof() expects a whole number (int or long) but argument 3 is real")]
    [InlineData("extract_all('a', 'a')", 23, "extract_all's regular expression needs 1 to 16 capture groups, not 0")]
    [InlineData("extract_all('(a)', dynamic([2]), 'a')", 30, "extract_all's groups are a constant array of capture group numbers (1 to 1) and names")]
    [InlineData("extract_all('(a)', dynamic(['x']), 'a')", 30, "extract_all's groups are a constant array")]
    public void Function_WithAWrongArgument_IsAnErrorAtTheArgument(string expression, int column, string message)
    {
        var e = Assert.Throws<KqlException>(() => store.Run($"print r = {expression}"));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal((1, column), (e.Line, e.Column));
    }
}
