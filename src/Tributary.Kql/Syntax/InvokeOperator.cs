namespace Tributary.Kql.Syntax;

/// <summary><c>invoke F(args…)</c>: calls the tabular function <see cref="Name"/> with the rows so far as its first argument.</summary>
internal sealed record InvokeOperator(SourcePosition Pos, string Name, SourcePosition NamePos, IReadOnlyList<Expr> Args) : QueryOperator(Pos);
