namespace Tributary.Kql.Syntax;

/// <summary><c>sample-distinct N of Column</c>: up to N distinct values of a column, picked at random.</summary>
internal sealed record SampleDistinctOperator(SourcePosition Pos, Expr Count, Expr Column) : QueryOperator(Pos);
