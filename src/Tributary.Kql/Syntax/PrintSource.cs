namespace Tributary.Kql.Syntax;

internal sealed record PrintSource(SourcePosition Pos, IReadOnlyList<Assignment> Columns) : TabularExpr(Pos);
