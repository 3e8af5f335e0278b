namespace Tributary.Kql.Syntax;

/// <summary>
/// <c>mv-apply [with_itemindex=I] Items [limit N] on (Subquery)</c>: each row's arrays expanded into a subtable,
/// <see cref="Subquery"/> (whose source is a <see cref="ContextSource"/>) run on it, the results unioned.
/// </summary>
internal sealed record MvApplyOperator(SourcePosition Pos, IReadOnlyList<MvExpandItem> Items, string? ItemIndex, Expr? Limit, TabularExpr Subquery) : QueryOperator(Pos);
