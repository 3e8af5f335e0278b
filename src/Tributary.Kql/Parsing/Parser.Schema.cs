using Tributary.Kql.Syntax;

namespace Tributary.Kql.Parsing;

// assert-schema, project-by-names, consume and externaldata: operators about the columns, or the rows' source.
internal sealed partial class Parser
{
    /// <summary><c>(Name: type, …)</c>, a trailing comma allowed, with each column's position.</summary>
    private List<(KqlColumn Column, SourcePosition Pos)> ParseRowSchema(string op)
    {
        _tokens.Expect(TokenKind.LParen, $"'(' with {op}'s columns: (Name: type, …)");
        var columns = new List<(KqlColumn, SourcePosition)>();
        do
        {
            if (_tokens.At(TokenKind.RParen) && columns.Count > 0)
            {
                break;
            }

            var pos = _tokens.Pos;
            var name = _tokens.ExpectName("a column name");
            _tokens.Expect(TokenKind.Colon, "':' and the column's type");
            var type = ParseTypeName();
            if (columns.Any(c => c.Item1.Name == name))
            {
                throw pos.Error($"{op} names column '{name}' twice");
            }

            columns.Add((new KqlColumn(name, type), pos));
        }
        while (_tokens.Accept(TokenKind.Comma));

        _tokens.Expect(TokenKind.RParen, "')'");
        return columns;
    }

    private ProjectByNamesOperator ParseProjectByNames(SourcePosition pos)
    {
        var specifiers = new List<Expr>();
        do
        {
            specifiers.Add(ParseExpr());
        }
        while (_tokens.Accept(TokenKind.Comma));

        return new ProjectByNamesOperator(pos, specifiers);
    }

    private ConsumeOperator ParseConsume(SourcePosition pos)
    {
        if (_tokens.AcceptWord("decodeblocks"))
        {
            _tokens.Expect(TokenKind.Equal, "'=' after decodeblocks");
            var valuePos = _tokens.Pos;
            if (ParseExpr() is not LiteralExpr { Value: bool })
            {
                throw valuePos.Error("decodeblocks is true or false");
            }
        }

        return new ConsumeOperator(pos);
    }

    private ExternalDataSource ParseExternalData(SourcePosition pos)
    {
        var columns = ParseRowSchema("externaldata").Select(c => c.Column).ToList();
        _tokens.Expect(TokenKind.LBracket, "'[' with the files to read: externaldata (…) [@\"path\"]");
        var locations = new List<Expr>();
        do
        {
            if (_tokens.At(TokenKind.RBracket) && locations.Count > 0)
            {
                break;
            }

            locations.Add(ParseExpr());
        }
        while (_tokens.Accept(TokenKind.Comma));

        _tokens.Expect(TokenKind.RBracket, "']'");
        var properties = new Dictionary<string, (Expr, SourcePosition)>(StringComparer.OrdinalIgnoreCase);
        if (_tokens.AcceptWord("with"))
        {
            _tokens.Expect(TokenKind.LParen, "'(' with externaldata's properties");
            while (!_tokens.At(TokenKind.RParen))
            {
                var namePos = _tokens.Pos;
                var name = _tokens.ExpectName("a property name (format, ignoreFirstRecord)");
                _tokens.Expect(TokenKind.Equal, $"'=' after {name}");
                if (!properties.TryAdd(name, (ParseExpr(), namePos)))
                {
                    throw namePos.Error($"externaldata property '{name}' is given twice");
                }

                if (!_tokens.Accept(TokenKind.Comma))
                {
                    break;
                }
            }

            _tokens.Expect(TokenKind.RParen, "')'");
        }

        return new ExternalDataSource(pos, columns, locations, properties);
    }
}
