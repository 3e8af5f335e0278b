namespace Tributary.Kql.Syntax;

/// <summary>
/// <c>partition [hint.strategy=…] by Column (Subquery)</c> or <c>… by Column { SubqueryWithSource }</c>: the subquery
/// run once per distinct value of <see cref="Column"/>, the results unioned. With <see cref="ExplicitSource"/> (the
/// braces form) the subquery names its own source and sees the key as a scalar named after the column.
/// </summary>
internal sealed record PartitionOperator(SourcePosition Pos, string Strategy, string Column, SourcePosition ColumnPos, TabularExpr Subquery, bool ExplicitSource) : QueryOperator(Pos);
