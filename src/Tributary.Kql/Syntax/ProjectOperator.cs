namespace Tributary.Kql.Syntax;

internal sealed record ProjectOperator(SourcePosition Pos, IReadOnlyList<Assignment> Columns) : QueryOperator(Pos);
