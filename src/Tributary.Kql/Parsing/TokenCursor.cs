using System.Diagnostics.CodeAnalysis;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Parsing;

/// <summary>
/// A place in a stream of tokens, shared by the query parser and the command parser: the token here, the ones
/// after it, and syntax errors that say what was expected and what was found where.
/// </summary>
/// <remarks>
/// Tokens are lexed when first looked at, so a control command can read up to <c>&lt;|</c> and take the rest of
/// its text raw (CSV data is no KQL), or read a word KQL cannot lex (<see cref="RawWord"/>). Not thread-safe.
/// </remarks>
internal sealed class TokenCursor
{
    private readonly Lexer _lexer;
    private readonly List<Token> _tokens = [];
    private int _index;

    /// <summary>A cursor at the first token of <paramref name="text"/>, whose first character is at <paramref name="origin"/>.</summary>
    public TokenCursor(string text, KqlPosition origin = default)
    {
        Text = text;
        _lexer = new Lexer(text, origin);
    }

    /// <summary>The whole text the tokens come from.</summary>
    public string Text { get; }

    /// <summary>The token here.</summary>
    public Token Current => Peek(0);

    /// <summary>Where the token here is.</summary>
    public SourcePosition Pos => PosOf(Current);

    public static SourcePosition PosOf(Token token) => new(token.Line, token.Column);

    /// <summary>The token <paramref name="ahead"/> places after this one; <see cref="TokenKind.End"/> past the end.</summary>
    public Token Peek(int ahead)
    {
        var i = _index + ahead;
        while (_tokens.Count <= i)
        {
            if (_tokens.Count > 0 && _tokens[^1].Kind == TokenKind.End)
            {
                return _tokens[^1];
            }

            _tokens.Add(_lexer.Next());
        }

        return _tokens[i];
    }

    /// <summary>Moves past the token here and returns it.</summary>
    public Token Advance()
    {
        var token = Current;
        _index++;
        return token;
    }

    public bool At(TokenKind kind) => Current.Kind == kind;

    /// <summary>True when the token here is the bare word <paramref name="word"/> (a quoted name never is a keyword).</summary>
    public bool AtWord(string word) => Current.IsIdentifier(word);

    public bool Accept(TokenKind kind)
    {
        if (!At(kind))
        {
            return false;
        }

        _index++;
        return true;
    }

    public bool AcceptWord(string word)
    {
        if (!AtWord(word))
        {
            return false;
        }

        _index++;
        return true;
    }

    public Token Expect(TokenKind kind, string what) => At(kind) ? Advance() : throw Unexpected(what);

    public void ExpectWord(string word)
    {
        if (!AcceptWord(word))
        {
            throw Unexpected($"'{word}'");
        }
    }

    public KqlException Unexpected(string expected) => Pos.Error($"syntax error: expected {expected} but found {Current}");

    // ---- names -----------------------------------------------------------------------------------

    /// <summary>
    /// How many tokens the name <paramref name="ahead"/> places on spans: 1 for a word, 3 for a bracket-quoted
    /// name (<c>['a b']</c>, <c>["x"]</c>), 0 when no name starts there.
    /// </summary>
    public int NameLength(int ahead = 0)
    {
        var token = Peek(ahead);
        if (token.Kind == TokenKind.Identifier)
        {
            return 1;
        }

        return token.Kind == TokenKind.LBracket && Peek(ahead + 1).Kind == TokenKind.StringLiteral && Peek(ahead + 2).Kind == TokenKind.RBracket ? 3 : 0;
    }

    /// <summary>True when a name (a word or a bracket-quoted name) starts here.</summary>
    public bool AtName => NameLength() > 0;

    /// <summary>Reads the name here, if one starts here.</summary>
    /// <exception cref="KqlException">A bracket-quoted name holds a NUL character.</exception>
    public bool TryName([NotNullWhen(true)] out string? name)
    {
        switch (NameLength())
        {
            case 1:
                name = Advance().Text;
                return true;
            case 3:
                var open = Advance();
                name = Advance().Text;
                Advance();
                if (name.Contains('\0', StringComparison.Ordinal))
                {
                    throw PosOf(open).Error("a quoted name cannot contain a NUL character");
                }

                return true;
            default:
                name = null;
                return false;
        }
    }

    public string ExpectName(string what) => TryName(out var name) ? name : throw Unexpected(what);

    // ---- raw text, for control commands --------------------------------------------------------------

    /// <summary>The first character of the next token, without lexing it; '\0' at the end.</summary>
    public char PeekChar() => _tokens.Count <= _index ? _lexer.PeekNonBlank() : Current.Offset < Text.Length ? Text[Current.Offset] : '\0';

    /// <summary>
    /// Reads the next token as a <see cref="TokenKind.RawWord"/>: the characters up to a blank, ',', '(' or ')'.
    /// It becomes the token here.
    /// </summary>
    /// <exception cref="InvalidOperationException">The next token was already looked at (a parser bug).</exception>
    public Token RawWord()
    {
        if (_tokens.Count > _index)
        {
            throw new InvalidOperationException("a raw word must be read before the token there is looked at");
        }

        var token = _lexer.NextRawWord();
        _tokens.Add(token);
        return token;
    }

    /// <summary>The line and column of a character of <see cref="Text"/> in the text the user typed.</summary>
    public KqlPosition PositionAt(int offset) => _lexer.PositionOf(offset);
}
