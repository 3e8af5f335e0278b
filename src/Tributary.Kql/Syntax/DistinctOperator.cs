namespace Tributary.Kql.Syntax;

/// <summary><c>distinct a, b</c>; an empty list means <c>distinct *</c>.</summary>
internal sealed record DistinctOperator(SourcePosition Pos, IReadOnlyList<Assignment> Columns) : QueryOperator(Pos);
