namespace Tributary.Kql.Syntax;

/// <summary><c>target[index]</c> — dynamic array or property access.</summary>
internal sealed record IndexExpr(SourcePosition Pos, Expr Target, Expr Index) : Expr(Pos);
