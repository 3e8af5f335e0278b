namespace Tributary.Kql.Syntax;

internal sealed record RangeSource(SourcePosition Pos, string Column, Expr From, Expr To, Expr Step) : TabularExpr(Pos);
