using Tributary.Streams;

namespace Tributary.Operations;

/// <summary>
/// What <c>consume</c> reads: a topic (one partition of it, or all), as a group or alone, from where, how many records
/// at most, and how long to wait for one (null: until cancelled).
/// </summary>
public sealed record ConsumeOptions(string Topic, string? Group = null, bool FromBeginning = false, long? Max = null, int? Partition = null, TimeSpan? Timeout = null);

/// <summary>
/// The console consumer (Kafka's <c>kafka-console-consumer</c> semantics) over any <see cref="ITributaryOperations"/>, so
/// it reads the same offline and through a server.
/// </summary>
/// <remarks>
/// Where it starts: with a group, at the group's committed offsets; on partitions the group never committed on (and
/// without a group, everywhere), at the end — new records only — unless <see cref="ConsumeOptions.FromBeginning"/>
/// (then at the earliest kept record). A committed offset older than the earliest kept record starts there.
/// It stops after <see cref="ConsumeOptions.Max"/> records, when no record arrived for <see cref="ConsumeOptions.Timeout"/>
/// (zero: as soon as it has read everything there is), or when cancelled — which is a normal end, not an error.
/// With a group it commits, after each batch has been handed over, the offsets after the records handed over, and at the
/// end its position on every partition it read (so a new group shows up in <c>groups describe</c> even if nothing came).
/// </remarks>
public static class TopicConsumer
{
    /// <summary>The longest one read waits for records before the consumer checks its timeout again.</summary>
    public static readonly TimeSpan PollWait = TimeSpan.FromSeconds(10);

    private const int PageSize = 1000;

    /// <summary>Reads records and hands each to <paramref name="onRecord"/> in order; returns how many it handed over.</summary>
    /// <exception cref="StreamException">No such topic or partition, a bad group name, or a bad <see cref="ConsumeOptions.Max"/>.</exception>
    /// <param name="afterBatch">Called after each batch of records was handed over and before it is committed (flush the output here).</param>
    public static long Run(ITributaryOperations operations, ConsumeOptions options, Action<ConsumedRecord> onRecord, Action? afterBatch = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onRecord);
        time ??= TimeProvider.System;
        if (options.Max is < 1)
        {
            throw new StreamException($"--max must be at least 1, not {options.Max}");
        }

        if (options.Timeout is { } t && t < TimeSpan.Zero)
        {
            throw new StreamException($"--timeout must not be negative, not {t}");
        }

        var positions = StartPositions(operations, options, out var committed);
        long count = 0;
        var lastActivity = time.GetTimestamp();
        try
        {
            while (options.Max is not { } max || count < max)
            {
                var wait = PollWait;
                if (options.Timeout is { } timeout)
                {
                    var left = timeout - time.GetElapsedTime(lastActivity);
                    wait = left <= TimeSpan.Zero ? TimeSpan.Zero : left < PollWait ? left : PollWait;
                }

                var want = (int)Math.Min(PageSize, (options.Max ?? long.MaxValue) - count);
                var page = operations.ReadRecords(options.Topic, positions.Select(p => new PartitionOffset(p.Key, p.Value)).ToList(), want, wait, cancellationToken);
                if (page.Records.Count == 0)
                {
                    if (options.Timeout is { } limit && time.GetElapsedTime(lastActivity) >= limit)
                    {
                        break;
                    }

                    continue;
                }

                foreach (var record in page.Records)
                {
                    onRecord(record);
                    positions[record.Partition] = record.Offset + 1;
                    count++;
                }

                afterBatch?.Invoke();
                Commit(operations, options, positions, committed);
                lastActivity = time.GetTimestamp();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C ends a console consumer; what it printed is committed below.
        }

        Commit(operations, options, positions, committed);
        return count;
    }

    /// <summary>Where each partition read starts, in partition order; <paramref name="committed"/> gets the group's committed offsets.</summary>
    private static SortedDictionary<int, long> StartPositions(ITributaryOperations operations, ConsumeOptions options, out Dictionary<int, long> committed)
    {
        committed = [];
        var positions = new SortedDictionary<int, long>();
        if (options.Group is { } group)
        {
            var lags = operations.DescribeGroup(group, options.Topic);
            CheckPartition(options, lags.Count);
            foreach (var lag in lags.Where(l => options.Partition is null || l.Partition == options.Partition))
            {
                if (lag.Committed is { } c)
                {
                    committed[lag.Partition] = c;
                }

                positions[lag.Partition] = lag.Committed is { } offset
                    ? Math.Clamp(offset, lag.EarliestOffset, lag.EndOffset)
                    : options.FromBeginning ? lag.EarliestOffset : lag.EndOffset;
            }
        }
        else
        {
            var info = operations.DescribeTopic(options.Topic);
            CheckPartition(options, info.Partitions.Count);
            foreach (var p in info.Partitions.Where(p => options.Partition is null || p.Partition == options.Partition))
            {
                positions[p.Partition] = options.FromBeginning ? p.EarliestOffset : p.NextOffset;
            }
        }

        return positions;
    }

    private static void CheckPartition(ConsumeOptions options, int partitions)
    {
        if (options.Partition is { } p && (p < 0 || p >= partitions))
        {
            throw new StreamException($"topic '{options.Topic}' has partitions 0 to {partitions - 1}, not {p}");
        }
    }

    private static void Commit(ITributaryOperations operations, ConsumeOptions options, SortedDictionary<int, long> positions, Dictionary<int, long> committed)
    {
        if (options.Group is not { } group)
        {
            return;
        }

        var changed = positions.Where(p => !committed.TryGetValue(p.Key, out var c) || c != p.Value).ToDictionary(p => p.Key, p => p.Value);
        if (changed.Count == 0)
        {
            return;
        }

        operations.CommitOffsets(group, options.Topic, changed);
        foreach (var (partition, offset) in changed)
        {
            committed[partition] = offset;
        }
    }
}
