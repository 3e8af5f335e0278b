namespace Tributary.Kql.Syntax;

/// <summary>
/// <c>facet by Column, … [with (Subquery)]</c>: one result table per column (its values and their counts), after the
/// table of <see cref="With"/> when given.
/// </summary>
internal sealed record FacetOperator(SourcePosition Pos, IReadOnlyList<(string Name, SourcePosition Pos)> Columns, TabularExpr? With) : QueryOperator(Pos);
