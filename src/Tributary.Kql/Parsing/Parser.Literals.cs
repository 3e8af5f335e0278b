using System.Globalization;
using Tributary.Kql.Syntax;
using Tributary.Kql.Values;

namespace Tributary.Kql.Parsing;

// Literals: numbers, typed literals (datetime(…), dynamic(…) …) and scalar type literals (int(1), real(null) …).
internal sealed partial class Parser
{
    // 42, or 0x2A: Kusto's hex literals are the 64 bits of a long, so 0xFFFFFFFFFFFFFFFF is -1.
    private static LiteralExpr WholeNumber(SourcePosition pos, string text)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var bits)
                ? new LiteralExpr(pos, unchecked((long)bits), KqlType.Long)
                : throw pos.Error($"number '{text}' is out of range (at most 16 hex digits)");
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return new LiteralExpr(pos, value, KqlType.Long);
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var big)
            ? new LiteralExpr(pos, big, KqlType.Real)
            : throw pos.Error($"number '{text}' is out of range");
    }

    private Expr ScalarTypeLiteral(SourcePosition pos, string name)
    {
        _tokens.Expect(TokenKind.LParen, "'('");
        KqlTypes.TryParse(name, out var type);
        var negative = _tokens.Accept(TokenKind.Minus);
        if (!negative)
        {
            // real(+inf)
            _tokens.Accept(TokenKind.Plus);
        }

        var t = _tokens.Current;
        _tokens.Advance();
        _tokens.Expect(TokenKind.RParen, "')'");
        if (t.IsIdentifier("null"))
        {
            return new LiteralExpr(pos, null, type);
        }

        var raw = (negative ? "-" : "") + t.Text;
        if (type == KqlType.String)
        {
            return new LiteralExpr(pos, raw, type);
        }

        if (!KqlValueParser.TryParse(raw, type, out var value))
        {
            throw pos.Error($"'{raw}' is not a valid {KqlTypes.Name(type)} literal");
        }

        return new LiteralExpr(pos, value, type);
    }

    private static string SingleToDoubleQuotes(string json)
    {
        if (!json.Contains('\''))
        {
            return json;
        }

        var sb = new System.Text.StringBuilder(json.Length);
        char? quote = null;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (quote is null)
            {
                if (c is '"' or '\'')
                {
                    quote = c;
                    sb.Append('"');
                }
                else
                {
                    sb.Append(c);
                }

                continue;
            }

            if (c == '\\' && i + 1 < json.Length)
            {
                if (quote == '\'' && json[i + 1] == '\'')
                {
                    sb.Append('\'');
                }
                else
                {
                    sb.Append(c).Append(json[i + 1]);
                }

                i++;
            }
            else if (c == quote)
            {
                quote = null;
                sb.Append('"');
            }
            else if (c == '"')
            {
                sb.Append("\\\"");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    // time(2) is 2 days and time(15 seconds) is 15 seconds: forms only timespan literals accept.
    private static long? TimeSpanWords(string text)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 1 && decimal.TryParse(parts[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var days))
        {
            return (long)decimal.Round(days * TimeSpan.TicksPerDay);
        }

        return parts.Length == 2 && TimeSpanUnits.TryParse(parts[0] + parts[1], out var ticks) ? ticks : null;
    }

    private static LiteralExpr TypedLiteral(SourcePosition pos, string prefix, string content)
    {
        KqlTypes.TryParse(prefix, out var type);
        if (content == "null")
        {
            return new LiteralExpr(pos, type == KqlType.Dynamic ? "null" : null, type);
        }

        if (type == KqlType.Dynamic)
        {
            try
            {
                // Kusto also accepts single-quoted strings inside dynamic literals: dynamic({'a': 1}).
                using var doc = System.Text.Json.JsonDocument.Parse(SingleToDoubleQuotes(content));
                return new LiteralExpr(pos, doc.RootElement.GetRawText(), type);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw pos.Error($"dynamic(…) literal is not valid JSON: {e.Message.Split(" LineNumber")[0]}");
            }
        }

        var text = content;
        if (text.Length >= 2 && text[0] is '"' or '\'' && text[^1] == text[0])
        {
            text = text[1..^1];
        }

        if (type == KqlType.TimeSpan && TimeSpanWords(text) is { } ticks)
        {
            return new LiteralExpr(pos, TimeSpan.FromTicks(ticks), type);
        }

        if (!KqlValueParser.TryParse(text, type, out var value) || value is null)
        {
            var hint = type switch
            {
                KqlType.DateTime => " (expected ISO 8601 like 2019-05-21T19:25:39Z or 2019-05-21 19:25)",
                KqlType.TimeSpan => " (expected [d.]hh:mm:ss[.fffffff] or a literal like 10m)",
                _ => "",
            };
            throw pos.Error($"'{content}' is not a valid {prefix} literal{hint}");
        }

        return new LiteralExpr(pos, value, type);
    }
}
