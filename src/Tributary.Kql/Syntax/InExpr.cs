namespace Tributary.Kql.Syntax;

/// <summary><c>x in (a, b)</c>, <c>!in</c>, <c>in~</c>, <c>!in~</c>.</summary>
internal sealed record InExpr(SourcePosition Pos, Expr Value, IReadOnlyList<Expr> Items, bool Negated, bool CaseInsensitive) : Expr(Pos);
