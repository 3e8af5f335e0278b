namespace Tributary.Kql.Syntax;

internal sealed record CallExpr(SourcePosition Pos, string Name, IReadOnlyList<Expr> Args) : Expr(Pos);
