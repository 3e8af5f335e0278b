namespace Tributary.Kql.Syntax;

internal sealed record TakeOperator(SourcePosition Pos, Expr Count) : QueryOperator(Pos);
