namespace Tributary.Kql.Syntax;

/// <summary><c>*</c> as a function argument (arg_max(x, *), count(*)).</summary>
internal sealed record StarExpr(SourcePosition Pos) : Expr(Pos);
