namespace Tributary.Streams;

/// <summary>A record to append: an optional key (it picks the partition), the value, and an optional timestamp (default: now) and partition.</summary>
public sealed record LogRecord(byte[]? Key, byte[] Value, DateTime? Timestamp = null, int? Partition = null);

/// <summary>Where an appended record went.</summary>
public readonly record struct RecordPosition(int Partition, long Offset);

/// <summary>
/// The newest batch a producer wrote to a partition through <see cref="IEventLog.AppendOnceAsync"/>: its sequence and
/// which part (batch) of that sequence's records it was.
/// </summary>
public readonly record struct ProducerStamp(long Sequence, int Part);

/// <summary>A producer's records for one partition and sequence, appended exactly once (<see cref="IEventLog.AppendOnceAsync(IReadOnlyList{ProducerBatch}, CancellationToken)"/>).</summary>
public sealed record ProducerBatch(string Topic, int Partition, IReadOnlyList<LogRecord> Records, string Producer, long Sequence);

/// <summary>A record as the log holds it.</summary>
public sealed record StoredRecord(string Topic, int Partition, long Offset, DateTime Timestamp, byte[]? Key, byte[] Value);

/// <summary>A topic's settings: partitions, and retention by age and by size per partition (null: kept forever).</summary>
public sealed record TopicSettings(int Partitions = 1, TimeSpan? RetentionAge = null, long? RetentionBytes = null)
{
    /// <summary>Seed 004's backlog allowance: paused work keeps two weeks of records.</summary>
    public static readonly TimeSpan DefaultRetentionAge = TimeSpan.FromDays(14);

    /// <summary>The largest number of partitions a topic may have.</summary>
    public const int MaxPartitions = 256;
}

/// <summary>A topic and its partitions.</summary>
public sealed record TopicInfo(string Name, TopicSettings Settings, IReadOnlyList<PartitionInfo> Partitions)
{
    /// <summary>Records the topic holds now (after retention).</summary>
    public long Records => Partitions.Sum(p => p.NextOffset - p.EarliestOffset);

    /// <summary>Bytes of the topic's partitions on disk (log addresses between the first kept record and the tail).</summary>
    public long Bytes => Partitions.Sum(p => p.Bytes);
}

/// <summary>One partition: its earliest kept offset, the offset the next record gets, and its size and time span.</summary>
public sealed record PartitionInfo(int Partition, long EarliestOffset, long NextOffset, long Bytes, DateTime? EarliestTimestamp, DateTime? LatestTimestamp);

/// <summary>A group's position on one partition: committed offset, end offset and lag (records not yet read).</summary>
public sealed record PartitionLag(string Topic, int Partition, long? Committed, long EarliestOffset, long EndOffset)
{
    /// <summary>Records after the committed offset (all kept records when the group never committed).</summary>
    public long Lag => EndOffset - Math.Max(Committed ?? EarliestOffset, EarliestOffset);
}

/// <summary>Thrown for a bad request to the log: an unknown topic, a bad name or setting, an oversized record.</summary>
public sealed class StreamException : Exception
{
    public StreamException()
    {
    }

    public StreamException(string message)
        : base(message)
    {
    }

    public StreamException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
