namespace Tributary.Kql.Syntax;

internal sealed record OrderingTerm(Expr Expr, bool Ascending, bool? NullsFirst);
