using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Tributary.Kql.Parsing;
using Tributary.Kql.Values;

namespace Tributary.Kql.Tests.Parsing;

public sealed class LexerTests
{
    private static List<Token> Lex(string text) => Lexer.Tokenize(text);

    private static Token Single(string text)
    {
        var tokens = Lex(text);
        Assert.Equal(2, tokens.Count);
        Assert.Equal(TokenKind.End, tokens[1].Kind);
        return tokens[0];
    }

    private static List<(TokenKind, string)> Kinds(string text) =>
        Lex(text).Where(t => t.Kind != TokenKind.End).Select(t => (t.Kind, t.Text)).ToList();

    // ---- strings ---------------------------------------------------------------------------------

    [Theory]
    [InlineData(@"""plain""", "plain")]
    [InlineData(@"'single'", "single")]
    [InlineData(@"""a\""b""", "a\"b")]
    [InlineData(@"'it\'s'", "it's")]
    [InlineData(@"""back\\slash""", "back\\slash")]
    [InlineData(@"""tab\there""", "tab\there")]
    [InlineData(@"""line\nbreak\r""", "line\nbreak\r")]
    [InlineData(@"""\u0041\u00e9""", "Aé")]
    [InlineData(@"""\d+\s""", @"\d+\s")]
    [InlineData(@"""'inner single'""", "'inner single'")]
    [InlineData(@"'""inner double""'", "\"inner double\"")]
    [InlineData(@"""""", "")]
    public void String_WithEscapes_DecodesValue(string literal, string expected)
    {
        var token = Single(literal);
        Assert.Equal(TokenKind.StringLiteral, token.Kind);
        Assert.Equal(expected, token.Text);
    }

    [Theory]
    [InlineData(@"@""C:\temp\new""", @"C:\temp\new")]
    [InlineData(@"@""say """"hi""""""", "say \"hi\"")]
    [InlineData(@"@'a''b'", "a'b")]
    [InlineData(@"@'\n'", @"\n")]
    public void VerbatimString_BackslashIsLiteral_DoubledQuoteIsQuote(string literal, string expected)
    {
        var token = Single(literal);
        Assert.Equal(TokenKind.StringLiteral, token.Kind);
        Assert.Equal(expected, token.Text);
    }

    [Theory]
    [InlineData(@"h""secret""", "secret")]
    [InlineData(@"H'secret'", "secret")]
    [InlineData(@"h@""c:\x""", @"c:\x")]
    public void ObfuscatedString_IsAnOrdinaryStringLiteral(string literal, string expected) =>
        Assert.Equal(expected, Single(literal).Text);

    [Fact]
    public void MultiLineString_KeepsNewlines()
    {
        var token = Single("```line1\nline2```");
        Assert.Equal(TokenKind.StringLiteral, token.Kind);
        Assert.Equal("line1\nline2", token.Text);
    }

    [Theory]
    [InlineData("\"abc", 1, 1)]
    [InlineData("x == 'abc", 1, 6)]
    [InlineData("T\n| where a == \"abc\ndef\"", 2, 14)]
    [InlineData("@\"never closed", 1, 1)]
    public void String_Unterminated_ErrorWithPosition(string text, int line, int column)
    {
        var e = Assert.Throws<KqlException>(() => Lex(text));
        Assert.Contains("unterminated string literal", e.Reason, StringComparison.Ordinal);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
    }

    [Fact]
    public void String_ContainingCommentMarker_IsNotAComment() =>
        Assert.Equal("http://example.com", Single("\"http://example.com\"").Text);

    // ---- timespan literals ---------------------------------------------------------------------------

    [Theory]
    [InlineData("10min", 10 * TimeSpan.TicksPerMinute)]
    [InlineData("10m", 10 * TimeSpan.TicksPerMinute)]
    [InlineData("1h", TimeSpan.TicksPerHour)]
    [InlineData("2d", 2 * TimeSpan.TicksPerDay)]
    [InlineData("1.5h", 90 * TimeSpan.TicksPerMinute)]
    [InlineData("100ms", 100 * TimeSpan.TicksPerMillisecond)]
    [InlineData("30s", 30 * TimeSpan.TicksPerSecond)]
    [InlineData("0.5d", 12 * TimeSpan.TicksPerHour)]
    [InlineData("3hours", 3 * TimeSpan.TicksPerHour)]
    [InlineData("7microseconds", 70)]
    [InlineData("5tick", 5)]
    public void TimespanLiteral_NumberAndUnit_IsOneTokenWithItsTicks(string literal, long ticks)
    {
        var token = Single(literal);
        Assert.Equal(TokenKind.TimeSpanLiteral, token.Kind);
        Assert.Equal(literal, token.Text);
        Assert.True(TimeSpanUnits.TryParse(token.Text, out var parsed));
        Assert.Equal(ticks, parsed);
    }

    [Fact]
    public void TimespanLiteral_UnknownUnit_ErrorNamesTheUnit()
    {
        var e = Assert.Throws<KqlException>(() => Lex("ago(10parsecs)"));
        Assert.Contains("unknown timespan unit 'parsecs'", e.Reason, StringComparison.Ordinal);
        Assert.Equal((1, 5), (e.Line, e.Column));
    }

    public static Arbitrary<(int Amount, string Unit)> TimespanParts() =>
        (from amount in Gen.Choose(0, 1_000_000)
         from unit in Gen.Elements("d", "h", "m", "min", "s", "ms", "microsecond", "tick")
         select (amount, unit)).ToArbitrary();

    [Property(Arbitrary = [typeof(LexerTests)])]
    public void TimespanLiteral_AnyAmountAndUnit_LexesBackToSameTicks((int Amount, string Unit) parts)
    {
        Assert.True(TimeSpanUnits.TryGetTicks(parts.Unit, out var unitTicks));
        var token = Single($"{parts.Amount}{parts.Unit}");
        Assert.Equal(TokenKind.TimeSpanLiteral, token.Kind);
        Assert.True(TimeSpanUnits.TryParse(token.Text, out var ticks));
        Assert.Equal(parts.Amount * unitTicks, ticks);
    }

    [Property]
    public void TimespanPrinted_ParsesBackToSameTicks(long ticks)
    {
        var value = TimeSpan.FromTicks(ticks % (TimeSpan.TicksPerDay * 100_000));
        var printed = KqlValueFormatter.FormatTimeSpan(value);
        var literal = Assert.IsType<Syntax.LiteralExpr>(Parser.ParseExpression($"timespan({printed})"));
        Assert.Equal(value, literal.Value);
    }

    [Property]
    public void DatetimePrinted_ParsesBackToSameInstant(long ticks)
    {
        var value = new DateTime(Math.Abs(ticks % DateTime.MaxValue.Ticks), DateTimeKind.Utc);
        var printed = KqlValueFormatter.FormatDateTime(value);
        var literal = Assert.IsType<Syntax.LiteralExpr>(Parser.ParseExpression($"datetime({printed})"));
        Assert.Equal(value, literal.Value);
    }

    // ---- typed literals --------------------------------------------------------------------------------

    [Theory]
    [InlineData("datetime(2024-01-01 10:00)", "datetime", "2024-01-01 10:00")]
    [InlineData("datetime( 2024-01-01T10:00:00Z )", "datetime", "2024-01-01T10:00:00Z")]
    [InlineData("datetime (2024-01-01)", "datetime", "2024-01-01")]
    [InlineData("date(2024-01-01)", "datetime", "2024-01-01")]
    [InlineData("time(1.02:03:04)", "timespan", "1.02:03:04")]
    [InlineData("timespan(10m)", "timespan", "10m")]
    [InlineData("guid(3f576830-2d8f-481b-8448-bca561090831)", "guid", "3f576830-2d8f-481b-8448-bca561090831")]
    [InlineData("dynamic({\"a\": [1, (2)], \"b\": \")\"})", "dynamic", "{\"a\": [1, (2)], \"b\": \")\"}")]
    [InlineData("dynamic(null)", "dynamic", "null")]
    public void TypedLiteral_RawContentUpToMatchingParen(string text, string prefix, string content)
    {
        var token = Single(text);
        Assert.Equal(TokenKind.TypedLiteral, token.Kind);
        Assert.Equal(prefix, token.Prefix);
        Assert.Equal(content, token.Text);
    }

    [Fact]
    public void TypedLiteral_MissingParen_ErrorWithPosition()
    {
        var e = Assert.Throws<KqlException>(() => Lex("print x = datetime(2024-01-01"));
        Assert.Contains("missing ')'", e.Reason, StringComparison.Ordinal);
        Assert.Equal((1, 11), (e.Line, e.Column));
    }

    [Fact]
    public void TypeWordAfterDot_IsAnIdentifier() =>
        Assert.Equal([(TokenKind.Identifier, "d"), (TokenKind.Dot, "."), (TokenKind.Identifier, "datetime")], Kinds("d.datetime"));

    [Fact]
    public void TypeWordWithoutParen_IsAnIdentifier() =>
        Assert.Equal([(TokenKind.Identifier, "time"), (TokenKind.Comma, ",")], Kinds("time,"));

    // ---- comments, operators, identifiers ---------------------------------------------------------

    [Fact]
    public void Comment_ToEndOfLine_IsSkipped()
    {
        Assert.Equal(
            [(TokenKind.Identifier, "T"), (TokenKind.Pipe, "|"), (TokenKind.Identifier, "take"), (TokenKind.LongLiteral, "1")],
            Kinds("T // all rows | where x\n| take 1 // done"));
    }

    [Fact]
    public void Comment_OnlyText_GivesJustEnd() =>
        Assert.Equal(TokenKind.End, Assert.Single(Lex("// nothing here")).Kind);

    [Theory]
    [InlineData("!has")]
    [InlineData("!contains")]
    [InlineData("!contains_cs")]
    [InlineData("!startswith")]
    [InlineData("!in")]
    [InlineData("!in~")]
    [InlineData("in~")]
    [InlineData("!between")]
    public void NegatedAndTildeWordOperators_AreOneToken(string op)
    {
        var tokens = Kinds($"x {op} y");
        Assert.Equal([(TokenKind.Identifier, "x"), (TokenKind.Identifier, op), (TokenKind.Identifier, "y")], tokens);
    }

    [Fact]
    public void SymbolOperators_LexAsExpected()
    {
        Assert.Equal(
            [TokenKind.EqualEqual, TokenKind.BangEqual, TokenKind.EqualTilde, TokenKind.BangTilde, TokenKind.LessGreater,
             TokenKind.LessEqual, TokenKind.GreaterEqual, TokenKind.Less, TokenKind.Greater, TokenKind.FatArrow, TokenKind.DotDot,
             TokenKind.Equal],
            Lex("== != =~ !~ <> <= >= < > => .. =").Where(t => t.Kind != TokenKind.End).Select(t => t.Kind));
    }

    [Theory]
    [InlineData("project-away")]
    [InlineData("project-keep")]
    [InlineData("project-rename")]
    [InlineData("project-reorder")]
    [InlineData("mv-expand")]
    public void HyphenatedOperator_IsOneIdentifier(string op) =>
        Assert.Equal([(TokenKind.Pipe, "|"), (TokenKind.Identifier, op), (TokenKind.Identifier, "x")], Kinds($"| {op} x"));

    [Fact]
    public void Minus_BetweenNames_IsSubtraction() =>
        Assert.Equal([(TokenKind.Identifier, "a"), (TokenKind.Minus, "-"), (TokenKind.Identifier, "b")], Kinds("a-b"));

    [Fact]
    public void Minus_AfterProjectWithoutLetter_IsSubtraction() =>
        Assert.Equal([(TokenKind.Identifier, "project"), (TokenKind.Minus, "-"), (TokenKind.LongLiteral, "1")], Kinds("project-1"));

    [Theory]
    [InlineData("42", "LongLiteral")]
    [InlineData("1.5", "RealLiteral")]
    [InlineData("1e3", "RealLiteral")]
    [InlineData("2.5E-2", "RealLiteral")]
    [InlineData(".5", "RealLiteral")]
    public void Number_KindFromItsShape(string text, string kind) => Assert.Equal(Enum.Parse<TokenKind>(kind), Single(text).Kind);

    [Theory]
    [InlineData(", ['my column']", "my column")]
    [InlineData("print ['a\"b']", "a\"b")]
    [InlineData(") [\"x y\"]", "x y")]
    public void Bracket_IsAlwaysABracket_TheParserDecidesWhatItMeans(string text, string quoted)
    {
        var tokens = Kinds(text);
        Assert.Equal([(TokenKind.LBracket, "["), (TokenKind.StringLiteral, quoted), (TokenKind.RBracket, "]")], tokens.Skip(1));
    }

    [Fact]
    public void LessPipe_IsOneToken() =>
        Assert.Equal([TokenKind.Identifier, TokenKind.LessPipe, TokenKind.Identifier], Lex("T <| x").Where(t => t.Kind != TokenKind.End).Select(t => t.Kind));

    [Theory]
    [InlineData("0xFF")]
    [InlineData("0x0000000a")]
    [InlineData("0XfFfF")]
    public void HexNumber_IsOneLongLiteral(string text)
    {
        var token = Single(text);
        Assert.Equal(TokenKind.LongLiteral, token.Kind);
        Assert.Equal(text, token.Text);
    }

    [Fact]
    public void HexNumber_WithALetterAfterIt_IsAnErrorWithPosition()
    {
        var e = Assert.Throws<KqlException>(() => Lex("print 0xFFz"));
        Assert.Contains("'0xFFz'", e.Reason, StringComparison.Ordinal);
        Assert.Equal((1, 7), (e.Line, e.Column));
    }

    [Theory]
    [InlineData("parse-kv")]
    [InlineData("parse-where")]
    [InlineData("sample-distinct")]
    [InlineData("assert-schema")]
    [InlineData("project-by-names")]
    [InlineData("set-or-append")]
    [InlineData("materialized-view")]
    public void HyphenatedKeyword_IsOneWordWhole(string word) =>
        Assert.Equal([(TokenKind.Pipe, "|"), (TokenKind.Identifier, word), (TokenKind.Identifier, "x")], Kinds($"| {word} x"));

    [Theory]
    [InlineData("top-x", "top", "x")]
    [InlineData("parse-kvx", "parse", "kvx")]
    [InlineData("project-awayz", "project", "awayz")]
    public void HyphenAfterAWordThatIsNoKeyword_IsSubtraction(string text, string left, string right) =>
        Assert.Equal([(TokenKind.Identifier, left), (TokenKind.Minus, "-"), (TokenKind.Identifier, right)], Kinds(text));

    [Fact]
    public void Origin_ShiftsTheFirstLinesColumnsAndEveryLine()
    {
        var lexer = new Lexer("a\n  b", new KqlPosition(3, 10));
        var a = lexer.Next();
        var b = lexer.Next();
        Assert.Equal((3, 10), (a.Line, a.Column));
        Assert.Equal((4, 3), (b.Line, b.Column));
    }

    [Fact]
    public void BracketAfterName_IsAnIndex() =>
        Assert.Equal(
            [(TokenKind.Identifier, "d"), (TokenKind.LBracket, "["), (TokenKind.StringLiteral, "k"), (TokenKind.RBracket, "]")],
            Kinds("d['k']"));

    [Fact]
    public void Positions_AreOneBasedLineAndColumn()
    {
        var tokens = Lex("T\n  | where x");
        Assert.Equal((1, 1), (tokens[0].Line, tokens[0].Column));
        Assert.Equal((2, 3), (tokens[1].Line, tokens[1].Column));
        Assert.Equal((2, 5), (tokens[2].Line, tokens[2].Column));
        Assert.Equal((2, 11), (tokens[3].Line, tokens[3].Column));
    }

    [Fact]
    public void UnexpectedCharacter_ErrorWithPosition()
    {
        var e = Assert.Throws<KqlException>(() => Lex("T | where x # 1"));
        Assert.Contains("unexpected character '#'", e.Reason, StringComparison.Ordinal);
        Assert.Equal((1, 13), (e.Line, e.Column));
    }

    // ---- property: any string survives escaping and lexing ----------------------------------------

    internal static string Escape(string s)
    {
        var sb = new System.Text.StringBuilder("\"");
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when char.IsControl(c) || char.IsSurrogate(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }

    [Property]
    public void StringLiteral_AnyText_LexesBackUnchanged(NonNull<string> text)
    {
        var token = Single(Escape(text.Get));
        Assert.Equal(TokenKind.StringLiteral, token.Kind);
        Assert.Equal(text.Get, token.Text);
    }

    [Property]
    public void VerbatimLiteral_AnyTextWithoutNewline_LexesBackUnchanged(NonNull<string> text)
    {
        var s = text.Get.Replace("\n", "", StringComparison.Ordinal);
        var token = Single("@\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"");
        Assert.Equal(s, token.Text);
    }
}
