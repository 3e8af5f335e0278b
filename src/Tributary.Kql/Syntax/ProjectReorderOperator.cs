namespace Tributary.Kql.Syntax;

internal sealed record ProjectReorderOperator(SourcePosition Pos, IReadOnlyList<(string Pattern, SourcePosition Pos)> Columns) : QueryOperator(Pos);
