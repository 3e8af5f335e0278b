namespace Tributary.Kql.Syntax;

/// <summary><c>mv-expand</c>; <see cref="BagsAsArrays"/> is <c>kind=array</c> (a property becomes [key, value] instead of {key: value}).</summary>
internal sealed record MvExpandOperator(SourcePosition Pos, IReadOnlyList<MvExpandItem> Items, string? ItemIndex, Expr? Limit, bool BagsAsArrays = false) : QueryOperator(Pos);
