namespace Tributary.Kql.Commands;

/// <summary><c>.set</c>, <c>.append</c>, <c>.set-or-append</c> or <c>.set-or-replace</c> <c>T [with (tags=…)] &lt;| query</c>.</summary>
/// <param name="QueryStart">Where <paramref name="Query"/> begins in the command's text (translate it from there, so errors point into the command).</param>
public sealed record SetOrAppendCommand(string Table, string Mode, IReadOnlyList<string> Tags, string Query, KqlPosition QueryStart) : ControlCommand;
