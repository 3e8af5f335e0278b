namespace Tributary.Kql.Syntax;

internal sealed record WhereOperator(SourcePosition Pos, Expr Predicate) : QueryOperator(Pos);
