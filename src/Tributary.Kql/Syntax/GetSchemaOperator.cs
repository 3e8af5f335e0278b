namespace Tributary.Kql.Syntax;

internal sealed record GetSchemaOperator(SourcePosition Pos) : QueryOperator(Pos);
