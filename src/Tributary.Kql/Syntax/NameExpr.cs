namespace Tributary.Kql.Syntax;

/// <summary>A bare name: a column, a <c>let</c> scalar, or a parameter.</summary>
internal sealed record NameExpr(SourcePosition Pos, string Name) : Expr(Pos);
