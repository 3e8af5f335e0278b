namespace Tributary.Store;

/// <summary>What one ingestion added: a new extent of <paramref name="Rows"/> rows in <paramref name="Table"/>.</summary>
public sealed record IngestResult(Guid ExtentId, string Table, long Rows, IReadOnlyList<string> Tags);
