using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tributary.Streams;

namespace Tributary.Tests.Streams;

/// <summary>The embedded log against FasterLog on a temp directory: offsets, partitions, durability, retention, groups.</summary>
public sealed class EventLogTests : IDisposable
{
    private static readonly DateTime T0 = new(2024, 5, 23, 0, 0, 0, DateTimeKind.Utc);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tributary-log-" + Guid.NewGuid().ToString("N"));
    private FasterEventLog _log;

    public EventLogTests()
    {
        _log = FasterEventLog.Open(_dir);
    }

    public void Dispose()
    {
        _log.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static LogRecord Rec(string value, string? key = null, DateTime? at = null, int? partition = null) =>
        new(key is null ? null : Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value), at, partition);

    private static string Text(StoredRecord r) => Encoding.UTF8.GetString(r.Value);

    private void Reopen()
    {
        _log.Dispose();
        _log = FasterEventLog.Open(_dir);
    }

    [Fact]
    public async Task Append_ThenRead_DenseOffsetsInOrderWithKeysAndTimestamps()
    {
        _log.CreateTopic("raw", new TopicSettings());
        var positions = await _log.AppendAsync("raw", [Rec("a", "k1", T0), Rec("b", null, T0.AddSeconds(1)), Rec("c", "k3", T0.AddSeconds(2))]);

        Assert.Equal([0L, 1L, 2L], positions.Select(p => p.Offset));
        var read = _log.Read("raw", 0, 0, 10);
        Assert.Equal(["a", "b", "c"], read.Select(Text));
        Assert.Equal([0L, 1L, 2L], read.Select(r => r.Offset));
        Assert.Equal("k1", Encoding.UTF8.GetString(read[0].Key!));
        Assert.Null(read[1].Key);
        Assert.Equal(T0.AddSeconds(2), read[2].Timestamp);
        Assert.Equal(["b", "c"], _log.Read("raw", 0, 1, 10).Select(Text));
        Assert.Equal(["b"], _log.Read("raw", 0, 1, 1).Select(Text));
        Assert.Empty(_log.Read("raw", 0, 3, 10));
    }

    [Fact]
    public async Task Append_ManyRecords_ReadFromAnyOffsetUsesTheIndex()
    {
        _log.CreateTopic("big", new TopicSettings());
        for (var batch = 0; batch < 10; batch++)
        {
            await _log.AppendAsync("big", Enumerable.Range(0, 500).Select(i => Rec($"v{(batch * 500) + i}")).ToList());
        }

        foreach (var from in new[] { 0L, 63, 64, 65, 1000, 4999 })
        {
            var r = _log.Read("big", 0, from, 3);
            Assert.Equal(from, r[0].Offset);
            Assert.Equal($"v{from}", Text(r[0]));
        }

        Assert.Equal(5000, _log.DescribeTopic("big").Records);
    }

    [Fact]
    public async Task Keys_AlwaysGoToTheSamePartition_AndUnkeyedRecordsSpreadRoundRobin()
    {
        _log.CreateTopic("keyed", new TopicSettings(Partitions: 4));
        var first = await _log.AppendAsync("keyed", Enumerable.Range(0, 20).Select(i => Rec($"{i}", $"device-{i % 5}")).ToList());
        var second = await _log.AppendAsync("keyed", Enumerable.Range(0, 20).Select(i => Rec($"{i}", $"device-{i % 5}")).ToList());
        Assert.Equal(first.Select(p => p.Partition), second.Select(p => p.Partition));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(first[i % 5].Partition, first[i].Partition);
        }

        var spread = await _log.AppendAsync("keyed", Enumerable.Range(0, 8).Select(i => Rec($"{i}")).ToList());
        Assert.Equal(4, spread.Select(p => p.Partition).Distinct().Count());
    }

    [Fact]
    public async Task Reopen_RecordsOffsetsAndGroupsSurvive_AndOffsetsContinue()
    {
        _log.CreateTopic("t", new TopicSettings(Partitions: 2, RetentionAge: TimeSpan.FromDays(3)));
        await _log.AppendAsync("t", [Rec("a", null, T0), Rec("b", null, T0), Rec("c", null, T0)]);
        _log.CommitOffsets("g1", "t", new Dictionary<int, long> { [0] = 1 });
        Reopen();

        var topic = _log.DescribeTopic("t");
        Assert.Equal(2, topic.Partitions.Count);
        Assert.Equal(TimeSpan.FromDays(3), topic.Settings.RetentionAge);
        Assert.Equal(3, topic.Records);
        Assert.Equal(1, _log.GroupOffsets("g1")["t"][0]);
        var more = await _log.AppendAsync("t", [Rec("d", null, T0, partition: 0)]);
        Assert.Equal(topic.Partitions[0].NextOffset, more[0].Offset);
    }

    [Fact]
    public async Task Retention_ByAge_DropsOldRecordsButKeepsTheNewestAndItsOffsets()
    {
        _log.CreateTopic("aged", new TopicSettings(RetentionAge: TimeSpan.FromDays(14)));
        // A batch of records goes as a whole (as a Kafka segment does): one append a day.
        for (var d = 0; d < 30; d++)
        {
            await _log.AppendAsync("aged", [Rec($"day{d}", null, T0.AddDays(d))]);
        }

        var dropped = _log.EnforceRetention(T0.AddDays(29 + 0.5));
        Assert.Equal(16, dropped);
        var p = _log.DescribeTopic("aged").Partitions[0];
        Assert.Equal(16, p.EarliestOffset);
        Assert.Equal(30, p.NextOffset);
        Assert.Equal("day16", Text(_log.Read("aged", 0, 0, 1)[0]));

        // Long after: everything is old, the newest record stays so offsets go on counting.
        _log.EnforceRetention(T0.AddDays(400));
        Reopen();
        p = _log.DescribeTopic("aged").Partitions[0];
        Assert.Equal((29L, 30L), (p.EarliestOffset, p.NextOffset));
        Assert.Equal(30, (await _log.AppendAsync("aged", [Rec("new")]))[0].Offset);
    }

    [Fact]
    public async Task Retention_BySize_KeepsAboutTheAllowance()
    {
        _log.CreateTopic("sized", new TopicSettings(RetentionBytes: 64 * 1024));
        var payload = new string('x', 1000);
        for (var i = 0; i < 20; i++)
        {
            await _log.AppendAsync("sized", Enumerable.Range(0, 10).Select(_ => Rec(payload)).ToList());
        }

        Assert.True(_log.DescribeTopic("sized").Bytes > 150_000);
        var dropped = _log.EnforceRetention(DateTime.UtcNow);
        var info = _log.DescribeTopic("sized").Partitions[0];
        Assert.True(dropped > 100, $"dropped {dropped}");
        Assert.True(info.Bytes <= 64 * 1024, $"{info.Bytes} bytes kept");
        Assert.Equal(200, info.NextOffset);
        Assert.Equal(info.EarliestOffset, _log.Read("sized", 0, 0, 1)[0].Offset);
    }

    [Fact]
    public async Task Groups_LagAndEveryResetKind_DryRunChangesNothing()
    {
        _log.CreateTopic("events", new TopicSettings(Partitions: 2));
        await _log.AppendAsync("events", Enumerable.Range(0, 10).Select(i => Rec($"{i}", null, T0.AddMinutes(i), partition: i % 2)).ToList());
        _log.CommitOffsets("denorm", "events", new Dictionary<int, long> { [0] = 2 });

        var lag = ConsumerGroups.Lag(_log, "denorm");
        Assert.Equal([3L, 5L], lag.Select(l => l.Lag));
        Assert.Null(lag[1].Committed);

        var plan = ConsumerGroups.ResetOffsets(_log, "denorm", "events", new OffsetReset(OffsetResetKind.ToLatest), dryRun: true);
        Assert.Equal([5L, 5L], plan.Select(m => m.New));
        Assert.Equal(2, _log.GroupOffsets("denorm")["events"][0]);

        ConsumerGroups.ResetOffsets(_log, "denorm", "events", new OffsetReset(OffsetResetKind.ToEarliest), dryRun: false);
        Assert.Equal([0L, 0L], ConsumerGroups.Lag(_log, "denorm").Select(l => l.Committed!.Value));
        ConsumerGroups.ResetOffsets(_log, "denorm", "events", new OffsetReset(OffsetResetKind.ShiftBy, Value: 3), dryRun: false);
        Assert.Equal([3L, 3L], ConsumerGroups.Lag(_log, "denorm").Select(l => l.Committed!.Value));
        ConsumerGroups.ResetOffsets(_log, "denorm", "events", new OffsetReset(OffsetResetKind.ShiftBy, Value: -100), dryRun: false);
        Assert.Equal([0L, 0L], ConsumerGroups.Lag(_log, "denorm").Select(l => l.Committed!.Value));
        ConsumerGroups.ResetOffsets(_log, "denorm", "events", new OffsetReset(OffsetResetKind.ToOffset, Value: 99), dryRun: false);
        Assert.Equal([5L, 5L], ConsumerGroups.Lag(_log, "denorm").Select(l => l.Committed!.Value));

        // Records at minutes 0, 2, 4 … on partition 0 and 1, 3, 5 … on 1: from 00:05 on.
        ConsumerGroups.ResetOffsets(_log, "denorm", "events", new OffsetReset(OffsetResetKind.ToDatetime, T0.AddMinutes(5)), dryRun: false);
        Assert.Equal([3L, 2L], ConsumerGroups.Lag(_log, "denorm").Select(l => l.Committed!.Value));
        Assert.Equal(["denorm"], _log.ListGroups());
    }

    [Fact]
    public async Task WaitForRecords_CompletesWhenARecordArrives()
    {
        _log.CreateTopic("live", new TopicSettings());
        var wait = _log.WaitForRecordsAsync("live", 0, 0, CancellationToken.None);
        Assert.False(wait.IsCompleted);
        await _log.AppendAsync("live", [Rec("x")]);
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(_log.WaitForRecordsAsync("live", 0, 0, CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task DeleteTopic_RemovesRecordsAndGroupOffsets()
    {
        _log.CreateTopic("gone", new TopicSettings());
        await _log.AppendAsync("gone", [Rec("x")]);
        _log.CommitOffsets("g", "gone", new Dictionary<int, long> { [0] = 1 });
        _log.DeleteTopic("gone");
        Assert.False(_log.HasTopic("gone"));
        Assert.Empty(_log.GroupOffsets("g"));
        Reopen();
        Assert.Empty(_log.ListTopics());
        _log.CreateTopic("gone", new TopicSettings());
        Assert.Equal(0, (await _log.AppendAsync("gone", [Rec("y")]))[0].Offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("has space")]
    [InlineData("slash/es")]
    [InlineData("_internal")]
    public void CreateTopic_BadName_ClearError(string name)
    {
        var e = Assert.Throws<StreamException>(() => _log.CreateTopic(name, new TopicSettings()));
        Assert.Contains($"'{name}' is not a valid topic name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadRequests_ClearErrorsAndNothingHalfWritten()
    {
        _log.CreateTopic("raw", new TopicSettings(Partitions: 2));
        Assert.Contains("already exists", Assert.Throws<StreamException>(() => _log.CreateTopic("raw", new TopicSettings())).Message, StringComparison.Ordinal);
        Assert.Contains("partitions must be between 1 and 256", Assert.Throws<StreamException>(() => _log.CreateTopic("p0", new TopicSettings(0))).Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'raw'", Assert.Throws<StreamException>(() => _log.DescribeTopic("RAW")).Message, StringComparison.Ordinal);
        Assert.Contains("partitions 0 to 1, not 2", Assert.Throws<StreamException>(() => _log.Read("raw", 2, 0, 1)).Message, StringComparison.Ordinal);

        // One oversized record refuses the whole append: the small one before it is not written.
        var huge = new LogRecord(null, new byte[PartitionLog.MaxRecordBytes + 1]);
        var e = await Assert.ThrowsAsync<StreamException>(async () => await _log.AppendAsync("raw", [Rec("small"), huge]));
        Assert.Contains("record 2 of 2", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, _log.DescribeTopic("raw").Records);
        Assert.Contains("partitions 0 to 1, not 5", (await Assert.ThrowsAsync<StreamException>(async () => await _log.AppendAsync("raw", [Rec("x") with { Partition = 5 }]))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendOnce_SameSequenceAgain_WritesNothingTwice_EvenAfterReopen()
    {
        _log.CreateTopic("out", new TopicSettings(Partitions: 2));
        var records = Enumerable.Range(0, 10).Select(i => Rec($"r{i}")).ToList();

        Assert.Equal(10, await _log.AppendOnceAsync("out", 1, records, "extractor/0", sequence: 41));
        Assert.Equal(0, await _log.AppendOnceAsync("out", 1, records, "extractor/0", sequence: 41));
        Reopen();
        Assert.Equal(0, await _log.AppendOnceAsync("out", 1, records, "extractor/0", sequence: 41));
        Assert.Equal(0, await _log.AppendOnceAsync("out", 1, records, "extractor/0", sequence: 7));
        Assert.Equal(10, await _log.AppendOnceAsync("out", 1, records, "extractor/1", sequence: 41));
        Assert.Equal(10, await _log.AppendOnceAsync("out", 1, records, "extractor/0", sequence: 42));

        Assert.Equal(30, _log.DescribeTopic("out").Partitions[1].NextOffset);
        Assert.Equal(new ProducerStamp(42, 0), _log.LastStamp("out", 1, "extractor/0"));
        Assert.Null(_log.LastStamp("out", 0, "extractor/0"));
    }

    [Fact]
    public async Task AppendOnce_OnlySomePartsSurvived_WritesTheRestOnly()
    {
        // Records of 30 KB: two to a 64 KB batch. A crash that kept the first two batches of a sequence looks, to the log,
        // like a producer that wrote only the first four records; replaying the whole sequence writes the rest.
        _log.CreateTopic("out", new TopicSettings());
        var records = Enumerable.Range(0, 7).Select(i => Rec(i + new string('x', 30_000))).ToList();
        Assert.Equal(4, await _log.AppendOnceAsync("out", 0, records.Take(4).ToList(), "p", sequence: 3));
        Assert.Equal(new ProducerStamp(3, 1), _log.LastStamp("out", 0, "p"));
        Reopen();

        Assert.Equal(3, await _log.AppendOnceAsync("out", 0, records, "p", sequence: 3));

        var all = _log.Read("out", 0, 0, 100);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), all.Select(r => Text(r)[..1]));
    }

    [Fact]
    public async Task AppendOnce_ManyProducersAtOnce_EachExactlyOnce_AndAllDurableAtReturn()
    {
        _log.CreateTopic("valid", new TopicSettings(Partitions: 2));
        _log.CreateTopic("failed", new TopicSettings());
        List<ProducerBatch> pass =
        [
            new("valid", 0, [Rec("a0"), Rec("a1")], "validator/0/g0", 99),
            new("valid", 1, [Rec("a2")], "validator/0/g0", 99),
            new("valid", 0, [Rec("b0")], "validator/1/g0", 49),
            new("failed", 0, [Rec("b1")], "validator/1/g0", 49),
        ];

        Assert.Equal(5, await _log.AppendOnceAsync(pass));
        Reopen();
        Assert.Equal(0, await _log.AppendOnceAsync(pass));
        Assert.Equal(["a0", "a1", "b0"], _log.Read("valid", 0, 0, 10).Select(Text));
        Assert.Equal(["a2"], _log.Read("valid", 1, 0, 10).Select(Text));
        Assert.Equal(["b1"], _log.Read("failed", 0, 0, 10).Select(Text));

        // A bad batch refuses the whole call before anything is written.
        List<ProducerBatch> bad = [new("valid", 0, [Rec("c0")], "validator/0/g0", 199), new("valid", 7, [Rec("c1")], "validator/1/g0", 99)];
        Assert.Contains("not 7", (await Assert.ThrowsAsync<StreamException>(async () => await _log.AppendOnceAsync(bad))).Message, StringComparison.Ordinal);
        Assert.Equal(3, _log.DescribeTopic("valid").Partitions[0].NextOffset);
    }

    [Fact]
    public async Task Append_WriterKilledMidAppends_EveryAcknowledgedRecordSurvives_AndOffsetsGoOn()
    {
        // Twice: a writer appends until it is killed (SIGKILL) after at least 150 acknowledged appends (FASTER's commit
        // metadata file is written for one commit in 32, so most kills land between two), then the log is checked.
        var data = Path.Combine(_dir, "crash");
        long acknowledged = 0;
        for (var round = 0; round < 2; round++)
        {
            var before = acknowledged;
            acknowledged = await RunLogWriterUntilKilled(data, minimum: before + 15_000);
            using var log = FasterEventLog.Open(data);
            var partition = log.DescribeTopic("crash").Partitions[0];
            Assert.True(partition.NextOffset >= acknowledged, $"{partition.NextOffset} records after the kill, {acknowledged} acknowledged");
            Assert.Equal(0, partition.NextOffset % 100); // whole appends only: a torn one is cut
            var offset = 0L;
            while (log.Read("crash", 0, offset, 10_000) is { Count: > 0 } records)
            {
                foreach (var r in records)
                {
                    Assert.Equal(offset++, r.Offset);
                    Assert.Equal(r.Offset, BinaryPrimitives.ReadInt64LittleEndian(r.Value));
                }
            }

            Assert.Equal(partition.NextOffset, offset);
        }
    }

    /// <summary>Runs the crash helper's log writer on <paramref name="data"/>, kills it once it acknowledged <paramref name="minimum"/> records, and returns how many it acknowledged.</summary>
    private static Task<long> RunLogWriterUntilKilled(string data, long minimum) => CrashHelper.RunUntilKilledAsync("log-writer", data, minimum);
}
