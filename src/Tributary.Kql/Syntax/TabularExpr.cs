namespace Tributary.Kql.Syntax;

internal abstract record TabularExpr(SourcePosition Pos);
