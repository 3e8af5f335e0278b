namespace Tributary.Kql.Syntax;

internal sealed record UnionOperator(SourcePosition Pos, IReadOnlyList<TabularExpr> Inputs, string Kind, string? WithSource) : QueryOperator(Pos);
