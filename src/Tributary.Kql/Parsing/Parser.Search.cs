using Tributary.Kql.Syntax;

namespace Tributary.Kql.Parsing;

// search and find: predicates over many tables, with bare terms ("error", Column:"x", * has "x").
internal sealed partial class Parser
{
    /// <summary>True at <paramref name="word"/> used as the keyword that starts a tabular source, not as a table's name.</summary>
    private bool AtSourceKeyword(string word) =>
        _tokens.AtWord(word) && _tokens.Peek(1).Kind is not (TokenKind.Pipe or TokenKind.End or TokenKind.RParen or TokenKind.Semicolon or TokenKind.Comma or TokenKind.Equal);

    private SearchOperator ParseSearch(SourcePosition pos)
    {
        var caseSensitive = false;
        if (_tokens.AtWord("kind") && _tokens.Peek(1).Kind == TokenKind.Equal)
        {
            _tokens.Advance();
            _tokens.Advance();
            var kindToken = _tokens.Advance();
            caseSensitive = kindToken.Text switch
            {
                "case_sensitive" => true,
                "case_insensitive" or "default" => false,
                _ => throw TokenCursor.PosOf(kindToken).Error($"unknown search kind '{kindToken.Text}' (expected case_sensitive, case_insensitive or default)"),
            };
        }

        var tables = ParseInTables("search");
        return new SearchOperator(pos, caseSensitive, tables, ParseSearchPredicate());
    }

    private FindSource ParseFind(SourcePosition pos)
    {
        var sourceColumn = "source_";
        if (_tokens.AtWord("withsource") && _tokens.Peek(1).Kind == TokenKind.Equal)
        {
            _tokens.Advance();
            _tokens.Advance();
            sourceColumn = _tokens.ExpectName("a column name after withsource=");
        }

        var tables = ParseInTables("find");
        if (tables is not null)
        {
            _tokens.ExpectWord("where");
        }
        else
        {
            _tokens.AcceptWord("where");
        }

        var predicate = ParseSearchPredicate();
        if (_tokens.AcceptWord("project-smart"))
        {
            return new FindSource(pos, sourceColumn, tables, predicate, null, PackAll: false);
        }

        if (!_tokens.AcceptWord("project"))
        {
            return new FindSource(pos, sourceColumn, tables, predicate, null, PackAll: false);
        }

        var columns = new List<FindColumn>();
        var packAll = false;
        do
        {
            var columnPos = _tokens.Pos;
            if (_tokens.AtWord("pack_all") && _tokens.Peek(1).Kind == TokenKind.LParen)
            {
                _tokens.Advance();
                _tokens.Advance();
                _tokens.Expect(TokenKind.RParen, "')' after pack_all(");
                packAll = packAll ? throw columnPos.Error("find … project names pack_all() twice") : true;
                continue;
            }

            var name = _tokens.ExpectName("a column name or pack_all()");
            KqlType? type = _tokens.Accept(TokenKind.Colon) ? ParseTypeName() : null;
            if (columns.Any(c => c.Name == name) || name == sourceColumn)
            {
                throw columnPos.Error($"find … project names column '{name}' twice");
            }

            columns.Add(new FindColumn(name, type, columnPos));
        }
        while (_tokens.Accept(TokenKind.Comma));

        return new FindSource(pos, sourceColumn, tables, predicate, columns, packAll);
    }

    /// <summary>The tables of <c>in (T, Pattern*, (Query), …)</c>, or null when there is no <c>in</c>.</summary>
    private List<TabularExpr>? ParseInTables(string op)
    {
        if (!(_tokens.AtWord("in") && _tokens.Peek(1).Kind == TokenKind.LParen))
        {
            return null;
        }

        _tokens.Advance();
        _tokens.Advance();
        var tables = ParseTableList($"a table name, Pattern* or (tabular expression) in {op} in (…)");
        _tokens.Expect(TokenKind.RParen, "')' to close the list of tables");
        return tables;
    }

    // ---- predicates ---------------------------------------------------------------------------------------

    private Expr ParseSearchPredicate()
    {
        Enter();
        try
        {
            var left = ParseSearchAnd();
            while (_tokens.AtWord("or"))
            {
                var pos = _tokens.Pos;
                _tokens.Advance();
                left = new BinaryExpr(pos, "or", left, ParseSearchAnd());
            }

            return left;
        }
        finally
        {
            _depth--;
        }
    }

    private Expr ParseSearchAnd()
    {
        var left = ParseSearchUnary();
        while (_tokens.AtWord("and"))
        {
            var pos = _tokens.Pos;
            _tokens.Advance();
            left = new BinaryExpr(pos, "and", left, ParseSearchUnary());
        }

        return left;
    }

    private Expr ParseSearchUnary()
    {
        var pos = _tokens.Pos;
        if (_tokens.AtWord("not") && _tokens.Peek(1).Kind == TokenKind.LParen)
        {
            _tokens.Advance();
            _tokens.Advance();
            var inner = ParseSearchPredicate();
            _tokens.Expect(TokenKind.RParen, "')'");
            return new CallExpr(pos, "not", [inner]);
        }

        if (_tokens.Accept(TokenKind.LParen))
        {
            var inner = ParseSearchPredicate();
            _tokens.Expect(TokenKind.RParen, "')'");
            return inner;
        }

        if (_tokens.At(TokenKind.StringLiteral))
        {
            return Term(pos, null, _tokens.Advance().Text);
        }

        if (_tokens.Accept(TokenKind.Star))
        {
            if (_tokens.At(TokenKind.Identifier) && StringOperators.Contains(_tokens.Current.Text) && _tokens.Current.Text is not ("has_any" or "has_all"))
            {
                var op = _tokens.Advance().Text;
                if (op == "matches")
                {
                    _tokens.ExpectWord("regex");
                    op = "matches regex";
                }

                var text = _tokens.Expect(TokenKind.StringLiteral, $"a string literal after * {op}").Text;
                return new SearchTerm(pos, null, op, text);
            }

            return new LiteralExpr(pos, true, KqlType.Bool);
        }

        if (_tokens.NameLength() is > 0 and var length && _tokens.Peek(length).Kind == TokenKind.Colon)
        {
            var column = _tokens.ExpectName("a column name");
            _tokens.Advance();
            var text = _tokens.Expect(TokenKind.StringLiteral, $"a string literal after {column}:").Text;
            return Term(pos, column, text);
        }

        return ParseComparison();
    }

    /// <summary>A bare term: "x" is has, "x*" hasprefix, "*x" hassuffix, "*x*" contains, and "a*b" the regex \ba.*b\b.</summary>
    private static Expr Term(SourcePosition pos, string? column, string text)
    {
        var core = text.Trim('*');
        if (core.Length == 0 && text.Length > 0)
        {
            return column is null ? new LiteralExpr(pos, true, KqlType.Bool) : new SearchTerm(pos, column, SearchTerm.Wildcard, "");
        }

        var leading = text.StartsWith('*');
        var trailing = text.EndsWith('*');
        if (core.Contains('*'))
        {
            var parts = core.Split('*', StringSplitOptions.RemoveEmptyEntries).Select(Binding.Sql.RegexEscape);
            var regex = (leading ? "" : @"\b") + string.Join(".*", parts) + (trailing ? "" : @"\b");
            return new SearchTerm(pos, column, SearchTerm.Wildcard, regex);
        }

        var op = (leading, trailing) switch
        {
            (true, true) => "contains",
            (true, false) => "hassuffix",
            (false, true) => "hasprefix",
            _ => "has",
        };
        return new SearchTerm(pos, column, op, core);
    }
}
