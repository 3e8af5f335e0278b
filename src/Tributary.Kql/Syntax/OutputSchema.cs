namespace Tributary.Kql.Syntax;

/// <summary>
/// A plugin's declared output columns, <c>: (Name: type, …)</c>; with <see cref="KeepsInput"/> (<c>(*, Name: type, …)</c>)
/// the input's columns come first.
/// </summary>
internal sealed record OutputSchema(SourcePosition Pos, bool KeepsInput, IReadOnlyList<KqlColumn> Columns);
