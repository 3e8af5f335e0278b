using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Tributary.Operations;
using Tributary.Streams;
using Tributary.Streams.Ingest;

namespace Tributary.Tests.Operations;

/// <summary>
/// The streams operations on a data directory this process owns (what the CLI does offline, and the server behind its
/// endpoints): topics, produce, reading, the console consumer's semantics, groups and the ingestion switch.
/// </summary>
public sealed class StreamOperationsTests : TempDirectoryTest
{
    private static readonly DateTime T0 = new(2024, 5, 23, 10, 0, 0, DateTimeKind.Utc);

    public StreamOperationsTests()
        : base("streamops")
    {
    }

    private static RecordLines Lines(string text, string? keyField = null) => RecordLines.Parse(Encoding.UTF8.GetBytes(text), LineFormat.Json, keyField);

    private static RecordLines Numbered(int from, int count) =>
        Lines(string.Concat(Enumerable.Range(from, count).Select(i => $"{{\"n\":{i},\"k\":\"key-{i % 3}\"}}\n")), "k");

    private static List<string> Consume(ITributaryOperations ops, ConsumeOptions options)
    {
        var values = new List<string>();
        TopicConsumer.Run(ops, options, r => values.Add(r.Value));
        return values;
    }

    [Fact]
    public void Open_CommandsWithoutTheLog_NeverOpenIt()
    {
        using (var ops = LocalOperations.Open(Dir))
        {
            ops.Query(".create table T (a:long)", null, CancellationToken.None);
            _ = ops.GetIngestion();
            Assert.False(ops.IsLogOpen);
        }

        Assert.False(Directory.Exists(Path.Combine(Dir, FasterEventLog.DirectoryName)));
        using (var ops = LocalOperations.Open(Dir))
        {
            Assert.Empty(ops.ListTopics());
            Assert.True(ops.IsLogOpen);
        }

        Assert.True(Directory.Exists(Path.Combine(Dir, FasterEventLog.DirectoryName)));
    }

    [Fact]
    public void Topics_CreateListDescribeDelete()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(T0));
        using var ops = LocalOperations.Open(Dir, time);
        ops.CreateTopic("events", new TopicSettings(3, TimeSpan.FromDays(2), 1L << 30));
        ops.CreateTopic("alpha", new TopicSettings());
        Assert.Equal(["alpha", "events"], ops.ListTopics().Select(t => t.Name));
        Assert.Equal("topic 'events' already exists", Assert.Throws<StreamException>(() => ops.CreateTopic("events", new TopicSettings())).Message);

        ops.Produce("events", Numbered(0, 6), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));
        ops.Produce("events", Numbered(6, 3), CancellationToken.None);
        var info = ops.DescribeTopic("events");
        Assert.Equal(new TopicSettings(3, TimeSpan.FromDays(2), 1L << 30), info.Settings);
        Assert.Equal(9, info.Records);
        Assert.All(info.Partitions.Where(p => p.NextOffset > 0), p => Assert.Equal((T0, T0.AddMinutes(1)), (p.EarliestTimestamp!.Value, p.LatestTimestamp!.Value)));

        var deleted = ops.DeleteTopic("events");
        Assert.Equal(9, deleted.Records);
        Assert.Equal(["alpha"], ops.ListTopics().Select(t => t.Name));
        var e = Assert.Throws<StreamException>(() => ops.DescribeTopic("events"));
        Assert.Equal("topic 'events' does not exist; create it with: topics create events", e.Message);
    }

    [Fact]
    public void Produce_KeyedRecords_SameKeySamePartition_ResultCountsPerPartition()
    {
        using var ops = LocalOperations.Open(Dir);
        ops.CreateTopic("events", new TopicSettings(4));
        var first = ops.Produce("events", Numbered(0, 12), CancellationToken.None);
        Assert.Equal(12, first.Records);
        Assert.Equal(12, first.Partitions.Sum(p => p.Records));
        Assert.All(first.Partitions, p => Assert.Equal(p.Records - 1, p.LastOffset - p.FirstOffset));

        var second = ops.Produce("events", Numbered(12, 12), CancellationToken.None);
        Assert.Equal(first.Partitions.Select(p => (p.Partition, p.Records)), second.Partitions.Select(p => (p.Partition, p.Records)));
        Assert.Equal(first.Partitions.Select(p => p.LastOffset + 1), second.Partitions.Select(p => p.FirstOffset));

        var page = ops.ReadRecords("events", Enumerable.Range(0, 4).Select(p => new PartitionOffset(p, 0)).ToList(), 100, TimeSpan.Zero, CancellationToken.None);
        Assert.Equal(24, page.Records.Count);
        Assert.All(page.Records.GroupBy(r => r.Key), g => Assert.Single(g.Select(r => r.Partition).Distinct()));
    }

    [Fact]
    public void Produce_WhilePaused_RefusedAndNothingAppended_PauseOutlivesTheProcess()
    {
        using (var ops = LocalOperations.Open(Dir))
        {
            ops.CreateTopic("events", new TopicSettings());
            Assert.True(ops.SetIngestionPaused(true).Paused);
        }

        using (var ops = LocalOperations.Open(Dir))
        {
            Assert.True(ops.GetIngestion().Paused);
            var e = Assert.Throws<IngestException>(() => ops.Produce("events", Numbered(0, 3), CancellationToken.None));
            Assert.Equal(IngestErrorCodes.IngestionPaused, e.Code);
            Assert.Equal(0, ops.DescribeTopic("events").Records);
            Assert.False(ops.SetIngestionPaused(false).Paused);
            Assert.Equal(3, ops.Produce("events", Numbered(0, 3), CancellationToken.None).Records);
        }
    }

    [Fact]
    public void Produce_UnknownTopic_RefusedNamingIt()
    {
        using var ops = LocalOperations.Open(Dir);
        var e = Assert.Throws<StreamException>(() => ops.Produce("nope", Numbered(0, 1), CancellationToken.None));
        Assert.StartsWith("topic 'nope' does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRecords_FromAnOffset_MaxAcrossPartitionsInOrder()
    {
        using var ops = LocalOperations.Open(Dir);
        ops.CreateTopic("t", new TopicSettings(2));
        ops.Produce("t", Lines("{\"p\":0}\n{\"p\":1}\n{\"p\":2}\n{\"p\":3}\n"), CancellationToken.None); // round-robin: 2 a partition

        var page = ops.ReadRecords("t", [new PartitionOffset(1, 1), new PartitionOffset(0, 0)], 2, TimeSpan.Zero, CancellationToken.None);
        Assert.Equal([(1, 1L), (0, 0L)], page.Records.Select(r => (r.Partition, r.Offset)));
        Assert.Empty(ops.ReadRecords("t", [new PartitionOffset(0, 2)], 10, TimeSpan.Zero, CancellationToken.None).Records);
    }

    [Theory]
    [InlineData(5, 0, 10, "topic 't' has partitions 0 to 1, not 5")]
    [InlineData(0, -1, 10, "an offset is never negative (-1 for partition 0)")]
    [InlineData(0, 0, 0, "max must be between 1 and 10,000, not 0")]
    [InlineData(0, 0, 10001, "max must be between 1 and 10,000, not 10001")]
    public void ReadRecords_BadRequest_SaysWhat(int partition, long offset, int max, string message)
    {
        using var ops = LocalOperations.Open(Dir);
        ops.CreateTopic("t", new TopicSettings(2));
        var e = Assert.Throws<StreamException>(() => ops.ReadRecords("t", [new PartitionOffset(partition, offset)], max, TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public async Task ReadRecords_Waiting_AnswersWhenARecordArrives_OrEmptyAfterTheWait()
    {
        using var ops = LocalOperations.Open(Dir);
        ops.CreateTopic("t", new TopicSettings(3));
        var from = Enumerable.Range(0, 3).Select(p => new PartitionOffset(p, 0)).ToList();

        var watch = Stopwatch.StartNew();
        Assert.Empty(ops.ReadRecords("t", from, 10, TimeSpan.FromMilliseconds(300), CancellationToken.None).Records);
        Assert.InRange(watch.ElapsedMilliseconds, 250, 5000);

        var read = Task.Run(() => ops.ReadRecords("t", from, 10, TimeSpan.FromSeconds(20), CancellationToken.None));
        await Task.Delay(200);
        Assert.False(read.IsCompleted);
        watch.Restart();
        ops.Produce("t", Lines("{\"late\":true}\n"), CancellationToken.None);
        var page = await read;
        Assert.Equal("{\"late\":true}", Assert.Single(page.Records).Value);
        Assert.True(watch.ElapsedMilliseconds < 5000, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Consume_WithoutAGroup_FromTheEndUnlessFromBeginning()
    {
        using var ops = LocalOperations.Open(Dir);
        ops.CreateTopic("t", new TopicSettings(2));
        ops.Produce("t", Numbered(0, 4), CancellationToken.None);

        Assert.Empty(Consume(ops, new ConsumeOptions("t", Timeout: TimeSpan.Zero)));
        Assert.Equal(4, Consume(ops, new ConsumeOptions("t", FromBeginning: true, Timeout: TimeSpan.Zero)).Count);
        Assert.Equal(2, Consume(ops, new ConsumeOptions("t", FromBeginning: true, Max: 2, Timeout: TimeSpan.Zero)).Count);
        var onePartition = Consume(ops, new ConsumeOptions("t", FromBeginning: true, Partition: 1, Timeout: TimeSpan.Zero));
        Assert.Equal(ops.DescribeTopic("t").Partitions[1].NextOffset, onePartition.Count);
        Assert.Empty(ops.ListGroups());
    }

    [Fact]
    public void Consume_AsAGroup_StartsAtCommittedOffsets_CommitsWhatItHandedOver()
    {
        using var ops = LocalOperations.Open(Dir);
        ops.CreateTopic("t", new TopicSettings(3));
        ops.Produce("t", Numbered(0, 9), CancellationToken.None);

        // A new group without --from-beginning starts at the end, and commits that position.
        Assert.Empty(Consume(ops, new ConsumeOptions("t", "late", Timeout: TimeSpan.Zero)));
        Assert.All(ops.DescribeGroup("late", null), l => Assert.Equal((l.EndOffset, 0L), (l.Committed!.Value, l.Lag)));

        var firstFive = Consume(ops, new ConsumeOptions("t", "g", FromBeginning: true, Max: 5, Timeout: TimeSpan.Zero));
        Assert.Equal(5, firstFive.Count);
        Assert.Equal(4, ops.DescribeGroup("g", null).Sum(l => l.Lag));

        // Committed offsets win over --from-beginning: the rest, then nothing.
        var rest = Consume(ops, new ConsumeOptions("t", "g", FromBeginning: true, Timeout: TimeSpan.Zero));
        Assert.Equal(4, rest.Count);
        Assert.Equal(Enumerable.Range(0, 9).Select(i => $"{{\"n\":{i},\"k\":\"key-{i % 3}\"}}").Order(), firstFive.Concat(rest).Order());
        Assert.Empty(Consume(ops, new ConsumeOptions("t", "g", FromBeginning: true, Timeout: TimeSpan.Zero)));
        Assert.All(ops.DescribeGroup("g", "t"), l => Assert.Equal(0, l.Lag));

        var groups = ops.ListGroups();
        Assert.Equal(["g", "late"], groups.Select(g => g.Group));
        Assert.All(groups, g => Assert.Equal(("t", 3, 0L), (string.Join(",", g.Topics), g.Partitions, g.Lag)));
    }

    [Fact]
    public async Task Consume_WithATimeout_EndsAfterQuiet_WaitsWhileRecordsKeepComing()
    {
        using var ops = LocalOperations.Open(Dir);
        ops.CreateTopic("t", new TopicSettings(1));
        var watch = Stopwatch.StartNew();
        // The quiet timeout is far longer than the gaps between records, so a loaded machine does not end the wait early.
        var consumer = Task.Run(() => Consume(ops, new ConsumeOptions("t", "g", Timeout: TimeSpan.FromSeconds(4))));
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(300);
            ops.Produce("t", Lines($"{{\"i\":{i}}}\n"), CancellationToken.None);
        }

        var values = await consumer;
        Assert.Equal(["{\"i\":0}", "{\"i\":1}", "{\"i\":2}"], values);
        Assert.InRange(watch.ElapsedMilliseconds, 4500, 60_000);
        Assert.Equal(3, Assert.Single(ops.DescribeGroup("g", null)).Committed);
    }

    [Fact]
    public void Consume_BadOptions_SaysWhat()
    {
        using var ops = LocalOperations.Open(Dir);
        ops.CreateTopic("t", new TopicSettings(2));
        Assert.Equal("--max must be at least 1, not 0", Assert.Throws<StreamException>(() => Consume(ops, new ConsumeOptions("t", Max: 0))).Message);
        Assert.Equal("topic 't' has partitions 0 to 1, not 2", Assert.Throws<StreamException>(() => Consume(ops, new ConsumeOptions("t", "g", Partition: 2))).Message);
        Assert.StartsWith("topic 'u' does not exist", Assert.Throws<StreamException>(() => Consume(ops, new ConsumeOptions("u"))).Message, StringComparison.Ordinal);
        Assert.StartsWith("'bad group' is not a valid consumer group name", Assert.Throws<StreamException>(() => Consume(ops, new ConsumeOptions("t", "bad group"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Groups_DescribeUnknown_ListsTheGroups()
    {
        using var ops = LocalOperations.Open(Dir);
        ops.CreateTopic("t", new TopicSettings(1));
        Assert.Equal("consumer group 'g' does not exist (no group has committed offsets yet)", Assert.Throws<StreamException>(() => ops.DescribeGroup("g", null)).Message);
        ops.CommitOffsets("Readers", "t", new Dictionary<int, long> { [0] = 0 });
        Assert.Equal("consumer group 'readers' does not exist; did you mean 'Readers'?", Assert.Throws<StreamException>(() => ops.DescribeGroup("readers", null)).Message);
        Assert.Equal("consumer group 'x' does not exist (groups: Readers)", Assert.Throws<StreamException>(() => ops.DescribeGroup("x", null)).Message);

        // With a topic, a group never seen is every partition uncommitted.
        var lag = Assert.Single(ops.DescribeGroup("x", "t"));
        Assert.Null(lag.Committed);
    }

    [Fact]
    public void ResetOffsets_EveryKind_AndDryRunChangesNothing()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(T0));
        using var ops = LocalOperations.Open(Dir, time);
        ops.CreateTopic("t", new TopicSettings(1));
        for (var i = 0; i < 6; i++)
        {
            ops.Produce("t", Lines($"{{\"i\":{i}}}\n"), CancellationToken.None);
            time.Advance(TimeSpan.FromMinutes(10));
        }

        ops.CommitOffsets("g", "t", new Dictionary<int, long> { [0] = 4 });
        long New(OffsetReset reset, bool dry = false) => Assert.Single(ops.ResetOffsets("g", "t", reset, dry)).New;

        Assert.Equal(0, New(new OffsetReset(OffsetResetKind.ToEarliest), dry: true));
        Assert.Equal(4, Assert.Single(ops.DescribeGroup("g", null)).Committed);
        var move = Assert.Single(ops.ResetOffsets("g", "t", new OffsetReset(OffsetResetKind.ShiftBy, Value: -3), dryRun: false));
        Assert.Equal((4L, 1L), (move.Current!.Value, move.New));
        Assert.Equal(6, New(new OffsetReset(OffsetResetKind.ToLatest)));
        Assert.Equal(2, New(new OffsetReset(OffsetResetKind.ToDatetime, Time: T0.AddMinutes(15))));
        Assert.Equal(5, New(new OffsetReset(OffsetResetKind.ToOffset, Value: 5)));
        Assert.Equal(6, New(new OffsetReset(OffsetResetKind.ShiftBy, Value: 100)));
        Assert.Equal(6, Assert.Single(ops.DescribeGroup("g", null)).Committed);
        Assert.Equal("--to-offset must not be negative, not -1", Assert.Throws<StreamException>(() => New(new OffsetReset(OffsetResetKind.ToOffset, Value: -1))).Message);
        Assert.StartsWith("topic 'u' does not exist", Assert.Throws<StreamException>(() => ops.ResetOffsets("g", "u", new OffsetReset(OffsetResetKind.ToEarliest), false)).Message, StringComparison.Ordinal);
    }
}
