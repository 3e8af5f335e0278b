namespace Tributary.Kql.Syntax;

internal sealed record AsOperator(SourcePosition Pos, string Name) : QueryOperator(Pos);
