using Tributary.Kql.Syntax;

namespace Tributary.Kql.Parsing;

// Statements: let, declare query_parameters, set; the body of a query or a function.
internal sealed partial class Parser
{
    /// <summary>
    /// Statements, then the body, up to <paramref name="terminator"/>. With <paramref name="scalarBodyAllowed"/>
    /// (a function body) the body may be scalar (<c>{ let b = a + 1; b * b }</c>); a body that is a lone name
    /// or call (<c>{ x }</c>, <c>{ f(a) }</c>) reads as a table or a scalar by how the function is called, as in
    /// Kusto, so it is kept both ways.
    /// </summary>
    private QueryText ParseQueryText(TokenKind terminator, bool scalarBodyAllowed)
    {
        var statements = new List<Statement>();
        TabularExpr? body = null;
        Expr? scalarBody = null;
        while (!_tokens.At(terminator) && !_tokens.At(TokenKind.End))
        {
            if (_tokens.Accept(TokenKind.Semicolon))
            {
                continue;
            }

            if (_tokens.AtWord("let"))
            {
                statements.Add(ParseLet());
            }
            else if (_tokens.AtWord("declare") && _tokens.Peek(1).IsIdentifier("query_parameters"))
            {
                statements.Add(ParseDeclare());
            }
            else if (_tokens.AtWord("set") && _tokens.Peek(1).Kind == TokenKind.Identifier && _tokens.Peek(2).Kind is TokenKind.Semicolon or TokenKind.Equal)
            {
                // Client request properties (set notruncation;) do not change the answer.
                while (!_tokens.At(TokenKind.Semicolon) && !_tokens.At(TokenKind.End))
                {
                    _tokens.Advance();
                }
            }
            else
            {
                if (body is not null || scalarBody is not null)
                {
                    throw _tokens.Pos.Error("syntax error: a query has one tabular expression; separate statements with ';'");
                }

                if (_pipedInput is { } input && _tokens.At(TokenKind.Pipe))
                {
                    _pipedInput = null;
                    body = ParsePipeline(new NameSource(_tokens.Pos, input));
                }
                else if (scalarBodyAllowed && !StartsTabular())
                {
                    scalarBody = ParseExpr();
                    body = scalarBody switch
                    {
                        NameExpr name => new NameSource(name.Pos, name.Name),
                        CallExpr call => new CallSource(call.Pos, call.Name, call.Args),
                        _ => null,
                    };
                }
                else
                {
                    body = ParseTabular();
                }

                if (!_tokens.At(TokenKind.Semicolon))
                {
                    break;
                }
            }
        }

        return new QueryText(statements, body, scalarBody);
    }

    private LetStatement ParseLet()
    {
        var pos = _tokens.Pos;
        _tokens.ExpectWord("let");
        var name = _tokens.ExpectName("a name after 'let'");
        _tokens.Expect(TokenKind.Equal, "'=' after the let name");
        if (_tokens.AtWord("view") && _tokens.Peek(1).Kind == TokenKind.LParen)
        {
            // let V = view () { … }: a view is a parameterless function.
            _tokens.Advance();
        }

        if (_tokens.At(TokenKind.LParen) && AfterClosingParen(0) == TokenKind.LBrace)
        {
            var parameters = ParseParameterList();
            _tokens.Expect(TokenKind.LBrace, "'{' to start the function body");
            var body = ParseQueryText(TokenKind.RBrace, scalarBodyAllowed: true);
            _tokens.Expect(TokenKind.RBrace, "'}' to end the function body");
            return new LetStatement(pos, name, null, null, new FunctionLiteral(parameters, body));
        }

        if (StartsTabular())
        {
            return new LetStatement(pos, name, null, ParseTabular(), null);
        }

        return new LetStatement(pos, name, ParseExpr(), null, null);
    }

    /// <summary>The kind of the token after the ')' that closes the '(' <paramref name="ahead"/> tokens on; End when unclosed.</summary>
    private TokenKind AfterClosingParen(int ahead)
    {
        var depth = 0;
        for (var i = ahead; ; i++)
        {
            var kind = _tokens.Peek(i).Kind;
            if (kind == TokenKind.End)
            {
                return TokenKind.End;
            }

            if (kind == TokenKind.LParen)
            {
                depth++;
            }
            else if (kind == TokenKind.RParen && --depth == 0)
            {
                return _tokens.Peek(i + 1).Kind;
            }
        }
    }

    /// <summary>
    /// True when a tabular expression starts here: a source keyword (datatable, range, print, union), a name or a
    /// call followed by '|', or parentheses holding a pipeline or followed by '|'. Anything else is scalar.
    /// </summary>
    private bool StartsTabular()
    {
        if (_tokens.AtWord("datatable") || (_tokens.AtWord("externaldata") && _tokens.Peek(1).Kind == TokenKind.LParen) || (_tokens.AtWord("range") && _tokens.NameLength(1) > 0) || _tokens.AtWord("print") || _tokens.AtWord("union")
            || ((_tokens.AtWord("search") || _tokens.AtWord("find")) && _tokens.Peek(1).Kind is TokenKind.StringLiteral or TokenKind.Star or TokenKind.Identifier or TokenKind.LParen))
        {
            return true;
        }

        if (_tokens.At(TokenKind.LParen))
        {
            // (T | where …) — a parenthesized pipeline; (T) | … — a parenthesized source.
            var depth = 0;
            for (var i = 0; ; i++)
            {
                var kind = _tokens.Peek(i).Kind;
                if (kind == TokenKind.End)
                {
                    return false;
                }

                if (kind == TokenKind.LParen)
                {
                    depth++;
                }
                else if (kind == TokenKind.RParen && --depth == 0)
                {
                    return _tokens.Peek(i + 1).Kind == TokenKind.Pipe;
                }
                else if (kind == TokenKind.Pipe && depth == 1)
                {
                    return true;
                }
            }
        }

        var length = _tokens.NameLength();
        if (length > 0)
        {
            var next = _tokens.Peek(length).Kind;
            return next == TokenKind.Pipe || (next == TokenKind.LParen && AfterClosingParen(length) == TokenKind.Pipe);
        }

        return false;
    }

    private List<FunctionParameter> ParseParameterList()
    {
        _tokens.Expect(TokenKind.LParen, "'('");
        var parameters = new List<FunctionParameter>();
        if (!_tokens.At(TokenKind.RParen))
        {
            do
            {
                var name = _tokens.ExpectName("a parameter name");
                _tokens.Expect(TokenKind.Colon, $"':' and a type after parameter '{name}'");
                KqlType? type;
                List<KqlColumn>? columns = null;
                if (_tokens.Accept(TokenKind.LParen))
                {
                    // Tabular parameter: (*) for any table, or the columns it needs, (col:type, …).
                    type = null;
                    if (!_tokens.Accept(TokenKind.Star))
                    {
                        columns = [];
                        do
                        {
                            var column = _tokens.ExpectName($"a column name or '*' in the table parameter '{name}'");
                            _tokens.Expect(TokenKind.Colon, $"':' and a type after column '{column}'");
                            columns.Add(new KqlColumn(column, ParseTypeName()));
                        }
                        while (_tokens.Accept(TokenKind.Comma));
                    }

                    _tokens.Expect(TokenKind.RParen, $"')' to close the columns of table parameter '{name}'");
                }
                else
                {
                    type = ParseTypeName();
                }

                string? defaultValue = null;
                if (_tokens.Accept(TokenKind.Equal))
                {
                    var start = _tokens.Current.Offset;
                    ParseExpr();
                    defaultValue = _tokens.Text[start.._tokens.Current.Offset].Trim();
                }

                parameters.Add(new FunctionParameter(name, type, defaultValue, columns));
            }
            while (_tokens.Accept(TokenKind.Comma));
        }

        _tokens.Expect(TokenKind.RParen, "')' to close the parameter list");
        return parameters;
    }

    private KqlType ParseTypeName()
    {
        var pos = _tokens.Pos;
        var name = _tokens.Expect(TokenKind.Identifier, "a type name").Text;
        if (!KqlTypes.TryParse(name, out var type))
        {
            throw pos.Error($"unknown type '{name}' (expected one of string, int, long, real, decimal, bool, datetime, timespan, guid, dynamic)");
        }

        return type;
    }

    private DeclareParametersStatement ParseDeclare()
    {
        var pos = _tokens.Pos;
        _tokens.ExpectWord("declare");
        _tokens.ExpectWord("query_parameters");
        _tokens.Expect(TokenKind.LParen, "'('");
        var parameters = new List<FunctionParameter>();
        var defaults = new List<Expr?>();
        if (!_tokens.At(TokenKind.RParen))
        {
            do
            {
                var name = _tokens.ExpectName("a parameter name");
                _tokens.Expect(TokenKind.Colon, "':'");
                var type = ParseTypeName();
                Expr? def = _tokens.Accept(TokenKind.Equal) ? ParseExpr() : null;
                parameters.Add(new FunctionParameter(name, type));
                defaults.Add(def);
            }
            while (_tokens.Accept(TokenKind.Comma));
        }

        _tokens.Expect(TokenKind.RParen, "')'");
        return new DeclareParametersStatement(pos, parameters, defaults);
    }
}
