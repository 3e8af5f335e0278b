namespace Tributary.Kql.Syntax;

/// <summary><c>x between (a .. b)</c> and <c>!between</c>; both ends inclusive.</summary>
internal sealed record BetweenExpr(SourcePosition Pos, Expr Value, Expr Low, Expr High, bool Negated) : Expr(Pos);
