namespace Tributary.Kql.Syntax;

internal sealed record TopOperator(SourcePosition Pos, Expr Count, OrderingTerm Key) : QueryOperator(Pos);
