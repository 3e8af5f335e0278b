namespace Tributary.Kql.Syntax;

internal sealed record JoinOperator(SourcePosition Pos, string Kind, TabularExpr Right, IReadOnlyList<JoinKey> On) : QueryOperator(Pos);
