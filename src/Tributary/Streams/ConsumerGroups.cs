namespace Tributary.Streams;

/// <summary>How <c>groups reset-offsets</c> moves a group: the options of Kafka's consumer-groups tool.</summary>
public enum OffsetResetKind
{
    ToEarliest,
    ToLatest,
    ToDatetime,
    ShiftBy,
    ToOffset,
}

/// <summary>A reset: its kind, and the time (<see cref="OffsetResetKind.ToDatetime"/>) or number (shift, offset) it needs.</summary>
public sealed record OffsetReset(OffsetResetKind Kind, DateTime? Time = null, long? Value = null);

/// <summary>One partition's move in a reset plan.</summary>
public sealed record OffsetMove(string Topic, int Partition, long? Current, long New);

/// <summary>Consumer-group operations on any <see cref="IEventLog"/>: lag, and resetting offsets (seed 002's Kafka tools).</summary>
public static class ConsumerGroups
{
    /// <summary>The group's lag on every partition of every topic it has committed on (or of <paramref name="topic"/>).</summary>
    public static IReadOnlyList<PartitionLag> Lag(IEventLog log, string group, string? topic = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        var committed = log.GroupOffsets(group);
        var topics = topic is null ? committed.Keys.Where(log.HasTopic).Order(StringComparer.Ordinal).ToList() : [topic];
        var lags = new List<PartitionLag>();
        foreach (var t in topics)
        {
            var offsets = committed.GetValueOrDefault(t);
            foreach (var p in log.DescribeTopic(t).Partitions)
            {
                lags.Add(new PartitionLag(t, p.Partition, offsets is not null && offsets.TryGetValue(p.Partition, out var c) ? c : null, p.EarliestOffset, p.NextOffset));
            }
        }

        return lags;
    }

    /// <summary>
    /// Moves the group's offsets on every partition of <paramref name="topic"/> as <paramref name="reset"/> says (clamped to the
    /// kept records), or with <paramref name="dryRun"/> only says how it would.
    /// </summary>
    /// <exception cref="StreamException">No such topic, or the reset lacks its time or number.</exception>
    public static IReadOnlyList<OffsetMove> ResetOffsets(IEventLog log, string group, string topic, OffsetReset reset, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(reset);
        FasterEventLog.ValidateName(group, "consumer group");
        var info = log.DescribeTopic(topic);
        var committed = log.GroupOffsets(group).GetValueOrDefault(topic);
        var moves = new List<OffsetMove>();
        foreach (var p in info.Partitions)
        {
            long? current = committed is not null && committed.TryGetValue(p.Partition, out var c) ? c : null;
            var target = reset.Kind switch
            {
                OffsetResetKind.ToEarliest => p.EarliestOffset,
                OffsetResetKind.ToLatest => p.NextOffset,
                OffsetResetKind.ToDatetime => log.OffsetForTime(topic, p.Partition, reset.Time ?? throw new StreamException("--to-datetime needs a time")),
                OffsetResetKind.ShiftBy => (current ?? p.EarliestOffset) + (reset.Value ?? throw new StreamException("--shift-by needs a number")),
                OffsetResetKind.ToOffset => reset.Value ?? throw new StreamException("--to-offset needs a number"),
                _ => throw new StreamException($"unknown reset {reset.Kind}"),
            };
            moves.Add(new OffsetMove(topic, p.Partition, current, Math.Clamp(target, p.EarliestOffset, p.NextOffset)));
        }

        if (!dryRun)
        {
            log.CommitOffsets(group, topic, moves.ToDictionary(m => m.Partition, m => m.New));
        }

        return moves;
    }
}
