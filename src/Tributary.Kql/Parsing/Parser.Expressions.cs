using System.Globalization;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Parsing;

// Scalar expressions, by precedence: or, and, comparisons and string operators, + -, * / %, unary, postfix, primary.
internal sealed partial class Parser
{
    private static readonly HashSet<string> StringOperators = new(StringComparer.Ordinal)
    {
        "has", "!has", "has_cs", "!has_cs", "hasprefix", "!hasprefix", "hassuffix", "!hassuffix",
        "contains", "!contains", "contains_cs", "!contains_cs", "startswith", "!startswith", "startswith_cs", "!startswith_cs",
        "endswith", "!endswith", "endswith_cs", "!endswith_cs", "matches", "has_any", "has_all",
    };

    internal Expr ParseExpr()
    {
        Enter();
        try
        {
            return ParseOr();
        }
        finally
        {
            _depth--;
        }
    }

    // Deeply nested input must not overflow the stack (which would kill the process).
    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (_tokens.At(TokenKind.Identifier) && _tokens.Current.Text == "or")
        {
            var pos = _tokens.Pos;
            _tokens.Advance();
            left = new BinaryExpr(pos, "or", left, ParseAnd());
        }

        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseComparison();
        while (_tokens.At(TokenKind.Identifier) && _tokens.Current.Text == "and")
        {
            var pos = _tokens.Pos;
            _tokens.Advance();
            left = new BinaryExpr(pos, "and", left, ParseComparison());
        }

        return left;
    }

    private Expr ParseComparison()
    {
        var left = ParseAdditive();
        while (true)
        {
            var pos = _tokens.Pos;
            var t = _tokens.Current;
            string? op = t.Kind switch
            {
                TokenKind.EqualEqual => "==",
                TokenKind.BangEqual => "!=",
                TokenKind.LessGreater => "!=",
                TokenKind.Less => "<",
                TokenKind.LessEqual => "<=",
                TokenKind.Greater => ">",
                TokenKind.GreaterEqual => ">=",
                TokenKind.EqualTilde => "=~",
                TokenKind.BangTilde => "!~",
                _ => null,
            };
            if (op is not null)
            {
                _tokens.Advance();
                left = new BinaryExpr(pos, op, left, ParseAdditive());
                continue;
            }

            if (t.Kind != TokenKind.Identifier)
            {
                return left;
            }

            if (t.Text is "in" or "!in" or "in~" or "!in~")
            {
                _tokens.Advance();
                _tokens.Expect(TokenKind.LParen, $"'(' after {t.Text}");
                var items = new List<Expr>();
                if (!_tokens.At(TokenKind.RParen))
                {
                    do
                    {
                        items.Add(ParseArgument());
                    }
                    while (_tokens.Accept(TokenKind.Comma));
                }

                _tokens.Expect(TokenKind.RParen, "')'");
                left = new InExpr(pos, left, items, t.Text.StartsWith('!'), t.Text.EndsWith('~'));
                continue;
            }

            if (t.Text is "between" or "!between")
            {
                _tokens.Advance();
                _tokens.Expect(TokenKind.LParen, "'(' after between");
                var low = ParseAdditive();
                _tokens.Expect(TokenKind.DotDot, "'..' between the bounds");
                var high = ParseAdditive();
                _tokens.Expect(TokenKind.RParen, "')'");
                left = new BetweenExpr(pos, left, low, high, t.Text.StartsWith('!'));
                continue;
            }

            if (StringOperators.Contains(t.Text))
            {
                _tokens.Advance();
                var name = t.Text;
                if (name == "matches")
                {
                    _tokens.ExpectWord("regex");
                    name = "matches regex";
                }

                if (name is "has_any" or "has_all")
                {
                    _tokens.Expect(TokenKind.LParen, $"'(' after {name}");
                    var items = new List<Expr>();
                    do
                    {
                        items.Add(ParseExpr());
                    }
                    while (_tokens.Accept(TokenKind.Comma));

                    _tokens.Expect(TokenKind.RParen, "')'");
                    left = new CallExpr(pos, name, [left, .. items]);
                    continue;
                }

                left = new BinaryExpr(pos, name, left, ParseAdditive());
                continue;
            }

            return left;
        }
    }

    private Expr ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (_tokens.At(TokenKind.Plus) || _tokens.At(TokenKind.Minus))
        {
            var pos = _tokens.Pos;
            var op = _tokens.Advance().Text;
            left = new BinaryExpr(pos, op, left, ParseMultiplicative());
        }

        return left;
    }

    private Expr ParseMultiplicative()
    {
        var left = ParseUnary();
        while (_tokens.At(TokenKind.Star) || _tokens.At(TokenKind.Slash) || _tokens.At(TokenKind.Percent))
        {
            var pos = _tokens.Pos;
            var op = _tokens.Advance().Text;
            left = new BinaryExpr(pos, op, left, ParseUnary());
        }

        return left;
    }

    private Expr ParseUnary()
    {
        if (_tokens.At(TokenKind.Minus) || _tokens.At(TokenKind.Plus))
        {
            var pos = _tokens.Pos;
            var op = _tokens.Advance().Text;
            Enter();
            Expr operand;
            try
            {
                operand = ParseUnary();
            }
            finally
            {
                _depth--;
            }

            if (op == "-" && operand is LiteralExpr { Value: long l } lit)
            {
                return lit with { Pos = pos, Value = -l };
            }

            if (op == "-" && operand is LiteralExpr { Value: double d } dl)
            {
                return dl with { Pos = pos, Value = -d };
            }

            if (op == "-" && operand is LiteralExpr { Value: TimeSpan ts } tl)
            {
                return tl with { Pos = pos, Value = -ts };
            }

            return op == "-" ? new UnaryExpr(pos, "-", operand) : operand;
        }

        return ParsePostfix(ParsePrimary());
    }

    private Expr ParsePostfix(Expr expr)
    {
        while (true)
        {
            if (_tokens.At(TokenKind.Dot) && _tokens.NameLength(1) > 0)
            {
                var pos = _tokens.Pos;
                _tokens.Advance();
                expr = new MemberExpr(pos, expr, _tokens.ExpectName("a member name"));
            }
            else if (_tokens.At(TokenKind.LBracket))
            {
                var pos = _tokens.Pos;
                _tokens.Advance();
                var index = ParseExpr();
                _tokens.Expect(TokenKind.RBracket, "']'");
                expr = new IndexExpr(pos, expr, index);
            }
            else
            {
                return expr;
            }
        }
    }

    private Expr ParsePrimary()
    {
        var pos = _tokens.Pos;
        var t = _tokens.Current;
        switch (t.Kind)
        {
            case TokenKind.StringLiteral:
                _tokens.Advance();
                var text = t.Text;
                // Adjacent string literals concatenate ("a" "b").
                while (_tokens.At(TokenKind.StringLiteral))
                {
                    text += _tokens.Advance().Text;
                }

                return new LiteralExpr(pos, text, KqlType.String);
            case TokenKind.LongLiteral:
                _tokens.Advance();
                return WholeNumber(pos, t.Text);
            case TokenKind.RealLiteral:
                _tokens.Advance();
                return new LiteralExpr(pos, double.Parse(t.Text, NumberStyles.Float, CultureInfo.InvariantCulture), KqlType.Real);
            case TokenKind.TimeSpanLiteral:
                _tokens.Advance();
                if (!TimeSpanUnits.TryParse(t.Text, out var ticks))
                {
                    throw pos.Error($"'{t.Text}' is not a timespan literal");
                }

                return new LiteralExpr(pos, TimeSpan.FromTicks(ticks), KqlType.TimeSpan);
            case TokenKind.TypedLiteral:
                _tokens.Advance();
                return TypedLiteral(pos, t.Prefix!, t.Text);
            case TokenKind.LParen:
                {
                    _tokens.Advance();
                    if (StartsTabular())
                    {
                        var tab = ParseTabular();
                        _tokens.Expect(TokenKind.RParen, "')'");
                        return new TabularArgExpr(pos, tab);
                    }

                    var inner = ParseExpr();
                    _tokens.Expect(TokenKind.RParen, "')'");
                    return inner;
                }

            case TokenKind.Dollar:
                throw pos.Error("'$' must be followed by left or right ($left.column, $right.column)");
            case TokenKind.LBracket when _tokens.NameLength() == 3:
                {
                    // ['a b']: a quoted name, which is never a keyword.
                    var name = _tokens.ExpectName("a name");
                    return _tokens.At(TokenKind.LParen) ? new CallExpr(pos, name, ParseArguments()) : new NameExpr(pos, name);
                }

            case TokenKind.Identifier:
                {
                    _tokens.Advance();
                    var name = t.Text;
                    switch (name)
                    {
                        case "true":
                            return new LiteralExpr(pos, true, KqlType.Bool);
                        case "false":
                            return new LiteralExpr(pos, false, KqlType.Bool);
                        case "typeof" when _tokens.At(TokenKind.LParen):
                            {
                                _tokens.Advance();
                                var type = ParseTypeName();
                                _tokens.Expect(TokenKind.RParen, "')'");
                                return new TypeOfExpr(pos, type);
                            }
                    }

                    if (_tokens.At(TokenKind.LParen) && name is "int" or "long" or "real" or "double" or "decimal" or "bool" or "boolean" or "string")
                    {
                        return ScalarTypeLiteral(pos, name);
                    }

                    if (_tokens.At(TokenKind.LParen))
                    {
                        return new CallExpr(pos, name, ParseArguments());
                    }

                    return new NameExpr(pos, name);
                }

            default:
                throw _tokens.Unexpected("an expression");
        }
    }

    private List<Expr> ParseArguments()
    {
        _tokens.Expect(TokenKind.LParen, "'('");
        var args = new List<Expr>();
        if (!_tokens.At(TokenKind.RParen))
        {
            do
            {
                args.Add(ParseArgument());
            }
            while (_tokens.Accept(TokenKind.Comma));
        }

        _tokens.Expect(TokenKind.RParen, "')' to close the argument list");
        return args;
    }

    private Expr ParseArgument()
    {
        if (_tokens.At(TokenKind.Star))
        {
            var pos = _tokens.Pos;
            _tokens.Advance();
            return new StarExpr(pos);
        }

        if (StartsTabular() && !_tokens.At(TokenKind.LParen))
        {
            var pos = _tokens.Pos;
            return new TabularArgExpr(pos, ParseTabular());
        }

        return ParseExpr();
    }
}
