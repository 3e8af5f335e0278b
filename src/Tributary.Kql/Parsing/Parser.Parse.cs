using Tributary.Kql.Patterns;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Parsing;

// parse, parse-where and parse-kv: the operators that extract columns from text.
internal sealed partial class Parser
{
    private ParseOperator ParseParse(SourcePosition pos, bool dropsUnmatched)
    {
        var op = dropsUnmatched ? "parse-where" : "parse";
        var kind = "simple";
        var flags = "";
        while (_tokens.AtWord("kind") || _tokens.AtWord("flags"))
        {
            var word = _tokens.Advance().Text;
            _tokens.Expect(TokenKind.Equal, $"'=' after {word}");
            var value = _tokens.Advance();
            if (word == "kind")
            {
                if (value.Text is not ("simple" or "regex" or "relaxed"))
                {
                    throw TokenCursor.PosOf(value).Error($"unknown {op} kind '{value.Text}' (expected simple, regex or relaxed)");
                }

                kind = value.Text;
            }
            else
            {
                flags = RegexFlags(value);
            }
        }

        if (flags.Length > 0 && kind != "regex")
        {
            throw pos.Error($"{op} flags=… needs kind=regex");
        }

        var source = ParseExpr();
        _tokens.ExpectWord("with");
        var items = new List<ParseItem>();
        while (true)
        {
            var itemPos = _tokens.Pos;
            if (_tokens.At(TokenKind.StringLiteral))
            {
                items.Add(new ParseItem(_tokens.Advance().Text, null, KqlType.String, false, itemPos));
            }
            else if (_tokens.At(TokenKind.Star))
            {
                _tokens.Advance();
                items.Add(new ParseItem(null, null, KqlType.String, true, itemPos));
            }
            else if (_tokens.AtName)
            {
                var column = _tokens.ExpectName("a column name");
                var type = KqlType.String;
                if (_tokens.Accept(TokenKind.Colon))
                {
                    type = ParseTypeName();
                }

                items.Add(new ParseItem(null, column, type, false, itemPos));
            }
            else
            {
                break;
            }

            _tokens.Accept(TokenKind.Comma);
        }

        if (!items.Any(i => i.Column is not null))
        {
            throw pos.Error($"{op} needs at least one column to extract: {op} Text with \"key=\" Value:long *");
        }

        return new ParseOperator(pos, kind, flags, source, items, dropsUnmatched);
    }

    // Kusto's regex flags as RE2 takes them: i (ignore case), m (multi-line), s (. matches \n), U (ungreedy).
    private static string RegexFlags(Token value)
    {
        var text = value.Text;
        if (text.Length == 0 || text.Any(c => c is not ('i' or 'm' or 's' or 'U')) || value.Kind is not (TokenKind.Identifier or TokenKind.StringLiteral))
        {
            throw TokenCursor.PosOf(value).Error($"unknown regex flags '{text}' (expected some of i, m, s and U)");
        }

        return text;
    }

    private ParseKvOperator ParseParseKv(SourcePosition pos)
    {
        var source = ParseExpr();
        _tokens.ExpectWord("as");
        _tokens.Expect(TokenKind.LParen, "'(' with the keys to extract: parse-kv Text as (Key: type, …)");
        var keys = new List<ParseKvKey>();
        do
        {
            var keyPos = _tokens.Pos;
            var name = _tokens.ExpectName("a key name");
            _tokens.Expect(TokenKind.Colon, "':' and the key's type");
            var type = ParseTypeName();
            if (keys.Any(k => k.Name == name))
            {
                throw keyPos.Error($"parse-kv names key '{name}' twice");
            }

            keys.Add(new ParseKvKey(name, type, keyPos));
        }
        while (_tokens.Accept(TokenKind.Comma));

        _tokens.Expect(TokenKind.RParen, "')'");
        var withPos = _tokens.Pos;
        var options = _tokens.AcceptWord("with") ? ParseKvProperties(withPos) : ParseKvOptions.Default;
        return new ParseKvOperator(pos, source, keys, options);
    }

    // pos: where 'with' is, for errors about the properties together.
    private ParseKvOptions ParseKvProperties(SourcePosition pos)
    {
        _tokens.Expect(TokenKind.LParen, "'(' with parse-kv's properties");
        string? pair = null, kv = null, regex = null;
        var quotes = new List<string>();
        var escapes = new List<string>();
        var greedy = false;
        while (!_tokens.At(TokenKind.RParen))
        {
            var namePos = _tokens.Pos;
            var name = _tokens.ExpectName("a parse-kv property (pair_delimiter, kv_delimiter, quote, escape, greedy, regex)");
            _tokens.Expect(TokenKind.Equal, $"'=' after {name}");
            var valuePos = _tokens.Pos;
            switch (name)
            {
                case "pair_delimiter":
                    pair = NonEmptyText(name, valuePos);
                    break;
                case "kv_delimiter":
                    kv = NonEmptyText(name, valuePos);
                    break;
                case "quote":
                    var quote = NonEmptyText(name, valuePos);
                    quotes.Add(quote.Length <= 2 ? quote : throw valuePos.Error("a parse-kv quote is one character, or two (the opening and the closing quote)"));
                    break;
                case "escape":
                    var escape = NonEmptyText(name, valuePos);
                    escapes.Add(escape.Length == 1 ? escape : throw valuePos.Error("a parse-kv escape is one character"));
                    break;
                case "greedy":
                    greedy = ParseExpr() is LiteralExpr { Value: bool b } ? b : throw valuePos.Error("greedy is true or false");
                    break;
                case "regex":
                    regex = NonEmptyText(name, valuePos);
                    CheckKeyValueRegex(regex, valuePos);
                    break;
                default:
                    throw namePos.Error($"unknown parse-kv property '{name}' (expected pair_delimiter, kv_delimiter, quote, escape, greedy or regex)");
            }

            if (!_tokens.Accept(TokenKind.Comma))
            {
                break;
            }
        }

        _tokens.Expect(TokenKind.RParen, "')'");
        if ((pair is null) != (kv is null))
        {
            throw pos.Error("parse-kv needs both pair_delimiter and kv_delimiter, or neither");
        }

        if (regex is not null && (pair is not null || quotes.Count > 0 || escapes.Count > 0 || greedy))
        {
            throw pos.Error("parse-kv with regex takes no other property: the regex's two groups are the key and the value");
        }

        if (greedy && pair is null)
        {
            throw pos.Error("parse-kv greedy=true needs pair_delimiter and kv_delimiter");
        }

        return new ParseKvOptions(pair, kv, quotes, escapes, greedy, regex);
    }

    private string NonEmptyText(string property, SourcePosition pos)
    {
        var value = ParseExpr();
        return value is LiteralExpr { Value: string { Length: > 0 } text }
            ? text
            : throw pos.Error($"parse-kv {property} is a non-empty string literal");
    }

    private static void CheckKeyValueRegex(string regex, SourcePosition pos)
    {
        if (Re2Pattern.Check(regex) is { } error)
        {
            throw pos.Error($"invalid regular expression '{regex}': {error.Message} (at character {error.Index + 1} of the pattern)");
        }

        var groups = Re2Pattern.CaptureGroupCount(regex);
        if (groups != 2)
        {
            throw pos.Error($"a parse-kv regex has exactly two capturing groups (the key, then the value), but this one has {groups}");
        }
    }
}
