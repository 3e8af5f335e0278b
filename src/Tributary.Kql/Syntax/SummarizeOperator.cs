namespace Tributary.Kql.Syntax;

internal sealed record SummarizeOperator(SourcePosition Pos, IReadOnlyList<Assignment> Aggregates, IReadOnlyList<Assignment> By) : QueryOperator(Pos);
