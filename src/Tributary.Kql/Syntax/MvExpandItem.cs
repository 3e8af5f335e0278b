namespace Tributary.Kql.Syntax;

internal sealed record MvExpandItem(string? Name, Expr Expr, KqlType? ToType);
