namespace Tributary.Kql.Syntax;

internal sealed record FunctionLiteral(IReadOnlyList<FunctionParameter> Parameters, QueryText Body);
