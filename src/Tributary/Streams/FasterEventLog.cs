using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tributary.Streams;

/// <summary>
/// The embedded log: under <c>DATA/streams</c>, a directory per topic (its settings in <c>topic.json</c>, a
/// FasterLog per partition) and a file per consumer group with its committed offsets.
/// </summary>
/// <remarks>
/// Records go to a partition by a hash of their key (FNV-1a, stable across processes and versions) or
/// round-robin without one. Group offsets are written to a temporary file, flushed to disk and renamed over the
/// old one, so a crash leaves either the old offsets or the new. Thread-safe.
/// </remarks>
public sealed partial class FasterEventLog : IEventLog
{
    /// <summary>The directory under a data directory that holds the log.</summary>
    public const string DirectoryName = "streams";

    private const string GroupsDirectory = "_groups";

    /// <summary>The key of a group file that holds generations by topic (topic names never start with '_').</summary>
    private const string GenerationKey = "_generation";
    private const string TopicFile = "topic.json";

    private readonly string _root;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Topic> _topics = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lock> _groupLocks = new(StringComparer.Ordinal);

    /// <summary>
    /// Readers' open iterators, across all partitions: at most 4 MB of page frames each once it has read from disk, so
    /// 32 cap them at 128 MB.
    /// </summary>
    private readonly ReadCursors _cursors = new(capacity: 32);
    private bool _disposed;

    private FasterEventLog(string root, TimeProvider time)
    {
        _root = root;
        _time = time;
    }

    /// <summary>Opens the log of a data directory (creating it), recovering every partition to its last commit.</summary>
    public static FasterEventLog Open(string dataDirectory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        var root = Path.Combine(dataDirectory, DirectoryName);
        Directory.CreateDirectory(Path.Combine(root, GroupsDirectory));
        var log = new FasterEventLog(root, time ?? TimeProvider.System);
        try
        {
            foreach (var dir in Directory.GetDirectories(root).Where(d => Path.GetFileName(d) != GroupsDirectory).Order(StringComparer.Ordinal))
            {
                var settingsFile = Path.Combine(dir, TopicFile);
                if (!File.Exists(settingsFile))
                {
                    continue;
                }

                var settings = ReadSettings(settingsFile);
                var name = Path.GetFileName(dir);
                log._topics[name] = new Topic(name, settings, Enumerable.Range(0, settings.Partitions).Select(p => PartitionLog.Open(p, PartitionDirectory(dir, p), log._cursors)).ToArray());
            }

            return log;
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public TopicInfo CreateTopic(string name, TopicSettings settings)
    {
        ValidateSettings(name, settings);
        if (settings.Partitions is < 1 or > TopicSettings.MaxPartitions)
        {
            throw new StreamException($"topic '{name}': partitions must be between 1 and {TopicSettings.MaxPartitions}, not {settings.Partitions}");
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_topics.ContainsKey(name))
            {
                throw new StreamException($"topic '{name}' already exists");
            }

            var dir = Path.Combine(_root, name);
            Directory.CreateDirectory(dir);
            var partitions = Enumerable.Range(0, settings.Partitions).Select(p => PartitionLog.Open(p, PartitionDirectory(dir, p), _cursors)).ToArray();
            WriteDurably(Path.Combine(dir, TopicFile), JsonSerializer.SerializeToUtf8Bytes(StoredTopic.From(settings), StreamJsonContext.Default.StoredTopic));
            var topic = new Topic(name, settings, partitions);
            _topics[name] = topic;
            return topic.Info();
        }
    }

    /// <inheritdoc/>
    public TopicInfo AlterTopic(string name, TopicSettings settings)
    {
        ValidateSettings(name, settings);
        var topic = Require(name);
        if (settings.Partitions != topic.Partitions.Length)
        {
            throw new StreamException($"topic '{name}' has {topic.Partitions.Length} partition(s); the number of partitions cannot change (it would move keys to other partitions)");
        }

        lock (_gate)
        {
            WriteDurably(Path.Combine(_root, name, TopicFile), JsonSerializer.SerializeToUtf8Bytes(StoredTopic.From(settings), StreamJsonContext.Default.StoredTopic));
            topic.Settings = settings;
            return topic.Info();
        }
    }

    private static void ValidateSettings(string name, TopicSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ValidateName(name, "topic");
        if (settings.RetentionAge is { } age && age <= TimeSpan.Zero)
        {
            throw new StreamException($"topic '{name}': retention age must be positive, not {age}");
        }

        if (settings.RetentionBytes is { } bytes && bytes < 1024)
        {
            throw new StreamException($"topic '{name}': retention size must be at least 1 KB, not {bytes} bytes");
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<TopicInfo> ListTopics()
    {
        lock (_gate)
        {
            return _topics.Values.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => t.Info()).ToList();
        }
    }

    /// <inheritdoc/>
    public TopicInfo DescribeTopic(string name) => Require(name).Info();

    /// <inheritdoc/>
    public bool HasTopic(string name)
    {
        lock (_gate)
        {
            return _topics.ContainsKey(name);
        }
    }

    /// <inheritdoc/>
    public void DeleteTopic(string name)
    {
        Topic topic;
        lock (_gate)
        {
            topic = Require(name);
            _topics.Remove(name);
        }

        foreach (var partition in topic.Partitions)
        {
            partition.Dispose();
        }

        Directory.Delete(Path.Combine(_root, name), recursive: true);
        foreach (var group in ListGroups())
        {
            UpdateGroup(group, offsets => offsets.Remove(name));
        }
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<RecordPosition>> AppendAsync(string topic, IReadOnlyList<LogRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var t = Require(topic);
        var now = _time.GetUtcNow().UtcDateTime;
        var byPartition = new Dictionary<int, List<(int Index, (byte[]? Key, byte[] Value, DateTime Timestamp) Record)>>();
        for (var i = 0; i < records.Count; i++)
        {
            var r = Checked(topic, records, i);
            var partition = r.Partition ?? t.PartitionFor(r.Key);
            if (partition < 0 || partition >= t.Partitions.Length)
            {
                throw new StreamException($"topic '{topic}' has partitions 0 to {t.Partitions.Length - 1}, not {partition}");
            }

            if (!byPartition.TryGetValue(partition, out var list))
            {
                byPartition[partition] = list = [];
            }

            list.Add((i, (r.Key, r.Value, (r.Timestamp ?? now).ToUniversalTime())));
        }

        var positions = new RecordPosition[records.Count];
        var appends = byPartition.Select(async p =>
        {
            var offsets = await t.Partitions[p.Key].AppendAsync(p.Value.Select(x => x.Record).ToList(), cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < offsets.Length; i++)
            {
                positions[p.Value[i].Index] = new RecordPosition(p.Key, offsets[i]);
            }
        });
        await Task.WhenAll(appends).ConfigureAwait(false);
        return positions;
    }

    /// <inheritdoc/>
    public ValueTask<int> AppendOnceAsync(string topic, int partition, IReadOnlyList<LogRecord> records, string producer, long sequence, CancellationToken cancellationToken = default) =>
        AppendOnceAsync([new ProducerBatch(topic, partition, records, producer, sequence)], cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<int> AppendOnceAsync(IReadOnlyList<ProducerBatch> batches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var now = _time.GetUtcNow().UtcDateTime;
        var checkedBatches = new List<(PartitionLog Log, List<(byte[]? Key, byte[] Value, DateTime Timestamp)> Records, string Producer, long Sequence)>(batches.Count);
        foreach (var batch in batches)
        {
            ArgumentException.ThrowIfNullOrEmpty(batch.Producer);
            var log = RequirePartition(batch.Topic, batch.Partition);
            var list = new List<(byte[]? Key, byte[] Value, DateTime Timestamp)>(batch.Records.Count);
            for (var i = 0; i < batch.Records.Count; i++)
            {
                var r = Checked(batch.Topic, batch.Records, i);
                list.Add((r.Key, r.Value, (r.Timestamp ?? now).ToUniversalTime()));
            }

            checkedBatches.Add((log, list, batch.Producer, batch.Sequence));
        }

        var written = 0;
        var lastByPartition = new Dictionary<PartitionLog, long>();
        foreach (var (log, records, producer, sequence) in checkedBatches)
        {
            var (count, last) = log.EnqueueOnce(records, producer, sequence);
            written += count;
            lastByPartition[log] = Math.Max(last, lastByPartition.GetValueOrDefault(log));
        }

        await Task.WhenAll(lastByPartition.Select(p => p.Key.CommitAsync(p.Value, cancellationToken).AsTask())).ConfigureAwait(false);
        return written;
    }

    /// <inheritdoc/>
    public ProducerStamp? LastStamp(string topic, int partition, string producer) => RequirePartition(topic, partition).LastStamp(producer);

    /// <inheritdoc/>
    public int PartitionFor(string topic, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Require(topic).PartitionFor(key);
    }

    /// <inheritdoc/>
    public IReadOnlyList<StoredRecord> Read(string topic, int partition, long offset, int max) =>
        RequirePartition(topic, partition).Read(topic, offset, max);

    /// <inheritdoc/>
    /// <remarks>Reads the one batch that holds the record (a scan would load whole pages into new frames).</remarks>
    public DateTime? TimestampAt(string topic, int partition, long offset) => RequirePartition(topic, partition).TimestampAt(offset);

    /// <inheritdoc/>
    public Task WaitForRecordsAsync(string topic, int partition, long offset, CancellationToken cancellationToken) =>
        RequirePartition(topic, partition).WaitForAsync(offset, cancellationToken);

    /// <inheritdoc/>
    public long OffsetForTime(string topic, int partition, DateTime time) => RequirePartition(topic, partition).OffsetForTime(time.ToUniversalTime());

    /// <inheritdoc/>
    public void CommitOffsets(string group, string topic, IReadOnlyDictionary<int, long> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ValidateName(group, "consumer group");
        var t = Require(topic);
        foreach (var (partition, offset) in offsets)
        {
            if (partition < 0 || partition >= t.Partitions.Length)
            {
                throw new StreamException($"topic '{topic}' has partitions 0 to {t.Partitions.Length - 1}, not {partition}");
            }

            if (offset < 0)
            {
                throw new StreamException($"an offset is never negative ({offset} for partition {partition} of '{topic}')");
            }
        }

        UpdateGroup(group, all =>
        {
            if (!all.TryGetValue(topic, out var partitions))
            {
                all[topic] = partitions = [];
            }

            var backwards = false;
            foreach (var (partition, offset) in offsets)
            {
                var key = partition.ToString(System.Globalization.CultureInfo.InvariantCulture);
                backwards |= partitions.TryGetValue(key, out var old) && offset < old;
                partitions[key] = offset;
            }

            if (backwards)
            {
                if (!all.TryGetValue(GenerationKey, out var generations))
                {
                    all[GenerationKey] = generations = [];
                }

                generations[topic] = generations.GetValueOrDefault(topic) + 1;
            }
        });
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<int, long>> GroupOffsets(string group)
    {
        ValidateName(group, "consumer group");
        lock (GroupLock(group))
        {
            return ReadGroup(group).Where(t => t.Key != GenerationKey).ToDictionary(
                t => t.Key,
                t => (IReadOnlyDictionary<int, long>)t.Value.ToDictionary(p => int.Parse(p.Key, System.Globalization.CultureInfo.InvariantCulture), p => p.Value),
                StringComparer.Ordinal);
        }
    }

    /// <inheritdoc/>
    public long GroupGeneration(string group, string topic)
    {
        ValidateName(group, "consumer group");
        lock (GroupLock(group))
        {
            return ReadGroup(group).TryGetValue(GenerationKey, out var g) ? g.GetValueOrDefault(topic) : 0;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> ListGroups() =>
        Directory.GetFiles(Path.Combine(_root, GroupsDirectory), "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList();

    /// <inheritdoc/>
    public void DeleteGroup(string group)
    {
        ValidateName(group, "consumer group");
        lock (GroupLock(group))
        {
            var path = GroupPath(group);
            if (!File.Exists(path))
            {
                throw new StreamException($"consumer group '{group}' has no committed offsets");
            }

            File.Delete(path);
        }
    }

    /// <inheritdoc/>
    /// <inheritdoc/>
    /// <remarks>Writes the index file of every partition whose appends are all durable and that changed since its last one.</remarks>
    public int Checkpoint()
    {
        List<Topic> topics;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            topics = [.. _topics.Values];
        }

        return topics.SelectMany(t => t.Partitions).Count(p => p.SaveIndex());
    }

    public long EnforceRetention(DateTime now)
    {
        List<Topic> topics;
        lock (_gate)
        {
            topics = [.. _topics.Values];
        }

        long dropped = 0;
        foreach (var topic in topics)
        {
            var s = topic.Settings;
            if (s.RetentionAge is null && s.RetentionBytes is null)
            {
                continue;
            }

            foreach (var partition in topic.Partitions)
            {
                dropped += partition.Truncate(now - s.RetentionAge, s.RetentionBytes);
            }
        }

        return dropped;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var partition in _topics.Values.SelectMany(t => t.Partitions))
            {
                partition.Dispose();
            }

            _topics.Clear();
        }
    }

    /// <summary>Checks a topic or group name: Kafka's rules (letters, digits, '.', '_', '-'; at most 249 characters; not '.' or '..').</summary>
    public static void ValidateName(string name, string what)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 249 || name is "." or ".." || !NamePattern().IsMatch(name) || name.StartsWith('_'))
        {
            throw new StreamException(
                $"'{name}' is not a valid {what} name: use letters, digits, '.', '_' and '-' (not first '_'), at most 249 characters");
        }
    }

    /// <summary>Record <paramref name="i"/>, refused when it is null, has no value or is too large.</summary>
    private static LogRecord Checked(string topic, IReadOnlyList<LogRecord> records, int i)
    {
        var r = records[i] ?? throw new StreamException($"record {i + 1} of {records.Count} for topic '{topic}' is null");
        if (r.Value is null)
        {
            throw new StreamException($"record {i + 1} of {records.Count} for topic '{topic}' has no value");
        }

        var size = r.Value.Length + (r.Key?.Length ?? 0);
        return size > PartitionLog.MaxRecordBytes
            ? throw new StreamException($"record {i + 1} of {records.Count} for topic '{topic}' has {size:N0} bytes, more than the log's {PartitionLog.MaxRecordBytes:N0} a record")
            : r;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex NamePattern();

    private Topic Require(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_topics.TryGetValue(name, out var topic))
            {
                return topic;
            }

            var similar = _topics.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            throw new StreamException($"topic '{name}' does not exist{(similar is null ? "" : $" (did you mean '{similar}'?)")}; create it with: topics create {name}");
        }
    }

    private PartitionLog RequirePartition(string topic, int partition)
    {
        var t = Require(topic);
        return partition >= 0 && partition < t.Partitions.Length
            ? t.Partitions[partition]
            : throw new StreamException($"topic '{topic}' has partitions 0 to {t.Partitions.Length - 1}, not {partition}");
    }

    private static string PartitionDirectory(string topicDirectory, int partition) => Path.Combine(topicDirectory, partition.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static TopicSettings ReadSettings(string path)
    {
        try
        {
            return (JsonSerializer.Deserialize(File.ReadAllBytes(path), StreamJsonContext.Default.StoredTopic) ?? throw new InvalidDataException("empty")).ToSettings();
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new StreamException($"{path} is damaged: {e.Message}", e);
        }
    }

    private Lock GroupLock(string group) => _groupLocks.GetOrAdd(group, _ => new Lock());

    private string GroupPath(string group) => Path.Combine(_root, GroupsDirectory, group + ".json");

    private Dictionary<string, Dictionary<string, long>> ReadGroup(string group)
    {
        var path = GroupPath(group);
        if (!File.Exists(path))
        {
            return new(StringComparer.Ordinal);
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), StreamJsonContext.Default.DictionaryStringDictionaryStringInt64) ?? new(StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            throw new StreamException($"the offsets of consumer group '{group}' ({path}) are damaged: {e.Message}", e);
        }
    }

    private void UpdateGroup(string group, Action<Dictionary<string, Dictionary<string, long>>> change)
    {
        lock (GroupLock(group))
        {
            var offsets = ReadGroup(group);
            change(offsets);
            WriteDurably(GroupPath(group), JsonSerializer.SerializeToUtf8Bytes(offsets, StreamJsonContext.Default.DictionaryStringDictionaryStringInt64));
        }
    }

    /// <summary>Writes a file so that a crash leaves the old content or the new: a flushed temporary file renamed over it.</summary>
    private static void WriteDurably(string path, byte[] content)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>A topic's partitions and the round-robin counter for records without a key.</summary>
    private sealed class Topic(string name, TopicSettings settings, PartitionLog[] partitions)
    {
        private int _next = -1;

        public string Name { get; } = name;

        public TopicSettings Settings { get; set; } = settings;

        public PartitionLog[] Partitions { get; } = partitions;

        public TopicInfo Info() => new(Name, Settings, Partitions.Select(p => p.Info()).ToList());

        /// <summary>The partition for a key: FNV-1a of its bytes; round-robin without a key.</summary>
        public int PartitionFor(byte[]? key)
        {
            if (key is null)
            {
                return (int)((uint)Interlocked.Increment(ref _next) % (uint)Partitions.Length);
            }

            var hash = 2166136261u;
            foreach (var b in key)
            {
                hash = (hash ^ b) * 16777619u;
            }

            return (int)(hash % (uint)Partitions.Length);
        }
    }
}

/// <summary>The persisted form of a topic's settings.</summary>
internal sealed record StoredTopic(int Partitions, long? RetentionAgeTicks, long? RetentionBytes)
{
    public static StoredTopic From(TopicSettings s) => new(s.Partitions, s.RetentionAge?.Ticks, s.RetentionBytes);

    public TopicSettings ToSettings() => new(Partitions, RetentionAgeTicks is { } t ? TimeSpan.FromTicks(t) : null, RetentionBytes);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(StoredTopic))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, Dictionary<string, long>>))]
internal sealed partial class StreamJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
