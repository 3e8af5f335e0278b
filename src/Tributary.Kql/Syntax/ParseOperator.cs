namespace Tributary.Kql.Syntax;

/// <summary><c>parse [kind=simple|regex] Expr with "text" Column[:type] * …</c>.</summary>
internal sealed record ParseOperator(SourcePosition Pos, string Kind, Expr Source, IReadOnlyList<ParseItem> Items) : QueryOperator(Pos);
