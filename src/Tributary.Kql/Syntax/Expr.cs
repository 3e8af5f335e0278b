namespace Tributary.Kql.Syntax;

internal abstract record Expr(SourcePosition Pos);
