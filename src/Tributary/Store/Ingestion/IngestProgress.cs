namespace Tributary.Store.Ingestion;

/// <summary>
/// How far an ingestion has got: bytes of the file processed so far (an estimate while DuckDB reads),
/// the file's size, and the phase: <c>reading</c>, <c>converting</c> or <c>appending</c>.
/// </summary>
public sealed record IngestProgress(long BytesRead, long TotalBytes, string Phase);
