namespace Tributary.Kql.Syntax;

internal sealed record SerializeOperator(SourcePosition Pos, IReadOnlyList<Assignment> Columns) : QueryOperator(Pos);
