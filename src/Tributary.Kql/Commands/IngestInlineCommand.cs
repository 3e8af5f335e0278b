namespace Tributary.Kql.Commands;

/// <summary><c>.ingest inline into table T [with (tags='["a"]')] &lt;| csv lines</c> (no header; columns by position).</summary>
public sealed record IngestInlineCommand(string Table, IReadOnlyList<string> Tags, string Data) : ControlCommand;
