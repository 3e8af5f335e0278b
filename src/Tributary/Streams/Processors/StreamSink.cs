namespace Tributary.Streams.Processors;

/// <summary>
/// A processor that ends a stream somewhere other than a topic (a table, backup files). It writes each chunk of input
/// records and its own position in one durable step, so its position is where it says, not the consumer group's.
/// </summary>
public abstract class StreamSink : IDisposable
{
    protected StreamSink(ProcessorDefinition definition, ProcessorMetrics metrics)
    {
        Definition = definition ?? throw new ArgumentNullException(nameof(definition));
        Metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
    }

    public ProcessorDefinition Definition { get; }

    public ProcessorMetrics Metrics { get; }

    /// <summary>Records a chunk holds at most.</summary>
    public virtual int ChunkRecords => ProcessorRunner.ChunkRecords;

    /// <summary>The next offset to read in a partition as the sink recorded it, or null to use the consumer group's.</summary>
    public abstract long? StartOffset(int partition);

    /// <summary>Writes a chunk of one partition's records (in offset order) durably, with the position after it.</summary>
    public abstract Task WriteAsync(int partition, IReadOnlyList<StoredRecord> records, CancellationToken cancellationToken);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
