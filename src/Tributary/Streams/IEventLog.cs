namespace Tributary.Streams;

/// <summary>
/// The durable log: topics of partitions holding records at dense offsets, consumer groups with committed
/// offsets, and retention. Embedded on local disk today (<see cref="FasterEventLog"/>); the interface is what
/// a NATS JetStream or Kafka implementation would provide instead.
/// </summary>
/// <remarks>
/// A record is readable only once it is durable: <see cref="AppendAsync"/> returns when the records it was
/// given survive a crash, and reads never see anything beyond that point.
/// </remarks>
public interface IEventLog : IDisposable
{
    /// <summary>Creates a topic.</summary>
    /// <exception cref="StreamException">The name is invalid or taken, or a setting is out of range.</exception>
    TopicInfo CreateTopic(string name, TopicSettings settings);

    /// <summary>Changes a topic's retention (the number of partitions cannot change).</summary>
    /// <exception cref="StreamException">No such topic, a different number of partitions, or a setting out of range.</exception>
    TopicInfo AlterTopic(string name, TopicSettings settings);

    /// <summary>Every topic, by name.</summary>
    IReadOnlyList<TopicInfo> ListTopics();

    /// <summary>A topic with its partitions' offsets and sizes.</summary>
    /// <exception cref="StreamException">No such topic.</exception>
    TopicInfo DescribeTopic(string name);

    /// <summary>True when the topic exists.</summary>
    bool HasTopic(string name);

    /// <summary>Deletes a topic, its records and every group's offsets on it.</summary>
    /// <exception cref="StreamException">No such topic.</exception>
    void DeleteTopic(string name);

    /// <summary>
    /// Appends records (to the partition their key hashes to, or round-robin without a key, unless a partition is
    /// given) and returns once they are durable, with the partition and offset each got, in order.
    /// </summary>
    /// <exception cref="StreamException">No such topic, a partition out of range, or a record too large.</exception>
    ValueTask<IReadOnlyList<RecordPosition>> AppendAsync(string topic, IReadOnlyList<LogRecord> records, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends a producer's records to one partition exactly once per <paramref name="sequence"/> and returns how many it
    /// wrote: whatever of that sequence the producer already wrote (before a crash, say) is not written again, and a
    /// sequence older than the producer's newest is ignored. This is how a processor that re-processes its input after a
    /// crash puts nothing twice into its output topics (Kafka's idempotent producer does the same).
    /// </summary>
    /// <remarks>The producer must give the same records for a sequence every time; one writer a producer name.</remarks>
    /// <exception cref="StreamException">No such topic or partition, or a record too large.</exception>
    ValueTask<int> AppendOnceAsync(string topic, int partition, IReadOnlyList<LogRecord> records, string producer, long sequence, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends several producers' batches, each exactly once as the single-batch <c>AppendOnceAsync</c> does, and returns
    /// the records written once all of them are durable. A partition that takes many batches is committed once, so a
    /// processor pays one commit per output partition for a whole pass over its input rather than one per batch.
    /// </summary>
    /// <remarks>A crash may leave any subset of the partitions' appends durable, each a prefix of its batches in order.</remarks>
    /// <exception cref="StreamException">No such topic or partition, or a record too large (checked before anything is written).</exception>
    ValueTask<int> AppendOnceAsync(IReadOnlyList<ProducerBatch> batches, CancellationToken cancellationToken = default);

    /// <summary>The newest stamp <paramref name="producer"/> left in a partition, or null.</summary>
    ProducerStamp? LastStamp(string topic, int partition, string producer);

    /// <summary>The partition a keyed record goes to (stable across processes and versions).</summary>
    int PartitionFor(string topic, byte[] key);

    /// <summary>Up to <paramref name="max"/> durable records of a partition from <paramref name="offset"/> on (fewer at the end).</summary>
    /// <exception cref="StreamException">No such topic or partition.</exception>
    IReadOnlyList<StoredRecord> Read(string topic, int partition, long offset, int max);

    /// <summary>The timestamp of the durable record at <paramref name="offset"/>, or null when the partition has no such record (any more).</summary>
    /// <exception cref="StreamException">No such topic or partition.</exception>
    DateTime? TimestampAt(string topic, int partition, long offset) => Read(topic, partition, offset, 1) is [var r] && r.Offset == offset ? r.Timestamp : null;

    /// <summary>Waits until the partition holds a durable record at or after <paramref name="offset"/>, or the token fires.</summary>
    Task WaitForRecordsAsync(string topic, int partition, long offset, CancellationToken cancellationToken);

    /// <summary>The first offset whose record's timestamp is at or after <paramref name="time"/> (the end offset if none is).</summary>
    long OffsetForTime(string topic, int partition, DateTime time);

    /// <summary>Durably sets a group's committed offsets (the next offset it will read) for partitions of a topic.</summary>
    void CommitOffsets(string group, string topic, IReadOnlyDictionary<int, long> offsets);

    /// <summary>A group's committed offsets, by topic and partition (partitions it never committed are absent).</summary>
    IReadOnlyDictionary<string, IReadOnlyDictionary<int, long>> GroupOffsets(string group);

    /// <summary>
    /// How many times a commit moved the group's offsets on <paramref name="topic"/> backwards (a reset to re-read records).
    /// A processor names its output batches with it, so records it re-reads on purpose are written again.
    /// </summary>
    long GroupGeneration(string group, string topic);

    /// <summary>Every consumer group that has committed offsets, by name.</summary>
    IReadOnlyList<string> ListGroups();

    /// <summary>Deletes a group's committed offsets.</summary>
    void DeleteGroup(string group);

    /// <summary>Drops records older than each topic's retention age and beyond its retention size; returns the records dropped.</summary>
    long EnforceRetention(DateTime now);

    /// <summary>
    /// Saves what an open would otherwise rebuild by reading the log (the embedded log's partition indexes), so that an
    /// open after a crash reads only what came after; nothing for a log that needs no such thing. Returns how many
    /// partitions it saved.
    /// </summary>
    int Checkpoint() => 0;
}
