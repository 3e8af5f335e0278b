using System.Text;
using Tributary.Store;
using Tributary.Streams;
using Tributary.Streams.Processors;

namespace Tributary.Tests.Streams.Processors;

/// <summary>The runner with a router and a table sink on a real log and store: routing, offsets, replays that write nothing twice.</summary>
public sealed class ProcessorRunnerTests : TempDirectoryTest, IDisposable
{
    private readonly TributaryStore _store;
    private readonly FasterEventLog _log;

    public ProcessorRunnerTests()
        : base("processors")
    {
        _store = TributaryStore.Open(Dir);
        _log = FasterEventLog.Open(Dir);
        _log.CreateTopic("unique", new TopicSettings(Partitions: 2));
        _log.CreateTopic("events.log", new TopicSettings());
        _log.CreateTopic("denorm", new TopicSettings(Partitions: 3));
        _store.Execute(".create table Events (Eid:string, Mid:string, Ets:datetime, ActorId:string, Context:dynamic, Level:long)");
    }

    void IDisposable.Dispose()
    {
        _log.Dispose();
        _store.Dispose();
        base.Dispose();
    }

    private static readonly ProcessorDefinition Router = new("router", "router", "unique",
        new Dictionary<string, string> { ["LOG"] = "events.log", ["default"] = "denorm" }, new Dictionary<string, string>());

    private static readonly ProcessorDefinition Sink = new("sink", "table", "denorm", new Dictionary<string, string>(),
        new Dictionary<string, string> { ["table"] = "Events", ["columns.Eid"] = "eid", ["columns.Mid"] = "mid", ["columns.Ets"] = "ets", ["columns.ActorId"] = "actor.id", ["columns.Context"] = "context", ["columns.Level"] = "edata.level" });

    private static string Event(int i, string eid) =>
        $$$"""{"eid":"{{{eid}}}","mid":"m{{{i}}}","ets":{{{1700000000000L + i}}},"actor":{"id":"u{{{i % 7}}}","type":"User"},"context":{"channel":"c{{{i % 3}}}"},"edata":{"level":{{{i}}}}}""";

    private async Task ProduceAsync(int count)
    {
        var records = Enumerable.Range(0, count).Select(i => new LogRecord(Encoding.UTF8.GetBytes($"m{i}"), Encoding.UTF8.GetBytes(Event(i, i % 4 == 0 ? "LOG" : "INTERACT")))).ToList();
        await _log.AppendAsync("unique", records);
    }

    private long Count(string query) => (long)_store.Execute(query).Rows[0][0]!;

    [Fact]
    public async Task RouterThenTableSink_EveryEventOnceInItsPlace()
    {
        await ProduceAsync(1000);
        using var router = ProcessorRunner.For(_log, new EventRouter(Router, new ProcessorMetrics()));
        using var sink = ProcessorRunner.For(_log, new TableSink(Sink, new ProcessorMetrics(), _store));

        Assert.Equal(1000, await router.RunAvailableAsync(CancellationToken.None));
        Assert.Equal(750, await sink.RunAvailableAsync(CancellationToken.None));

        Assert.Equal(250, _log.DescribeTopic("events.log").Records);
        Assert.Equal(750, Count("Events | count"));
        Assert.Equal(750, Count("Events | summarize dcount(Mid)"));
        Assert.Equal(0, Count("Events | where Eid != 'INTERACT' or isempty(ActorId) or isnull(Ets) or isnull(Level) | count"));
        Assert.Equal(250, router.Metrics["log-route-success-count"]);
        Assert.Equal(750, router.Metrics["default-route-success-count"]);
        Assert.Equal(0, router.Lag());
        Assert.Equal(0, sink.Lag());
        Assert.Equal("c1", (string)_store.Execute("Events | where Mid == 'm1' | project tostring(Context.channel)").Rows[0][0]!);
        Assert.Equal(new DateTime(2023, 11, 14, 22, 13, 20, 1, DateTimeKind.Utc), (DateTime)_store.Execute("Events | where Mid == 'm1' | project Ets").Rows[0][0]!);
    }

    [Fact]
    public async Task Replay_AfterLosingCommittedOffsets_WritesNothingTwice()
    {
        await ProduceAsync(1200);
        using (var router = ProcessorRunner.For(_log, new EventRouter(Router, new ProcessorMetrics())))
        using (var sink = ProcessorRunner.For(_log, new TableSink(Sink, new ProcessorMetrics(), _store)))
        {
            await router.RunAvailableAsync(CancellationToken.None);
            await sink.RunAvailableAsync(CancellationToken.None);
        }

        // As if both crashed after writing their outputs but before committing: the groups' offsets are gone.
        _log.DeleteGroup("router");
        _log.DeleteGroup("sink");
        using (var router = ProcessorRunner.For(_log, new EventRouter(Router, new ProcessorMetrics())))
        using (var sink = ProcessorRunner.For(_log, new TableSink(Sink, new ProcessorMetrics(), _store)))
        {
            Assert.Equal(1200, await router.RunAvailableAsync(CancellationToken.None));
            Assert.Equal(0, await sink.RunAvailableAsync(CancellationToken.None));
        }

        Assert.Equal(300, _log.DescribeTopic("events.log").Records);
        Assert.Equal(900, _log.DescribeTopic("denorm").Records);
        Assert.Equal(900, Count("Events | count"));
    }

    [Fact]
    public async Task ResetOffsetsBack_ReprocessesOnPurpose()
    {
        await ProduceAsync(100);
        using (var router = ProcessorRunner.For(_log, new EventRouter(Router, new ProcessorMetrics())))
        {
            await router.RunAvailableAsync(CancellationToken.None);
        }

        ConsumerGroups.ResetOffsets(_log, "router", "unique", new OffsetReset(OffsetResetKind.ToEarliest), dryRun: false);
        using (var router = ProcessorRunner.For(_log, new EventRouter(Router, new ProcessorMetrics())))
        {
            Assert.Equal(100, await router.RunAvailableAsync(CancellationToken.None));
        }

        Assert.Equal(50, _log.DescribeTopic("events.log").Records);
        Assert.Equal(1, _log.GroupGeneration("router", "unique"));
    }

    [Fact]
    public async Task NotJson_GoesToFailed_AndBadFieldsBecomeNull()
    {
        _log.CreateTopic("failed", new TopicSettings());
        await _log.AppendAsync("unique", [new LogRecord(null, "not json"u8.ToArray()), new LogRecord(null, "[1,2]"u8.ToArray()), new LogRecord(null, """{"eid":"X","mid":"m","ets":"yesterday","edata":{"level":"high"}}"""u8.ToArray())]);
        var definition = Router with { Outputs = new Dictionary<string, string> { ["default"] = "denorm", ["failed"] = "failed" } };
        using var router = ProcessorRunner.For(_log, new EventRouter(definition, new ProcessorMetrics()));
        using var sink = ProcessorRunner.For(_log, new TableSink(Sink, new ProcessorMetrics(), _store));

        await router.RunAvailableAsync(CancellationToken.None);
        await sink.RunAvailableAsync(CancellationToken.None);

        Assert.Equal(2, _log.DescribeTopic("failed").Records);
        Assert.Equal(2, router.Metrics["failed-event-count"]);
        Assert.Equal(1, Count("Events | where Mid == 'm' and isnull(Ets) and isnull(Level) | count"));
        Assert.Equal(2, sink.Metrics["field-conversion-failed-count"]);
    }

    [Fact]
    public async Task TableSink_StoresText_AsTheEventSpellsIt_EscapesUnicodeNumbersAndNestedJson()
    {
        // Text goes to the store as the record's own UTF-8 bytes unless it has escapes; both ways must store the same text.
        var events = new[]
        {
            """{"eid":"A\"B\u00e9","mid":42,"actor":{"id":"été 🌊"},"context":{"note":"tab\there","n":[1,2.5,null]}}""",
            """{"eid":"plain","mid":"m-2","actor":{"id":""},"context":"just text"}""",
        };
        var invalidUtf8 = Encoding.UTF8.GetBytes("""{"eid":"bad","mid":"m-3","actor":{"id":"XX"}}""");
        invalidUtf8[Array.IndexOf(invalidUtf8, (byte)'X')] = 0xC3; // a lead byte followed by 'X': not UTF-8
        await _log.AppendAsync("denorm", [.. events.Select(e => new LogRecord(null, Encoding.UTF8.GetBytes(e))), new LogRecord(null, invalidUtf8)]);
        using var sink = ProcessorRunner.For(_log, new TableSink(Sink, new ProcessorMetrics(), _store));

        await sink.RunAvailableAsync(CancellationToken.None);

        Assert.Equal(2, Count("Events | count"));
        Assert.Equal(1, sink.Metrics["failed-event-count"]);
        var first = _store.Execute("Events | where Mid == '42' | project Eid, ActorId, Note = tostring(Context.note), N = tostring(Context.n)").Rows.Single();
        Assert.Equal(["A\"Bé", "été 🌊", "tab\there", "[1,2.5,null]"], first);
        var second = _store.Execute("Events | where Mid == 'm-2' | project Eid, ActorId, Context = tostring(Context)").Rows.Single();
        Assert.Equal(["plain", "", "just text"], second);
    }

    [Fact]
    public async Task BackupSink_ThenReplay_PutsBackEveryRecordOnce_EvenAfterAReplayOfTheSink()
    {
        await ProduceAsync(1200);
        var backup = new ProcessorDefinition("backup", "backup", "unique", new Dictionary<string, string>(), new Dictionary<string, string>());
        using (var sink = ProcessorRunner.For(_log, new BackupSink(backup, new ProcessorMetrics(), Dir)))
        {
            Assert.Equal(1200, await sink.RunAvailableAsync(CancellationToken.None));
        }

        var files = Directory.GetFiles(BackupArchive.DefaultRoot(Dir), "*.jsonl.gz", SearchOption.AllDirectories);
        _log.DeleteGroup("backup");
        using (var sink = ProcessorRunner.For(_log, new BackupSink(backup, new ProcessorMetrics(), Dir)))
        {
            await sink.RunAvailableAsync(CancellationToken.None);
        }

        Assert.Equal(files.Order(), Directory.GetFiles(BackupArchive.DefaultRoot(Dir), "*.jsonl.gz", SearchOption.AllDirectories).Order());
        _log.CreateTopic("restored", new TopicSettings());
        var now = DateTime.UtcNow;
        var result = await BackupArchive.ReplayAsync(_log, BackupArchive.DefaultRoot(Dir), "unique", now.AddHours(-1), now.AddHours(1), "restored", CancellationToken.None);

        Assert.Equal(1200, result.Records);
        var restored = _log.Read("restored", 0, 0, 5000).Select(r => Encoding.UTF8.GetString(r.Value)).Order().ToList();
        var original = Enumerable.Range(0, 2).SelectMany(p => _log.Read("unique", p, 0, 5000)).Select(r => Encoding.UTF8.GetString(r.Value)).Order().ToList();
        Assert.Equal(original, restored);
        var none = await BackupArchive.ReplayAsync(_log, BackupArchive.DefaultRoot(Dir), "unique", now.AddHours(1), now.AddHours(2), "restored", CancellationToken.None);
        Assert.Equal(0, none.Records);
        await Assert.ThrowsAsync<StreamException>(() => BackupArchive.ReplayAsync(_log, BackupArchive.DefaultRoot(Dir), "nothing", now.AddHours(-1), now, null, CancellationToken.None));
        await Assert.ThrowsAsync<StreamException>(() => BackupArchive.ReplayAsync(_log, BackupArchive.DefaultRoot(Dir), "unique", now, now.AddHours(-1), null, CancellationToken.None));
    }

    [Fact]
    public async Task Replay_WhenMoreRecordsArrivedSinceTheCrash_EndsTheFirstChunkWhereTheLostOneEnded()
    {
        // Before the crash the chunk held 40 records; after it, 400 are waiting. Read as one chunk they would get a new
        // sequence and the first 40 records' outputs would be written twice.
        await ProduceAsync(40);
        using (var router = ProcessorRunner.For(_log, new EventRouter(Router, new ProcessorMetrics())))
        {
            await router.RunAvailableAsync(CancellationToken.None);
        }

        _log.DeleteGroup("router");
        await ProduceAsync(400);
        using (var router = ProcessorRunner.For(_log, new EventRouter(Router, new ProcessorMetrics())))
        {
            await router.RunAvailableAsync(CancellationToken.None);
        }

        Assert.Equal(440, _log.DescribeTopic("events.log").Records + _log.DescribeTopic("denorm").Records);
    }
}
