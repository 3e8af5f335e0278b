using Tributary.Kql.Syntax;

namespace Tributary.Kql.Parsing;

// evaluate: a plugin call with named or positional arguments and an optional output schema.
internal sealed partial class Parser
{
    private EvaluateOperator ParseEvaluate(SourcePosition pos)
    {
        SkipHints();
        var pluginPos = _tokens.Pos;
        var plugin = _tokens.ExpectName("a plugin name after evaluate (bag_unpack, pivot, narrow, …)");
        _tokens.Expect(TokenKind.LParen, $"'(' and the arguments of {plugin}");
        var args = new List<Assignment>();
        if (!_tokens.At(TokenKind.RParen))
        {
            do
            {
                var argPos = _tokens.Pos;
                if (AtNameAndEqual())
                {
                    var name = _tokens.ExpectName("an argument name");
                    _tokens.Advance();
                    args.Add(new Assignment(name, ParseExpr(), argPos));
                }
                else
                {
                    args.Add(new Assignment(null, ParseArgument(), argPos));
                }
            }
            while (_tokens.Accept(TokenKind.Comma));
        }

        _tokens.Expect(TokenKind.RParen, $"')' to close the arguments of {plugin}");
        var schema = _tokens.At(TokenKind.Colon) ? ParseOutputSchema() : null;
        return new EvaluateOperator(pos, plugin, pluginPos, args, schema);
    }

    private OutputSchema ParseOutputSchema()
    {
        var pos = _tokens.Pos;
        _tokens.Expect(TokenKind.Colon, "':'");
        _tokens.Expect(TokenKind.LParen, "'(' and the output schema (Name: type, …)");
        var keepsInput = false;
        var columns = new List<KqlColumn>();
        if (_tokens.Accept(TokenKind.Star))
        {
            keepsInput = true;
            if (!_tokens.Accept(TokenKind.Comma))
            {
                _tokens.Expect(TokenKind.RParen, "')' or ',' after '*'");
                return new OutputSchema(pos, keepsInput, columns);
            }
        }

        do
        {
            var namePos = _tokens.Pos;
            var name = _tokens.ExpectName("a column name");
            if (columns.Any(c => c.Name == name))
            {
                throw namePos.Error($"the output schema names '{name}' twice");
            }

            _tokens.Expect(TokenKind.Colon, $"':' and a type after '{name}'");
            columns.Add(new KqlColumn(name, ParseTypeName()));
        }
        while (_tokens.Accept(TokenKind.Comma));

        _tokens.Expect(TokenKind.RParen, "')' to close the output schema");
        return new OutputSchema(pos, keepsInput, columns);
    }
}
