namespace Tributary.Kql.Syntax;

/// <summary>
/// <c>parse [kind=simple|regex [flags=…]] Expr with "text" Column[:type] * …</c>, and <c>parse-where</c> (the same with
/// <paramref name="DropsUnmatched"/>: rows whose value does not match are dropped rather than given empty columns).
/// </summary>
internal sealed record ParseOperator(SourcePosition Pos, string Kind, string Flags, Expr Source, IReadOnlyList<ParseItem> Items, bool DropsUnmatched) : QueryOperator(Pos);
