using Tributary.Kql.Syntax;

namespace Tributary.Kql.Parsing;

// Operators that run subqueries on their input: mv-apply, partition, invoke, and fork and facet (several result tables).
internal sealed partial class Parser
{
    /// <summary>
    /// <c>( op | op … )</c>: a subquery written as operators alone, whose source is the rows the enclosing operator
    /// hands it (a <see cref="ContextSource"/>).
    /// </summary>
    private PipelineExpr ParseContextualSubquery(string what)
    {
        var pos = _tokens.Pos;
        _tokens.Expect(TokenKind.LParen, $"'(' and the {what}");
        Enter();
        try
        {
            var operators = new List<QueryOperator> { ParseOperator() };
            while (_tokens.Accept(TokenKind.Pipe))
            {
                operators.Add(ParseOperator());
            }

            _tokens.Expect(TokenKind.RParen, $"')' to close the {what}");
            return new PipelineExpr(pos, new ContextSource(pos), operators);
        }
        finally
        {
            _depth--;
        }
    }

    private MvApplyOperator ParseMvApply(SourcePosition pos)
    {
        string? itemIndex = null;
        if (_tokens.AcceptWord("with_itemindex"))
        {
            _tokens.Expect(TokenKind.Equal, "'=' after with_itemindex");
            itemIndex = _tokens.ExpectName("a column name for the item index");
        }

        var items = ParseMvExpandItems();
        Expr? limit = _tokens.AcceptWord("limit") ? ParseExpr() : null;
        _tokens.ExpectWord("on");
        var subquery = ParseContextualSubquery("mv-apply subquery");
        return new MvApplyOperator(pos, items, itemIndex, limit, subquery);
    }

    private static readonly HashSet<string> PartitionStrategies = new(StringComparer.Ordinal) { "native", "shuffle", "legacy" };

    private PartitionOperator ParsePartition(SourcePosition pos)
    {
        var strategy = "legacy";
        while (_tokens.At(TokenKind.Identifier) && _tokens.Current.Text.StartsWith("hint", StringComparison.Ordinal) && _tokens.Peek(1).Kind == TokenKind.Dot)
        {
            _tokens.Advance();
            _tokens.Advance();
            var hint = _tokens.ExpectName("a hint name");
            _tokens.Expect(TokenKind.Equal, $"'=' after hint.{hint}");
            var valuePos = _tokens.Pos;
            var value = ParseUnary();
            if (hint == "strategy")
            {
                strategy = value is NameExpr { Name: var s } && PartitionStrategies.Contains(s)
                    ? s
                    : throw valuePos.Error("unknown partition strategy (expected native, shuffle or legacy)");
            }
        }

        _tokens.ExpectWord("by");
        var columnPos = _tokens.Pos;
        var column = _tokens.ExpectName("the column to partition by");
        if (_tokens.At(TokenKind.LBrace))
        {
            if (strategy != "legacy")
            {
                throw _tokens.Pos.Error($"a partition subquery with its own source ({{ … }}) needs hint.strategy=legacy, not {strategy}");
            }

            _tokens.Advance();
            var body = ParseTabular();
            _tokens.Expect(TokenKind.RBrace, "'}' to close the partition subquery");
            return new PartitionOperator(pos, strategy, column, columnPos, body, ExplicitSource: true);
        }

        var subquery = ParseContextualSubquery("partition subquery");
        return new PartitionOperator(pos, strategy, column, columnPos, subquery, ExplicitSource: false);
    }

    private ForkOperator ParseFork(SourcePosition pos)
    {
        var branches = new List<ForkBranch>();
        while (_tokens.At(TokenKind.LParen) || AtNameAndEqual())
        {
            var branchPos = _tokens.Pos;
            string? name = null;
            if (!_tokens.At(TokenKind.LParen))
            {
                name = _tokens.ExpectName("a result name");
                _tokens.Advance();
            }

            branches.Add(new ForkBranch(branchPos, name, ParseContextualSubquery("fork subquery")));
        }

        return branches.Count > 0 ? new ForkOperator(pos, branches) : throw _tokens.Unexpected("'(' and a fork subquery");
    }

    private FacetOperator ParseFacet(SourcePosition pos)
    {
        _tokens.ExpectWord("by");
        var columns = new List<(string, SourcePosition)>();
        do
        {
            var columnPos = _tokens.Pos;
            columns.Add((_tokens.ExpectName("a column name"), columnPos));
        }
        while (_tokens.Accept(TokenKind.Comma));

        var with = _tokens.AcceptWord("with") ? ParseContextualSubquery("facet subquery") : null;
        return new FacetOperator(pos, columns, with);
    }

    private InvokeOperator ParseInvoke(SourcePosition pos)
    {
        var namePos = _tokens.Pos;
        var name = _tokens.ExpectName("the name of a tabular function after invoke");
        var args = _tokens.At(TokenKind.LParen) ? ParseArguments() : throw _tokens.Unexpected($"'(' and the arguments of '{name}'");
        return new InvokeOperator(pos, name, namePos, args);
    }
}
