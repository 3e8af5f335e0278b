namespace Tributary.Kql.Syntax;

/// <summary>A call of a stored or <c>let</c> function in tabular position.</summary>
internal sealed record CallSource(SourcePosition Pos, string Name, IReadOnlyList<Expr> Args) : TabularExpr(Pos);
