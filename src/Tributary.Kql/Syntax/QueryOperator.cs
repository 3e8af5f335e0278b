namespace Tributary.Kql.Syntax;

internal abstract record QueryOperator(SourcePosition Pos);
