namespace Tributary.Kql.Syntax;

/// <summary>
/// <c>[T |] search [kind=case_sensitive] [in (Table, Pattern*, (Query), …)] Predicate</c>. <see cref="Tables"/> is null
/// when none are named (the piped input, or else every table).
/// </summary>
internal sealed record SearchOperator(SourcePosition Pos, bool CaseSensitive, IReadOnlyList<TabularExpr>? Tables, Expr Predicate) : QueryOperator(Pos);

/// <summary><c>search</c> at the start of a query.</summary>
internal sealed record SearchSource(SourcePosition Pos, SearchOperator Search) : TabularExpr(Pos);
