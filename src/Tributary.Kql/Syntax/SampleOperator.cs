namespace Tributary.Kql.Syntax;

/// <summary><c>sample N</c>: up to N rows picked at random.</summary>
internal sealed record SampleOperator(SourcePosition Pos, Expr Count) : QueryOperator(Pos);
