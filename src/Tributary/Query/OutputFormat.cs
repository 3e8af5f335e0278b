namespace Tributary.Query;

/// <summary>The text forms <see cref="ResultWriter"/> can print a <see cref="QueryResult"/> in.</summary>
public enum OutputFormat
{
    /// <summary>Aligned plain-text columns for a terminal, safe to print values from anywhere.</summary>
    Table,

    /// <summary>RFC 4180 comma-separated values with a header row.</summary>
    Csv,

    /// <summary>An indented JSON array of one object per row, values as typed JSON.</summary>
    Json,
}
