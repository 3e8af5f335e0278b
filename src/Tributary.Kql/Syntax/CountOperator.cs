namespace Tributary.Kql.Syntax;

internal sealed record CountOperator(SourcePosition Pos) : QueryOperator(Pos);
