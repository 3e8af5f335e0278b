namespace Tributary.Demo;

/// <summary>Rows of one table generated for one time slot, to be written as one file and ingested at <see cref="IngestionTime"/>.</summary>
internal sealed record Batch(DateTime SlotStart, DateTime IngestionTime, List<object?[]> Rows);
