namespace Tributary.Kql.Commands;

/// <summary>
/// <c>.replace extents in table T tagged 'tag' [with (tags=…)] &lt;| query</c>: in one transaction, drops every
/// extent of T that carries <c>tag</c> and appends the query's result as one new extent tagged <c>tag</c>
/// (plus any extra tags). Running it again with the same tag leaves each row exactly once.
/// </summary>
/// <param name="QueryStart">Where <paramref name="Query"/> begins in the command's text.</param>
public sealed record ReplaceExtentsCommand(string Table, string Tag, IReadOnlyList<string> Tags, string Query, KqlPosition QueryStart) : ControlCommand;
