namespace Tributary.Kql.Syntax;

internal sealed record ExtendOperator(SourcePosition Pos, IReadOnlyList<Assignment> Columns) : QueryOperator(Pos);
