namespace Tributary.Kql.Syntax;

/// <summary>An optional output name and its expression (<c>Name = Expr</c> or just <c>Expr</c>).</summary>
internal sealed record Assignment(string? Name, Expr Expr, SourcePosition Pos);
