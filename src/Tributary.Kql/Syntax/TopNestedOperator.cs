namespace Tributary.Kql.Syntax;

/// <summary><c>top-nested [N] of Expr [with others = V] by Aggregation [asc|desc], top-nested …</c>: a hierarchy of top values.</summary>
internal sealed record TopNestedOperator(SourcePosition Pos, IReadOnlyList<TopNestedLevel> Levels) : QueryOperator(Pos);

/// <summary>
/// One level of top-nested: at most <see cref="Count"/> values of <see cref="Value"/> (all of them when null) under
/// each value of the level above, chosen by <see cref="Aggregate"/>; <see cref="Others"/> names a row for the rest.
/// </summary>
internal sealed record TopNestedLevel(SourcePosition Pos, Expr? Count, Assignment Value, Expr? Others, Assignment Aggregate, bool Ascending);
