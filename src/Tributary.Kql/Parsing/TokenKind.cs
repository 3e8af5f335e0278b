namespace Tributary.Kql.Parsing;

/// <summary>The kinds of lexical tokens of KQL.</summary>
internal enum TokenKind
{
    End,
    Identifier,
    StringLiteral,
    /// <summary>A whole number: decimal digits, or <c>0x</c> and hex digits (see <see cref="Token.Text"/>).</summary>
    LongLiteral,
    RealLiteral,
    TimeSpanLiteral,
    /// <summary>The raw text between the parentheses of <c>datetime(…)</c>, <c>dynamic(…)</c>, … (see <see cref="Token.Prefix"/>).</summary>
    TypedLiteral,
    /// <summary>A run of characters read as one word where KQL's tokens do not fit (a control command's bare guid).</summary>
    RawWord,
    Pipe,
    Semicolon,
    Comma,
    Dot,
    DotDot,
    Colon,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Equal,
    EqualEqual,
    BangEqual,
    LessGreater,
    Less,
    LessEqual,
    /// <summary><c>&lt;|</c>: a control command's body follows.</summary>
    LessPipe,
    Greater,
    GreaterEqual,
    EqualTilde,
    BangTilde,
    Dollar,
    FatArrow,
}
