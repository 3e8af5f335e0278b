using System.Globalization;
using System.Text;

namespace Tributary.Kql.Parsing;

/// <summary>Turns KQL text into tokens. Comments (<c>//</c> to end of line) and whitespace are skipped.</summary>
internal sealed class Lexer
{
    private static readonly HashSet<string> RawLiteralWords = new(StringComparer.Ordinal)
    {
        "datetime", "date", "timespan", "time", "guid", "dynamic",
    };

    // After these words a column name comes, so ['x'] is a quoted name, not an index into the word.
    private static readonly HashSet<string> NameFollows = new(StringComparer.Ordinal)
    {
        "print", "project", "project-away", "project-keep", "project-rename", "project-reorder", "extend", "where", "filter",
        "summarize", "by", "distinct", "and", "or", "on", "let", "range", "mv-expand", "mvexpand", "serialize", "as", "union",
        "join", "lookup", "in", "!in", "in~", "!in~", "has", "!has", "has_cs", "!has_cs", "contains", "!contains",
        "contains_cs", "!contains_cs", "startswith", "!startswith", "endswith", "!endswith", "between", "!between",
    };

    private readonly string _text;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    private Lexer(string text) => _text = text;

    public static List<Token> Tokenize(string text)
    {
        var lexer = new Lexer(text);
        var tokens = new List<Token>();
        while (true)
        {
            var token = lexer.Next(tokens.Count > 0 ? tokens[^1] : default);
            tokens.Add(token);
            if (token.Kind == TokenKind.End)
            {
                return tokens;
            }
        }
    }

    private KqlException Error(string message, int offset)
    {
        var (line, column) = Position(offset);
        return new KqlException(message, line, column);
    }

    private (int Line, int Column) Position(int offset)
    {
        var line = 1;
        var start = 0;
        for (var i = 0; i < offset && i < _text.Length; i++)
        {
            if (_text[i] == '\n')
            {
                line++;
                start = i + 1;
            }
        }

        return (line, offset - start + 1);
    }

    private char Peek(int ahead = 0) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private void SkipTrivia()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '\n')
            {
                _pos++;
                _line++;
                _lineStart = _pos;
            }
            else if (char.IsWhiteSpace(c))
            {
                _pos++;
            }
            else if (c == '/' && Peek(1) == '/')
            {
                while (_pos < _text.Length && _text[_pos] != '\n')
                {
                    _pos++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private Token Make(TokenKind kind, string text, int start, string? prefix = null) =>
        new(kind, text, start, _line, start - _lineStart + 1, prefix);

    private Token Next(Token previous)
    {
        SkipTrivia();
        var start = _pos;
        if (_pos >= _text.Length)
        {
            return Make(TokenKind.End, "", start);
        }

        var c = _text[_pos];

        // Verbatim and obfuscated string prefixes: @"…", h"…", H@"…".
        if ((c is 'h' or 'H') && (Peek(1) is '"' or '\'' || (Peek(1) == '@' && Peek(2) is '"' or '\'')))
        {
            _pos++;
            return ReadString(start);
        }

        if (c == '@' && Peek(1) is '"' or '\'')
        {
            return ReadString(start);
        }

        if (c is '"' or '\'')
        {
            return ReadString(start);
        }

        if (c == '`' && Peek(1) == '`' && Peek(2) == '`')
        {
            var end = _text.IndexOf("```", _pos + 3, StringComparison.Ordinal);
            if (end < 0)
            {
                throw Error("unterminated multi-line string literal (```)", start);
            }

            var value = _text[(_pos + 3)..end];
            var token = Make(TokenKind.StringLiteral, value, start);
            AdvanceTo(end + 3);
            return token;
        }

        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(Peek(1)) && previous.Kind != TokenKind.Identifier))
        {
            return ReadNumber(start);
        }

        if (char.IsLetter(c) || c == '_' || c == '$')
        {
            if (c == '$' && !(char.IsLetter(Peek(1)) || Peek(1) == '_'))
            {
                _pos++;
                return Make(TokenKind.Dollar, "$", start);
            }

            _pos++;
            while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '_' ||
                   (_text[_pos] == '-' && IsHyphenatedKeywordContinuation(start))))
            {
                _pos++;
            }

            if (Peek() == '~' && _text.AsSpan(start, _pos - start) is "in")
            {
                _pos++;
            }

            var word = _text[start.._pos];
            if (RawLiteralWords.Contains(word) && previous.Kind != TokenKind.Dot)
            {
                var save = _pos;
                SkipTrivia();
                if (Peek() == '(')
                {
                    return ReadRawLiteral(start, word);
                }

                _pos = save;
            }

            return Make(TokenKind.Identifier, word, start);
        }

        if (c == '[' && Peek(1) is '\'' or '"' && (previous.Kind is not (TokenKind.Identifier or TokenKind.RParen or TokenKind.RBracket) ||
            (previous.Kind == TokenKind.Identifier && NameFollows.Contains(previous.Text)) || (start > 0 && char.IsWhiteSpace(_text[start - 1]))))
        {
            // Bracket-quoted identifier: ['my column'] or ["x"]. Right after a name or ')' without a space it is an index (d['key']).
            _pos++;
            var str = ReadString(_pos);
            SkipTrivia();
            if (Peek() != ']')
            {
                throw Error("expected ']' after a quoted identifier", _pos);
            }

            _pos++;
            if (str.Text.Contains('\0'))
            {
                throw Error("a quoted name cannot contain a NUL character", start);
            }

            return Make(TokenKind.Identifier, str.Text, start);
        }

        _pos++;
        switch (c)
        {
            case '|': return Make(TokenKind.Pipe, "|", start);
            case ';': return Make(TokenKind.Semicolon, ";", start);
            case ',': return Make(TokenKind.Comma, ",", start);
            case ':': return Make(TokenKind.Colon, ":", start);
            case '(': return Make(TokenKind.LParen, "(", start);
            case ')': return Make(TokenKind.RParen, ")", start);
            case '[': return Make(TokenKind.LBracket, "[", start);
            case ']': return Make(TokenKind.RBracket, "]", start);
            case '{': return Make(TokenKind.LBrace, "{", start);
            case '}': return Make(TokenKind.RBrace, "}", start);
            case '+': return Make(TokenKind.Plus, "+", start);
            case '-': return Make(TokenKind.Minus, "-", start);
            case '*': return Make(TokenKind.Star, "*", start);
            case '/': return Make(TokenKind.Slash, "/", start);
            case '%': return Make(TokenKind.Percent, "%", start);
            case '$': return Make(TokenKind.Dollar, "$", start);
            case '.':
                if (Peek() == '.')
                {
                    _pos++;
                    return Make(TokenKind.DotDot, "..", start);
                }

                return Make(TokenKind.Dot, ".", start);
            case '=':
                if (Peek() == '=')
                {
                    _pos++;
                    return Make(TokenKind.EqualEqual, "==", start);
                }

                if (Peek() == '~')
                {
                    _pos++;
                    return Make(TokenKind.EqualTilde, "=~", start);
                }

                if (Peek() == '>')
                {
                    _pos++;
                    return Make(TokenKind.FatArrow, "=>", start);
                }

                return Make(TokenKind.Equal, "=", start);
            case '!':
                if (Peek() == '=')
                {
                    _pos++;
                    return Make(TokenKind.BangEqual, "!=", start);
                }

                if (Peek() == '~')
                {
                    _pos++;
                    return Make(TokenKind.BangTilde, "!~", start);
                }

                // '!' prefixes word operators: !has, !contains, !in, !startswith …
                if (char.IsLetter(Peek()))
                {
                    var wordStart = _pos;
                    while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
                    {
                        _pos++;
                    }

                    if (Peek() == '~')
                    {
                        _pos++;
                    }

                    return Make(TokenKind.Identifier, "!" + _text[wordStart.._pos], start);
                }

                break;
            case '<':
                if (Peek() == '=')
                {
                    _pos++;
                    return Make(TokenKind.LessEqual, "<=", start);
                }

                if (Peek() == '>')
                {
                    _pos++;
                    return Make(TokenKind.LessGreater, "<>", start);
                }

                return Make(TokenKind.Less, "<", start);
            case '>':
                if (Peek() == '=')
                {
                    _pos++;
                    return Make(TokenKind.GreaterEqual, ">=", start);
                }

                return Make(TokenKind.Greater, ">", start);
        }

        throw Error($"unexpected character '{Printable(c)}'", start);
    }

    private static string Printable(char c) => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString();

    // Hyphenated operator names: project-away, mv-expand, order-by is not one, but these are.
    private bool IsHyphenatedKeywordContinuation(int start)
    {
        var word = _text[start.._pos];
        return word is "project" or "mv" or "set" or "set-or" or "create" or "create-or" or "alter" or "top" or "make" or "materialized"
            && _pos + 1 < _text.Length && char.IsLetter(_text[_pos + 1]);
    }

    private void AdvanceTo(int end)
    {
        for (var i = _pos; i < end; i++)
        {
            if (_text[i] == '\n')
            {
                _line++;
                _lineStart = i + 1;
            }
        }

        _pos = end;
    }

    private Token ReadString(int start)
    {
        var verbatim = false;
        if (Peek() == '@')
        {
            verbatim = true;
            _pos++;
        }

        var quote = _text[_pos];
        _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length || _text[_pos] == '\n')
            {
                throw Error("unterminated string literal", start);
            }

            var c = _text[_pos++];
            if (c == quote)
            {
                if (verbatim && Peek() == quote)
                {
                    sb.Append(quote);
                    _pos++;
                    continue;
                }

                break;
            }

            if (c == '\\' && !verbatim)
            {
                if (_pos >= _text.Length)
                {
                    throw Error("unterminated string literal", start);
                }

                var e = _text[_pos++];
                switch (e)
                {
                    case 'n': sb.Append('\n'); break;
                    case 't': sb.Append('\t'); break;
                    case 'r': sb.Append('\r'); break;
                    case '0': sb.Append('\0'); break;
                    case '\\': sb.Append('\\'); break;
                    case '"': sb.Append('"'); break;
                    case '\'': sb.Append('\''); break;
                    case 'u' when _pos + 4 <= _text.Length &&
                        int.TryParse(_text.AsSpan(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                        sb.Append((char)code);
                        _pos += 4;
                        break;
                    default:
                        // Kusto keeps unknown escapes (regex classes like \d, \s) as written.
                        sb.Append('\\').Append(e);
                        break;
                }

                continue;
            }

            sb.Append(c);
        }

        return Make(TokenKind.StringLiteral, sb.ToString(), start);
    }

    private Token ReadNumber(int start)
    {
        while (char.IsAsciiDigit(Peek()))
        {
            _pos++;
        }

        var isReal = false;
        if (Peek() == '.' && char.IsAsciiDigit(Peek(1)))
        {
            isReal = true;
            _pos++;
            while (char.IsAsciiDigit(Peek()))
            {
                _pos++;
            }
        }

        if (Peek() is 'e' or 'E' && (char.IsAsciiDigit(Peek(1)) || (Peek(1) is '+' or '-' && char.IsAsciiDigit(Peek(2)))))
        {
            isReal = true;
            _pos += 2;
            while (char.IsAsciiDigit(Peek()))
            {
                _pos++;
            }
        }

        var number = _text[start.._pos];
        if (char.IsLetter(Peek()))
        {
            var unitStart = _pos;
            while (char.IsLetter(Peek()))
            {
                _pos++;
            }

            var unit = _text[unitStart.._pos];
            if (!TimeSpanUnits.TryGetTicks(unit, out _))
            {
                throw Error($"unknown timespan unit '{unit}' in '{number}{unit}' (use d, h, m/min, s, ms, microsecond, tick)", start);
            }

            return Make(TokenKind.TimeSpanLiteral, number + unit, start);
        }

        return Make(isReal ? TokenKind.RealLiteral : TokenKind.LongLiteral, number, start);
    }

    private Token ReadRawLiteral(int start, string word)
    {
        // _pos is at '('. Read up to the matching ')', respecting nesting and quoted strings (for dynamic JSON).
        var open = _pos;
        _pos++;
        var depth = 1;
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c is '"' or '\'')
            {
                var quote = c;
                _pos++;
                while (_pos < _text.Length && _text[_pos] != quote)
                {
                    if (_text[_pos] == '\\')
                    {
                        _pos++;
                    }

                    _pos++;
                }
            }
            else if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}')
            {
                depth--;
                if (depth == 0)
                {
                    var content = _text[(open + 1).._pos].Trim();
                    var token = Make(TokenKind.TypedLiteral, content, start, word == "date" ? "datetime" : word == "time" ? "timespan" : word);
                    AdvanceTo(_pos + 1);
                    return token;
                }
            }

            _pos++;
        }

        throw Error($"unterminated {word}(…) literal: missing ')'", start);
    }
}
