namespace Tributary.Kql.Syntax;

/// <summary>A literal; <see cref="Value"/> is the CLR value (long, double, string, DateTime, TimeSpan, Guid, bool, decimal, int) or null; dynamic holds JSON text.</summary>
internal sealed record LiteralExpr(SourcePosition Pos, object? Value, KqlType Type) : Expr(Pos);
