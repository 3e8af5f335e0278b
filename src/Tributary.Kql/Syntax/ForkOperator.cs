namespace Tributary.Kql.Syntax;

/// <summary><c>fork [Name =] (Subquery) …</c>: one result table per subquery, each run on the rows so far.</summary>
internal sealed record ForkOperator(SourcePosition Pos, IReadOnlyList<ForkBranch> Branches) : QueryOperator(Pos);

/// <summary>A subquery of fork (its source is a <see cref="ContextSource"/>) and the name of its table, if given.</summary>
internal sealed record ForkBranch(SourcePosition Pos, string? Name, TabularExpr Query);
