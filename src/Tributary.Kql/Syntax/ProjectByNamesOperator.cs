namespace Tributary.Kql.Syntax;

/// <summary><c>project-by-names "Name", "Pattern*", dynamic([…]), column_names_of(T), …</c>: the columns named, in that order.</summary>
internal sealed record ProjectByNamesOperator(SourcePosition Pos, IReadOnlyList<Expr> Specifiers) : QueryOperator(Pos);
