namespace Tributary.Kql.Syntax;

/// <summary>A tabular expression used where a scalar is expected (<c>toscalar(T | …)</c>, <c>x in (T | project y)</c>).</summary>
internal sealed record TabularArgExpr(SourcePosition Pos, TabularExpr Query) : Expr(Pos);
