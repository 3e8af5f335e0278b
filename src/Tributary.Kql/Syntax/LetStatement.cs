namespace Tributary.Kql.Syntax;

/// <summary><c>let Name = scalar | tabular | (params) { body }</c>.</summary>
internal sealed record LetStatement(SourcePosition Pos, string Name, Expr? Scalar, TabularExpr? Tabular, FunctionLiteral? Function) : Statement(Pos);
