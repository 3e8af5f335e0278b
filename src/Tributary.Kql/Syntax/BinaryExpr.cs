namespace Tributary.Kql.Syntax;

internal sealed record BinaryExpr(SourcePosition Pos, string Op, Expr Left, Expr Right) : Expr(Pos);
