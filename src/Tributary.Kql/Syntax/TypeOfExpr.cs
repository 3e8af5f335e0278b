namespace Tributary.Kql.Syntax;

/// <summary><c>typeof(T)</c>.</summary>
internal sealed record TypeOfExpr(SourcePosition Pos, KqlType Type) : Expr(Pos);
