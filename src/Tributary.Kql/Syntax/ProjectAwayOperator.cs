namespace Tributary.Kql.Syntax;

/// <summary><c>project-away</c> (Keep = false) or <c>project-keep</c> (Keep = true) with column names or wildcards.</summary>
internal sealed record ProjectAwayOperator(SourcePosition Pos, IReadOnlyList<(string Pattern, SourcePosition Pos)> Columns, bool Keep) : QueryOperator(Pos);
