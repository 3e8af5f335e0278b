namespace Tributary.Kql.Syntax;

internal sealed record SortOperator(SourcePosition Pos, IReadOnlyList<OrderingTerm> Keys) : QueryOperator(Pos);
