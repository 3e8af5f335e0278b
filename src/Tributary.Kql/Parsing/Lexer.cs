using System.Globalization;
using System.Text;

namespace Tributary.Kql.Parsing;

/// <summary>
/// Turns KQL text into tokens, one at a time as they are asked for (so a control command can stop at
/// <c>&lt;|</c> and take the rest of its text raw). Comments (<c>//</c> to end of line) and whitespace are skipped.
/// </summary>
/// <remarks>
/// The lexer never decides what a bracket means: <c>['a b']</c> comes out as <c>[</c>, a string and <c>]</c>,
/// and the parser, which knows whether a name or an index or a list of values is due, reads it.
/// </remarks>
internal sealed class Lexer
{
    private static readonly HashSet<string> RawLiteralWords = new(StringComparer.Ordinal)
    {
        "datetime", "date", "timespan", "time", "guid", "dynamic",
    };

    // Words with hyphens in them are keywords of operators and commands; anything else with a '-' is a subtraction (a-b).
    private static readonly string[] HyphenatedWords =
    [
        // Query operators.
        "project-away", "project-keep", "project-rename", "project-reorder", "project-by-names", "project-smart",
        "mv-expand", "mv-apply", "make-series", "make-graph", "top-nested", "top-hitters", "parse-kv", "parse-where",
        "sample-distinct", "assert-schema", "graph-match", "graph-merge", "graph-to-table", "graph-shortest-paths",
        "graph-mark-components",
        // Control commands.
        "set-or-append", "set-or-replace", "create-or-alter", "create-merge", "alter-merge", "materialized-view",
        "materialized-views",
    ];

    private readonly string _text;
    private readonly KqlPosition _origin;
    private int _pos;
    private int _line = 1;
    private int _lineStart;
    private Token _previous;

    /// <summary>A lexer over <paramref name="text"/>, whose first character is at <paramref name="origin"/> of the text the user typed.</summary>
    public Lexer(string text, KqlPosition origin)
    {
        _text = text;
        _origin = origin.Line > 0 ? origin : KqlPosition.Start;
    }

    /// <summary>Every token of <paramref name="text"/>, the last one <see cref="TokenKind.End"/>.</summary>
    public static List<Token> Tokenize(string text)
    {
        var lexer = new Lexer(text, KqlPosition.Start);
        var tokens = new List<Token>();
        while (true)
        {
            var token = lexer.Next();
            tokens.Add(token);
            if (token.Kind == TokenKind.End)
            {
                return tokens;
            }
        }
    }

    /// <summary>The next token; <see cref="TokenKind.End"/> at the end of the text, and again on every later call.</summary>
    public Token Next()
    {
        var token = Read();
        _previous = token;
        return token;
    }

    /// <summary>The next non-blank character (after comments), without reading it; '\0' at the end.</summary>
    public char PeekNonBlank()
    {
        SkipTrivia();
        return Peek();
    }

    /// <summary>
    /// Reads the next run of characters up to a blank, ',', '(' or ')' as one <see cref="TokenKind.RawWord"/>
    /// (empty when one of those comes first): for words of control commands KQL cannot lex, like a bare guid.
    /// </summary>
    public Token NextRawWord()
    {
        SkipTrivia();
        var start = _pos;
        while (_pos < _text.Length && !char.IsWhiteSpace(_text[_pos]) && _text[_pos] is not (',' or '(' or ')'))
        {
            _pos++;
        }

        var token = Make(TokenKind.RawWord, _text[start.._pos], start);
        _previous = token;
        return token;
    }

    /// <summary>The line and column of <paramref name="offset"/> in the text the user typed.</summary>
    public KqlPosition PositionOf(int offset)
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

        return Translate(line, offset - start + 1);
    }

    // Shifts a line and column in this text to the text the user typed: only the first line starts mid-line.
    private KqlPosition Translate(int line, int column) =>
        new(_origin.Line + line - 1, line == 1 ? _origin.Column + column - 1 : column);

    private KqlException Error(string message, int offset)
    {
        var (line, column) = PositionOf(offset);
        return new KqlException(message, line, column);
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

    private Token Make(TokenKind kind, string text, int start, string? prefix = null)
    {
        var (line, column) = Translate(_line, start - _lineStart + 1);
        return new(kind, text, start, line, column, prefix);
    }

    private Token Read()
    {
        var previous = _previous;
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
            while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
            {
                _pos++;
            }

            if (Peek() == '-')
            {
                _pos = start + HyphenatedWordLength(start, _pos - start);
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
                if (Peek() == '|')
                {
                    _pos++;
                    return Make(TokenKind.LessPipe, "<|", start);
                }

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

    // The length of the hyphenated keyword that starts at 'start' (project-away, set-or-append …), or of the plain word there.
    private int HyphenatedWordLength(int start, int wordLength)
    {
        var rest = _text.AsSpan(start);
        var best = wordLength;
        foreach (var word in HyphenatedWords)
        {
            if (word.Length > best && rest.StartsWith(word, StringComparison.Ordinal) &&
                (rest.Length == word.Length || !(char.IsLetterOrDigit(rest[word.Length]) || rest[word.Length] == '_')))
            {
                best = word.Length;
            }
        }

        return best;
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
        if (Peek() == '0' && Peek(1) is 'x' or 'X' && char.IsAsciiHexDigit(Peek(2)))
        {
            _pos += 2;
            while (char.IsAsciiHexDigit(Peek()))
            {
                _pos++;
            }

            if (char.IsLetterOrDigit(Peek()) || Peek() == '_')
            {
                throw Error($"'{_text[start..(_pos + 1)]}' is not a number (a hex number is 0x and the digits 0-9, a-f)", start);
            }

            return Make(TokenKind.LongLiteral, _text[start.._pos], start);
        }

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
