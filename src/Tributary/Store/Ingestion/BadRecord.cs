using Tributary.Kql;

namespace Tributary.Store.Ingestion;

/// <summary>The first record of a file that cannot be ingested.</summary>
/// <param name="Record">0-based index of the record in file order.</param>
/// <param name="Column">The column whose value failed.</param>
/// <param name="Raw">The raw value as text.</param>
/// <param name="DuckType">The file column's DuckDB type when the file is typed (Parquet).</param>
internal sealed record BadRecord(long Record, KqlColumn Column, string Raw, string? DuckType);
