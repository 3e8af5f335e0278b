namespace Tributary.Kql.Syntax;

/// <summary>
/// <c>evaluate Plugin(Arg, Name = Arg, …) [: (Schema)]</c>: runs a plugin on the rows so far. Arguments keep their
/// names (<c>columnsConflict='keep_source'</c>) for the plugin to read.
/// </summary>
internal sealed record EvaluateOperator(SourcePosition Pos, string Plugin, SourcePosition PluginPos, IReadOnlyList<Assignment> Args, OutputSchema? Schema) : QueryOperator(Pos);
