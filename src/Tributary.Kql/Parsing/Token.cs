namespace Tributary.Kql.Parsing;

/// <summary>A lexical token with its source position (offset, 1-based line and column).</summary>
/// <param name="Text">Identifier name, decoded string value, number text, or the raw content of a typed literal.</param>
/// <param name="Prefix">For <see cref="TokenKind.TypedLiteral"/>: the literal's type word (datetime, dynamic, guid …).</param>
internal readonly record struct Token(TokenKind Kind, string Text, int Offset, int Line, int Column, string? Prefix = null)
{
    public bool IsIdentifier(string name) => Kind == TokenKind.Identifier && Text == name;

    public override string ToString() => Kind switch
    {
        TokenKind.End => "end of query",
        TokenKind.Identifier => $"'{Text}'",
        TokenKind.StringLiteral => "a string literal",
        TokenKind.TypedLiteral => $"{Prefix}(…)",
        TokenKind.LongLiteral or TokenKind.RealLiteral or TokenKind.TimeSpanLiteral => $"'{Text}'",
        _ => $"'{Text}'",
    };
}
