namespace Tributary.Store.Ingestion;

/// <summary>The file formats a table can be ingested from.</summary>
public enum IngestFormat
{
    /// <summary>Comma-separated values, RFC 4180 quoting, UTF-8, with a header row naming the columns.</summary>
    Csv,

    /// <summary>JSON lines: one JSON object per line (blank lines are skipped).</summary>
    JsonLines,

    /// <summary>A JSON array of objects, or a single object (or objects one after another).</summary>
    Json,

    /// <summary>Apache Parquet; columns map by name and are cast to the table's types.</summary>
    Parquet,
}
