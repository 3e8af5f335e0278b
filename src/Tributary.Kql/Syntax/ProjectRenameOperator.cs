namespace Tributary.Kql.Syntax;

internal sealed record ProjectRenameOperator(SourcePosition Pos, IReadOnlyList<(string NewName, string OldName, SourcePosition Pos)> Renames) : QueryOperator(Pos);
