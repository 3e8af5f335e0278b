namespace Tributary.Kql.Commands;

/// <summary><c>.set</c>, <c>.append</c>, <c>.set-or-append</c> or <c>.set-or-replace</c> <c>T [with (tags=…)] &lt;| query</c>.</summary>
public sealed record SetOrAppendCommand(string Table, string Mode, IReadOnlyList<string> Tags, string Query) : ControlCommand;
