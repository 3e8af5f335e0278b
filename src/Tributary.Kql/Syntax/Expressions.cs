namespace Tributary.Kql.Syntax;

// The scalar expression tree. Every node carries where it starts, for error messages.

internal abstract record Expr(SourcePosition Pos);

/// <summary>A literal; <see cref="Value"/> is the CLR value (long, double, string, DateTime, TimeSpan, Guid, bool, decimal, int) or null; dynamic holds JSON text.</summary>
internal sealed record LiteralExpr(SourcePosition Pos, object? Value, KqlType Type) : Expr(Pos);

/// <summary>A bare name: a column, a <c>let</c> scalar, or a parameter.</summary>
internal sealed record NameExpr(SourcePosition Pos, string Name) : Expr(Pos);

/// <summary><c>*</c> as a function argument (arg_max(x, *), count(*)).</summary>
internal sealed record StarExpr(SourcePosition Pos) : Expr(Pos);

internal sealed record CallExpr(SourcePosition Pos, string Name, IReadOnlyList<Expr> Args) : Expr(Pos);

internal sealed record BinaryExpr(SourcePosition Pos, string Op, Expr Left, Expr Right) : Expr(Pos);

internal sealed record UnaryExpr(SourcePosition Pos, string Op, Expr Operand) : Expr(Pos);

/// <summary><c>target.Name</c> — dynamic property access, or <c>$left.x</c>/<c>$right.x</c> in join conditions.</summary>
internal sealed record MemberExpr(SourcePosition Pos, Expr Target, string Name) : Expr(Pos);

/// <summary><c>target[index]</c> — dynamic array or property access.</summary>
internal sealed record IndexExpr(SourcePosition Pos, Expr Target, Expr Index) : Expr(Pos);

/// <summary><c>x in (a, b)</c>, <c>!in</c>, <c>in~</c>, <c>!in~</c>.</summary>
internal sealed record InExpr(SourcePosition Pos, Expr Value, IReadOnlyList<Expr> Items, bool Negated, bool CaseInsensitive) : Expr(Pos);

/// <summary><c>x between (a .. b)</c> and <c>!between</c>; both ends inclusive.</summary>
internal sealed record BetweenExpr(SourcePosition Pos, Expr Value, Expr Low, Expr High, bool Negated) : Expr(Pos);

/// <summary><c>typeof(T)</c>.</summary>
internal sealed record TypeOfExpr(SourcePosition Pos, KqlType Type) : Expr(Pos);

/// <summary>A tabular expression used where a scalar is expected (<c>toscalar(T | …)</c>, <c>x in (T | project y)</c>).</summary>
internal sealed record TabularArgExpr(SourcePosition Pos, TabularExpr Query) : Expr(Pos);
