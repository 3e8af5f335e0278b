namespace Tributary.Kql.Syntax;

/// <summary>
/// The implicit source of a subquery written as operators alone (<c>mv-apply … on (top 2 by x)</c>,
/// <c>partition by k (summarize …)</c>, <c>fork (where …)</c>): the rows the enclosing operator hands it.
/// </summary>
internal sealed record ContextSource(SourcePosition Pos) : TabularExpr(Pos);
