using Tributary.Kql;
using Tributary.Operations;
using Tributary.Query;
using Tributary.Streams;

namespace Tributary.Cli.Output;

/// <summary>How topics, produce results, groups and offset moves print: aligned tables (through <see cref="ResultWriter"/>) and one-line summaries.</summary>
internal static class StreamsPrinter
{
    public static QueryResult TopicsTable(IReadOnlyList<TopicInfo> topics) => new(
        [
            new("Topic", KqlType.String), new("Partitions", KqlType.Long), new("Records", KqlType.Long), new("Bytes", KqlType.Long),
            new("Retention", KqlType.String), new("RetentionBytes", KqlType.Long),
        ],
        topics.Select(t => new object?[]
        {
            t.Name, (long)t.Partitions.Count, t.Records, t.Bytes, StreamUnits.FormatRetention(t.Settings.RetentionAge), t.Settings.RetentionBytes,
        }).ToList());

    public static QueryResult PartitionsTable(TopicInfo topic) => new(
        [
            new("Partition", KqlType.Long), new("EarliestOffset", KqlType.Long), new("NextOffset", KqlType.Long), new("Records", KqlType.Long),
            new("Bytes", KqlType.Long), new("OldestTimestamp", KqlType.DateTime), new("NewestTimestamp", KqlType.DateTime),
        ],
        topic.Partitions.Select(p => new object?[]
        {
            (long)p.Partition, p.EarliestOffset, p.NextOffset, p.NextOffset - p.EarliestOffset, p.Bytes, p.EarliestTimestamp, p.LatestTimestamp,
        }).ToList());

    public static QueryResult ProducedTable(ProduceResult result) => new(
        [new("Partition", KqlType.Long), new("Records", KqlType.Long), new("FirstOffset", KqlType.Long), new("LastOffset", KqlType.Long)],
        result.Partitions.Select(p => new object?[] { (long)p.Partition, p.Records, p.FirstOffset, p.LastOffset }).ToList());

    public static QueryResult GroupsTable(IReadOnlyList<GroupSummary> groups) => new(
        [new("Group", KqlType.String), new("Topics", KqlType.String), new("Partitions", KqlType.Long), new("Lag", KqlType.Long)],
        groups.Select(g => new object?[] { g.Group, string.Join(",", g.Topics), (long)g.Partitions, g.Lag }).ToList());

    public static QueryResult LagTable(IReadOnlyList<PartitionLag> lags) => new(
        [new("Topic", KqlType.String), new("Partition", KqlType.Long), new("Committed", KqlType.Long), new("End", KqlType.Long), new("Lag", KqlType.Long)],
        lags.Select(l => new object?[] { l.Topic, (long)l.Partition, l.Committed, l.EndOffset, l.Lag }).ToList());

    public static QueryResult MovesTable(IReadOnlyList<OffsetMove> moves) => new(
        [new("Topic", KqlType.String), new("Partition", KqlType.Long), new("Current", KqlType.Long), new("New", KqlType.Long)],
        moves.Select(m => new object?[] { m.Topic, (long)m.Partition, m.Current, m.New }).ToList());

    /// <summary>Processors: state, lag, oldest unread record and when retention drops it, the main counts.</summary>
    public static QueryResult ProcessorsTable(IReadOnlyList<Streams.Processors.ProcessorStatus> processors) => new(
        [new("Processor", KqlType.String), new("Kind", KqlType.String), new("Input", KqlType.String), new("State", KqlType.String), new("Lag", KqlType.Long),
            new("OldestUnread", KqlType.DateTime), new("ExpiresOn", KqlType.DateTime), new("Counts", KqlType.String), new("Error", KqlType.String)],
        processors.Select(p => new object?[]
        {
            p.Name, p.Kind, p.Input, p.State, p.Lag, p.OldestUnread, p.OldestUnreadExpiresOn,
            string.Join(", ", p.Counts.Where(c => c.Value != 0).Select(c => $"{c.Key}={c.Value}")), p.Error,
        }).ToList());

    /// <summary>"3 partitions, retention 14d, no size limit".</summary>
    public static string Settings(TopicInfo topic) =>
        $"{topic.Partitions.Count} partition{(topic.Partitions.Count == 1 ? "" : "s")}, retention {StreamUnits.FormatRetention(topic.Settings.RetentionAge)}, " +
        (topic.Settings.RetentionBytes is { } b ? $"at most {StreamUnits.FormatSize(b)} a partition" : "no size limit");
}
