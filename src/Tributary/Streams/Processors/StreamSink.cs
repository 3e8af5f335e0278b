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

    /// <summary>
    /// Writes a pass durably: chunks of different partitions, each a partition's next records in offset order, with
    /// the position after each chunk.
    /// </summary>
    public abstract Task WriteAsync(IReadOnlyList<IReadOnlyList<StoredRecord>> chunks, CancellationToken cancellationToken);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
