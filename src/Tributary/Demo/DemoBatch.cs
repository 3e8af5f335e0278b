using Tributary.Kql;

namespace Tributary.Demo;

/// <summary>One file of generated rows, to be ingested as one extent of <see cref="Table"/>.</summary>
/// <param name="Table">The table the rows belong to; the file's columns are its columns, in order.</param>
/// <param name="Path">The full path of the file.</param>
/// <param name="Format">
/// <c>"csv"</c>: a header row of column names, then one row a line (LF), RFC 4180 quoting; or
/// <c>"jsonl"</c>: one JSON object a line, one property a column, dynamic values as nested JSON.
/// Datetimes are written <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>, timespans <c>[d.]hh:mm:ss.fffffff</c>.
/// </param>
/// <param name="IngestionTimeUtc">What <c>ingestion_time()</c> must return for these rows (never after the anchor).</param>
/// <param name="Tag">A name unique to this batch among those of one generation, usable as an ingest-by tag.</param>
public sealed record DemoBatch(TableSchema Table, string Path, string Format, DateTime IngestionTimeUtc, string Tag);
