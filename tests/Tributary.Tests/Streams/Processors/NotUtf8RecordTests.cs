using System.Text;
using Tributary.Streams;
using Tributary.Streams.Processors;

namespace Tributary.Tests.Streams.Processors;

/// <summary>
/// A record that is not UTF-8 (System.Text.Json parses it; reading its strings would throw) goes to failed like any
/// record that is not JSON, and the processor goes on with the next one instead of failing on it forever.
/// </summary>
public sealed class NotUtf8RecordTests : TempDirectoryTest
{
    public NotUtf8RecordTests()
        : base("not-utf8")
    {
    }

    private static byte[] NotUtf8(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        bytes[Array.IndexOf(bytes, (byte)'?')] = 0xFF;
        return bytes;
    }

    private static async Task ProduceAsync(ProcessorFixture f, string topic, params byte[][] values)
    {
        f.Topics(topic);
        await f.Log.AppendAsync(topic, values.Select(v => new LogRecord(null, v)).ToList());
    }

    [Fact]
    public async Task Extractor_ABatchNotUtf8_GoesToBatchFailedWithTheByte_TheNextBatchPasses()
    {
        using var f = new ProcessorFixture(Dir);
        await ProduceAsync(f, "ingest",
            NotUtf8("""{"params":{"msgid":"b1"},"events":[{"eid":"START","mid":"e1","edata":{"note":"?"}}]}"""),
            Encoding.UTF8.GetBytes("""{"params":{"msgid":"b2"},"events":[{"eid":"START","mid":"e2"}]}"""));
        var extractor = new ProcessorDefinition("extractor", "extractor", "ingest",
            new Dictionary<string, string> { ["events"] = "raw", ["batchFailed"] = "extractor.failed" }, new Dictionary<string, string>());

        await f.RunAsync(s => new TelemetryExtractor(s), extractor);

        var failed = Assert.Single(f.Read("extractor.failed"));
        Assert.Equal("the batch is not UTF-8: byte 79 (0xFF) starts no UTF-8 character", failed.GetProperty("metadata").GetProperty("ex_error").GetString());
        Assert.Equal("e2", Assert.Single(f.Read("raw")).GetProperty("mid").GetString());
    }

    [Fact]
    public async Task DedupRouterAndSink_AnEventNotUtf8_IsFailed_TheNextEventPasses()
    {
        using var f = new ProcessorFixture(Dir);
        await ProduceAsync(f, "in", NotUtf8("""{"eid":"START","mid":"?"}"""), Encoding.UTF8.GetBytes("""{"eid":"START","mid":"ok"}"""));
        var dedup = new ProcessorDefinition("dedup", "dedup", "in", new Dictionary<string, string> { ["unique"] = "unique", ["failed"] = "failed" }, new Dictionary<string, string>());
        var router = new ProcessorDefinition("router", "router", "in", new Dictionary<string, string> { ["default"] = "routed", ["failed"] = "router.failed" }, new Dictionary<string, string>());

        var dedupMetrics = await f.RunAsync(s => new EventDeduplicator(s), dedup);
        var routerMetrics = await f.RunAsync(s => new EventRouter(s.Definition, s.Metrics), router);

        Assert.Equal(1, dedupMetrics["failed-event-count"]);
        Assert.Equal("ok", Assert.Single(f.Read("unique")).GetProperty("mid").GetString());
        Assert.Equal(1, routerMetrics["failed-event-count"]);
        Assert.Single(f.Read("routed"));
        Assert.Equal(1, f.Log.DescribeTopic("router.failed").Records);

        f.Store.Execute(".create table Events (Eid:string, Mid:string)");
        var sink = new TableSink(new ProcessorDefinition("sink", "table", "in", new Dictionary<string, string>(), new Dictionary<string, string> { ["table"] = "Events", ["columns.Mid"] = "mid" }), new ProcessorMetrics(), f.Store);
        using (var runner = ProcessorRunner.For(f.Log, sink))
        {
            await runner.RunAvailableAsync(CancellationToken.None);
        }

        Assert.Equal(1, sink.Metrics["failed-event-count"]);
        Assert.Equal("ok", (string)f.Store.Execute("Events | project Mid").Rows.Single()[0]!);
    }
}
