namespace Tributary.Kql.Syntax;

/// <summary><c>source | op | op …</c>.</summary>
internal sealed record PipelineExpr(SourcePosition Pos, TabularExpr Source, IReadOnlyList<QueryOperator> Operators) : TabularExpr(Pos);
