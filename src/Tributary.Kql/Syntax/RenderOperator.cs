namespace Tributary.Kql.Syntax;

internal sealed record RenderOperator(SourcePosition Pos, string Kind, string? Title) : QueryOperator(Pos);
