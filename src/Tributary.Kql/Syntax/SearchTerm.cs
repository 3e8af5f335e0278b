namespace Tributary.Kql.Syntax;

/// <summary>
/// A term of a <c>search</c> or <c>find</c> predicate: <c>"text"</c> (in any column), <c>Column:"text"</c>, or
/// <c>* has "text"</c>. <see cref="Op"/> is the string operator the term stands for (<c>has</c>, <c>hasprefix</c>,
/// <c>hassuffix</c>, <c>contains</c>, <c>matches regex</c>, …) and <see cref="Text"/> its right-hand side, the
/// wildcards of a bare term already turned into the operator: <see cref="Wildcard"/> when <see cref="Text"/> is the
/// regular expression a term with inner wildcards stands for (<c>"a*b"</c>: <c>\ba.*b\b</c>).
/// </summary>
internal sealed record SearchTerm(SourcePosition Pos, string? Column, string Op, string Text) : Expr(Pos)
{
    /// <summary>The <see cref="Op"/> of a term with wildcards inside: a regular expression that follows the search's case sensitivity.</summary>
    public const string Wildcard = "wildcard";
}
