namespace Tributary.Kql.Syntax;

internal sealed record DeclareParametersStatement(SourcePosition Pos, IReadOnlyList<FunctionParameter> Parameters, IReadOnlyList<Expr?> Defaults) : Statement(Pos);
