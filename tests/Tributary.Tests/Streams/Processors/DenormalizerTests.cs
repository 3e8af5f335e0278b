using Tributary.Pipelines;
using Tributary.Streams.Processors;

namespace Tributary.Tests.Streams.Processors;

/// <summary>The denormalizer against real store tables, declared in a pipeline YAML.</summary>
public sealed class DenormalizerTests : TempDirectoryTest
{
    public DenormalizerTests()
        : base("denorm")
    {
    }

    private const string Yaml = """
        tables:
          Devices: { DeviceId: string, State: string, FirstAccess: datetime, Spec: dynamic }
          Users: { UserId: string, UserType: string }
        topics:
          unique: { partitions: 2 }
          denorm: {}
        processors:
          denorm:
            kind: denormalizer
            input: unique
            outputs: { events: denorm }
            lookups:
              device: { field: context.did, table: Devices, key: DeviceId, into: devicedata }
              user: { field: actor.id, table: Users, key: UserId, into: userdata }
        """;

    [Fact]
    public async Task Denormalize_FoundAndMissingKeys_FieldsFlagsAndSunbirdCounts()
    {
        using var f = new ProcessorFixture(Dir);
        var pipeline = PipelineLoader.Parse(Yaml, Path.Combine(Dir, "p.yaml"));
        PipelineApplier.Apply(f.Store, pipeline);
        StreamsApplier.Apply(f.Log, f.Store, pipeline);
        f.Store.Execute(""".ingest inline into table Devices <| d1,Karnataka,2024-01-02T00:00:00Z,"{""edisk"":""25.42""}" """);
        f.Store.Execute(".ingest inline into table Users <| u1,TEACHER");
        await f.ProduceAsync("unique", [
            """{"eid":"IMPRESSION","mid":"m1","actor":{"id":"u1"},"context":{"did":"d1"}}""",
            """{"eid":"IMPRESSION","mid":"m2","actor":{"id":"u2"},"context":{"did":"d1"}}""",
            """{"eid":"IMPRESSION","mid":"m3","actor":{"id":"u1"},"context":{}}""",
        ]);
        await using var host = new ProcessorHost(f.Store, f.Log);

        await host.RunUntilIdleAsync(CancellationToken.None);

        var events = f.Read("denorm").ToDictionary(e => e.GetProperty("mid").GetString()!);
        Assert.Equal("Karnataka", events["m1"].GetProperty("devicedata").GetProperty("State").GetString());
        Assert.Equal("25.42", events["m1"].GetProperty("devicedata").GetProperty("Spec").GetProperty("edisk").GetString());
        Assert.Equal("TEACHER", events["m1"].GetProperty("userdata").GetProperty("UserType").GetString());
        Assert.True(events["m1"].GetProperty("flags").GetProperty("user_denorm").GetBoolean());
        Assert.False(events["m2"].GetProperty("flags").GetProperty("user_denorm").GetBoolean());
        Assert.False(events["m2"].TryGetProperty("userdata", out _));
        Assert.False(events["m3"].GetProperty("flags").TryGetProperty("device_denorm", out _));
        var m = host.Metrics("denorm");
        Assert.Equal((2, 0, 2), (m["device-cache-hit"], m["device-cache-miss"], m["device-total"]));
        Assert.Equal((2, 1, 3), (m["user-cache-hit"], m["user-cache-miss"], m["user-total"]));
        Assert.Equal(1, m["device-store-read-count"]);
    }

    [Fact]
    public void Parse_LookupWithoutTable_SaysWhatIsMissing()
    {
        var bad = Yaml.Replace("table: Users, ", "", StringComparison.Ordinal);
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Parse(bad, "p.yaml"));
        Assert.Contains("lookup 'user' needs 'table'", e.Message, StringComparison.Ordinal);
    }
}
