using System.Text;
using Tributary.Streams;

namespace Tributary.Operations;

/// <summary>How many records of a produce request went to one partition, and the offsets they got.</summary>
public sealed record ProducedPartition(int Partition, long Records, long FirstOffset, long LastOffset);

/// <summary>What a produce request appended: the records in all, and per partition (by partition number).</summary>
public sealed record ProduceResult(string Topic, long Records, IReadOnlyList<ProducedPartition> Partitions)
{
    /// <summary>The result of an append, from the positions the log gave its records.</summary>
    public static ProduceResult From(string topic, IReadOnlyList<RecordPosition> positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        var partitions = positions.GroupBy(p => p.Partition)
            .Select(g => new ProducedPartition(g.Key, g.Count(), g.Min(p => p.Offset), g.Max(p => p.Offset)))
            .OrderBy(p => p.Partition)
            .ToList();
        return new ProduceResult(topic, positions.Count, partitions);
    }

    /// <summary>This result and a later one of the same topic, as one.</summary>
    public ProduceResult Merge(ProduceResult later)
    {
        ArgumentNullException.ThrowIfNull(later);
        var partitions = Partitions.Concat(later.Partitions).GroupBy(p => p.Partition)
            .Select(g => new ProducedPartition(g.Key, g.Sum(p => p.Records), g.Min(p => p.FirstOffset), g.Max(p => p.LastOffset)))
            .OrderBy(p => p.Partition)
            .ToList();
        return new ProduceResult(Topic, Records + later.Records, partitions);
    }
}

/// <summary>Where to read a partition from: the offset of the next record wanted.</summary>
public readonly record struct PartitionOffset(int Partition, long Offset);

/// <summary>A record as a consumer gets it: key and value as UTF-8 text (the key null when the record has none).</summary>
public sealed record ConsumedRecord(int Partition, long Offset, DateTime Timestamp, string? Key, string Value)
{
    /// <summary>A stored record as text.</summary>
    public static ConsumedRecord From(StoredRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new ConsumedRecord(record.Partition, record.Offset, record.Timestamp, record.Key is null ? null : Encoding.UTF8.GetString(record.Key), Encoding.UTF8.GetString(record.Value));
    }
}

/// <summary>Records read from a topic, partition by partition in the order asked, each partition's in offset order.</summary>
public sealed record RecordsPage(string Topic, IReadOnlyList<ConsumedRecord> Records);

/// <summary>A consumer group: the topics and partitions it has committed offsets on, and its lag over them all.</summary>
public sealed record GroupSummary(string Group, IReadOnlyList<string> Topics, int Partitions, long Lag);
