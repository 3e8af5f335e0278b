namespace Tributary.Kql.Syntax;

internal sealed record UnionSource(SourcePosition Pos, UnionOperator Union) : TabularExpr(Pos);
