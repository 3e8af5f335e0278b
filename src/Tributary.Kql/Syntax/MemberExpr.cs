namespace Tributary.Kql.Syntax;

/// <summary><c>target.Name</c> — dynamic property access, or <c>$left.x</c>/<c>$right.x</c> in join conditions.</summary>
internal sealed record MemberExpr(SourcePosition Pos, Expr Target, string Name) : Expr(Pos);
