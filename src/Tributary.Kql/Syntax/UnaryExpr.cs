namespace Tributary.Kql.Syntax;

internal sealed record UnaryExpr(SourcePosition Pos, string Op, Expr Operand) : Expr(Pos);
