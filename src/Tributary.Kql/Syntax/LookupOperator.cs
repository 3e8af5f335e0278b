namespace Tributary.Kql.Syntax;

internal sealed record LookupOperator(SourcePosition Pos, string Kind, TabularExpr Right, IReadOnlyList<JoinKey> On) : QueryOperator(Pos);
