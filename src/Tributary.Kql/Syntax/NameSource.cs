namespace Tributary.Kql.Syntax;

/// <summary>A table, a tabular <c>let</c> name, or a parameterless function.</summary>
internal sealed record NameSource(SourcePosition Pos, string Name) : TabularExpr(Pos);
