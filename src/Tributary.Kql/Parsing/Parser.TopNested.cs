using Tributary.Kql.Syntax;

namespace Tributary.Kql.Parsing;

// top-nested: levels separated by ", top-nested".
internal sealed partial class Parser
{
    private TopNestedOperator ParseTopNested(SourcePosition pos)
    {
        var levels = new List<TopNestedLevel> { ParseTopNestedLevel(pos) };
        while (_tokens.Accept(TokenKind.Comma))
        {
            var levelPos = _tokens.Pos;
            _tokens.ExpectWord("top-nested");
            levels.Add(ParseTopNestedLevel(levelPos));
        }

        return new TopNestedOperator(pos, levels);
    }

    private TopNestedLevel ParseTopNestedLevel(SourcePosition pos)
    {
        var count = _tokens.AtWord("of") ? null : ParseExpr();
        _tokens.ExpectWord("of");
        var value = ParseNamedExpr();
        Expr? others = null;
        if (_tokens.AcceptWord("with"))
        {
            _tokens.ExpectWord("others");
            _tokens.Expect(TokenKind.Equal, "'=' after 'with others'");
            others = ParseExpr();
        }

        _tokens.ExpectWord("by");
        var aggregate = ParseNamedExpr();
        var ascending = _tokens.AcceptWord("asc");
        if (!ascending)
        {
            _tokens.AcceptWord("desc");
        }

        return new TopNestedLevel(pos, count, value, others, aggregate, ascending);
    }

    /// <summary><c>[Name =] Expr</c>.</summary>
    private Assignment ParseNamedExpr()
    {
        var pos = _tokens.Pos;
        string? name = null;
        if (AtNameAndEqual())
        {
            name = _tokens.ExpectName("a column name");
            _tokens.Advance();
        }

        return new Assignment(name, ParseExpr(), pos);
    }
}
