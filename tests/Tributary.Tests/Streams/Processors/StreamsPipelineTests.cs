using Microsoft.Extensions.Time.Testing;
using Tributary.Pipelines;
using Tributary.Streams;
using Tributary.Streams.Processors;

namespace Tributary.Tests.Streams.Processors;

/// <summary>Topics and processors in pipeline YAML: what is accepted, and precise errors for what is not (nothing applied).</summary>
public sealed class StreamsPipelineTests : TempDirectoryTest
{
    public StreamsPipelineTests()
        : base("streams-pipeline")
    {
    }

    private const string Good = """
        topics:
          in: { partitions: 2, retention: 3d }
          out: { retention: forever, retentionBytes: 64MB }
        processors:
          route:
            kind: router
            input: in
            outputs: { LOG: out, default: out }
        """;

    private static PipelineException Bad(string yaml) => Assert.Throws<PipelineException>(() => PipelineLoader.Parse(yaml, "p.yaml"));

    [Fact]
    public void Parse_TopicsAndProcessors_SettingsAsWritten()
    {
        var p = PipelineLoader.Parse(Good, "p.yaml");

        Assert.Equal(new TopicSettings(2, TimeSpan.FromDays(3)), p.Topics[0].Settings);
        Assert.Equal(new TopicSettings(1, null, 64L * 1024 * 1024), p.Topics[1].Settings);
        var route = Assert.Single(p.Processors).Definition;
        Assert.Equal(("router", "in", "out"), (route.Kind, route.Input, route.Outputs["LOG"]));
    }

    [Theory]
    [InlineData("kind: rooter", "{ default: out }", "'rooter' is not a kind of processor (kinds: extractor, validator, dedup, denormalizer, router, table, backup)")]
    [InlineData("kind: dedup", "{ duplicate: out }", "processor 'route' needs output 'unique'")]
    [InlineData("kind: router\n    fiel: eid", "{ default: out }", "unknown key 'fiel' in processor 'route'; did you mean 'field'?")]
    [InlineData("kind: extractor\n    maxEventBytes: lots", "{ events: out }", "'maxEventBytes' is 'lots', not a size")]
    [InlineData("kind: dedup\n    nullKey: maybe", "{ unique: out }", "'nullKey' is 'maybe'; it is 'duplicate' (Sunbird's preprocessor) or 'unique' (its extractor)")]
    [InlineData("kind: table", "{}", "a table sink needs 'table'")]
    [InlineData("kind: validator", "{ valid: out }", "a validator needs 'schemas'")]
    [InlineData("kind: validator\n    schemas: nowhere", "{ valid: out }", "the schemas in")]
    [InlineData("kind: dedup", "{ unique: out, dupes: out }", "unknown key 'dupes' in 'outputs' of processor 'route'")]
    public void Parse_BadProcessor_SaysWhatAndWhere(string body, string outputs, string message)
    {
        var e = Bad($"processors:\n  route:\n    {body}\n    input: in\n    outputs: {outputs}\n");
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("p.yaml:", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("in: { partitions: 0 }", "'partitions' of topic 'in' is '0', not a whole number from 1 to 256")]
    [InlineData("in: { retention: soon }", "'retention' of topic 'in' is 'soon', not a duration")]
    [InlineData("in: { retentionBytes: big }", "'retentionBytes' of topic 'in' is 'big', not a size")]
    [InlineData("_in: {}", "topic")]
    [InlineData("in: { partitons: 2 }", "did you mean 'partitions'?")]
    public void Parse_BadTopic_SaysWhatAndWhere(string topic, string message)
    {
        var e = Bad($"topics:\n  {topic}\n");
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_UnknownTopicOrLoopOrPartitionChange_ChangesNothing()
    {
        using var f = new ProcessorFixture(Dir);
        var unknown = PipelineLoader.Parse(Good.Replace("LOG: out", "LOG: nowhere", StringComparison.Ordinal), "p.yaml");
        var e = Assert.Throws<PipelineException>(() => StreamsApplier.Apply(f.Log, f.Store, unknown));
        Assert.Contains("processor 'route' uses topic 'nowhere', which neither the file declares (under topics:) nor the log has", e.Message, StringComparison.Ordinal);
        Assert.Empty(f.Log.ListTopics());

        var loop = PipelineLoader.Parse(Good.Replace("default: out", "default: in", StringComparison.Ordinal), "p.yaml");
        Assert.Contains("writes to its own input 'in'", Assert.Throws<PipelineException>(() => StreamsApplier.Apply(f.Log, f.Store, loop)).Message, StringComparison.Ordinal);

        StreamsApplier.Apply(f.Log, f.Store, PipelineLoader.Parse(Good, "p.yaml"));
        var wider = PipelineLoader.Parse(Good.Replace("partitions: 2", "partitions: 4", StringComparison.Ordinal), "p.yaml");
        Assert.Contains("topic 'in' has 2 partition(s) in the log and 4 in the file", Assert.Throws<PipelineException>(() => StreamsApplier.Apply(f.Log, f.Store, wider)).Message, StringComparison.Ordinal);

        var again = StreamsApplier.Apply(f.Log, f.Store, PipelineLoader.Parse(Good, "p.yaml"));
        Assert.All(again, s => Assert.Equal(PlanAction.Unchanged, s.Action));
        var longer = StreamsApplier.Apply(f.Log, f.Store, PipelineLoader.Parse(Good.Replace("retention: 3d", "retention: 7d", StringComparison.Ordinal), "p.yaml"));
        Assert.Contains(longer, s => s.Kind == "topic" && s.Action == PlanAction.Alter);
        Assert.Equal(TimeSpan.FromDays(7), f.Log.DescribeTopic("in").Settings.RetentionAge);
    }

    [Fact]
    public async Task Host_PauseResume_KeepsTheBacklogAndSaysWhenItExpires()
    {
        using var f = new ProcessorFixture(Dir);
        StreamsApplier.Apply(f.Log, f.Store, PipelineLoader.Parse(Good, "p.yaml"));
        await using var host = new ProcessorHost(f.Store, f.Log);
        Assert.True(await host.PauseAsync("route"));
        await f.ProduceAsync("in", ["""{"eid":"LOG"}""", """{"eid":"X"}"""]);

        Assert.Equal(0, await host.RunUntilIdleAsync(CancellationToken.None));
        var paused = Assert.Single(host.List());
        Assert.Equal(("paused", 2L), (paused.State, paused.Lag));
        Assert.Equal(paused.OldestUnread + TimeSpan.FromDays(3), paused.OldestUnreadExpiresOn);
        Assert.Throws<StreamException>(() => host.Resume("nope"));

        Assert.True(host.Resume("route"));
        Assert.Equal(2, await host.RunUntilIdleAsync(CancellationToken.None));
        Assert.Equal(0, Assert.Single(host.List()).Lag);
    }

    [Fact]
    public async Task Host_Counts_AreOverTheProcessorsLife_AcrossProcesses()
    {
        using var f = new ProcessorFixture(Dir);
        StreamsApplier.Apply(f.Log, f.Store, PipelineLoader.Parse(Good, "p.yaml"));
        await f.ProduceAsync("in", ["""{"eid":"LOG"}""", """{"eid":"X"}"""]);
        IReadOnlyDictionary<string, long> first;
        await using (var host = new ProcessorHost(f.Store, f.Log))
        {
            Assert.Equal(2, await host.RunUntilIdleAsync(CancellationToken.None));
            first = Assert.Single(host.List()).Counts;
        }

        Assert.Equal(2L, first.Values.Sum());
        await using var next = new ProcessorHost(f.Store, f.Log);
        Assert.Equal(first, Assert.Single(next.List()).Counts);
        await f.ProduceAsync("in", ["""{"eid":"X"}"""]);
        Assert.Equal(1, await next.RunUntilIdleAsync(CancellationToken.None));
        Assert.Equal(3L, Assert.Single(next.List()).Counts.Values.Sum());
    }

    [Fact]
    public async Task Host_Housekeeping_RollsUpMetricReportsFromBeforeThePreviousHour()
    {
        using var f = new ProcessorFixture(Dir);
        StreamsApplier.Apply(f.Log, f.Store, PipelineLoader.Parse(Good, "p.yaml"));
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 5, 22, 12, 30, 0, TimeSpan.Zero));
        var old = new DateTime(2024, 5, 22, 10, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 60; i++)
        {
            f.Store.RecordProcessorMetrics(old.AddMinutes(i), [("route", "default-route-success-count", 1)]);
            f.Store.RecordProcessorMetrics(old.AddHours(1).AddMinutes(i), [("route", "default-route-success-count", 2)]);
        }

        await using var host = new ProcessorHost(f.Store, f.Log, time);
        host.Start();
        long Rows() => (long)f.Store.Execute("ProcessorMetrics | count").Rows[0][0]!;
        for (var waited = 0; Rows() > 61 && waited < 200; waited++)
        {
            time.Advance(ProcessorHost.HousekeepingInterval);
            await Task.Delay(50);
        }

        // 10:xx (before 11:00, the previous hour's start) is one row now; 11:xx stays as reported.
        Assert.Equal(61, Rows());
        Assert.Equal(60L, f.Store.Execute("ProcessorMetrics | where Timestamp == datetime(2024-05-22 10:00) | project Value").Rows.Single()[0]);
        Assert.Equal(180L, f.Store.Execute("ProcessorMetrics | summarize sum(Value)").Rows.Single()[0]);
    }

    [Theory]
    [InlineData("kind: table\n    table: Events\n    columns: { Eid: eid, Nope: x }", "processor 'p' maps column 'Nope', which table 'Events' does not have (columns: Eid, Mid)")]
    [InlineData("kind: denormalizer\n    outputs: { events: out }\n    lookups: { d: { field: x, table: Devices, key: Id, into: y } }", "lookup 'd' of processor 'p' reads table 'Devices', which neither the file declares")]
    [InlineData("kind: denormalizer\n    outputs: { events: out }\n    lookups: { d: { field: x, table: Events, key: Id, into: y } }", "lookup 'd' of processor 'p' reads key column 'Id', which table 'Events' does not have (columns: Eid, Mid)")]
    public void Apply_TableOrColumnAProcessorNamesIsMissing_RefusedBeforeAnythingChanges(string body, string message)
    {
        using var f = new ProcessorFixture(Dir);
        var yaml = $"tables:\n  Events: {{ Eid: string, Mid: string }}\ntopics:\n  in: {{}}\n  out: {{}}\nprocessors:\n  p:\n    {body}\n    input: in\n";

        var e = Assert.Throws<PipelineException>(() => StreamsApplier.Apply(f.Log, f.Store, PipelineLoader.Parse(yaml, "p.yaml")));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Empty(f.Log.ListTopics());
    }
}
