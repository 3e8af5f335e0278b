using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Tributary.Demo;

namespace Tributary.Fleet;

/// <summary>
/// Builds one source row of a system at a time on a node: the columns of the system's source table, with
/// plausible <c>Properties</c> JSON. Every draw comes from the <see cref="Random"/> passed in. Not thread-safe.
/// </summary>
internal sealed class FleetEventFactory : IDisposable
{
    private static readonly IReadOnlyList<(string Item, double Weight)> RolloutChanges = [("Update", 70), ("Add", 20), ("Delete", 10)];
    private static readonly IReadOnlyList<(string Item, double Weight)> BatchChanges = [("BatchStarted", 45), ("BatchCompleted", 45), ("BatchAborted", 10)];
    private static readonly IReadOnlyList<(string Item, double Weight)> OaasChanges = [("Upgrade", 75), ("Install", 15), ("Uninstall", 10)];
    private static readonly IReadOnlyList<(string Item, double Weight)> TmEvents = [("Reboot", 40), ("Freeze", 30), ("Redeploy", 20), ("Terminate", 10)];
    private static readonly IReadOnlyList<(string Item, double Weight)> PeEvents = [("Freeze", 50), ("Reboot", 25), ("LiveMigration", 15), ("Preempt", 10)];
    private static readonly IReadOnlyList<string> Phases = ["Preparing", "Upgrading", "Validating", "Completed"];
    private static readonly IReadOnlyList<string> BatchPhases = ["Queued", "InProgress", "Completed"];
    private static readonly IReadOnlyList<string> Stages = ["Canary", "Pilot", "Broad"];
    private static readonly IReadOnlyList<(string Item, double Weight)> EventStatuses = [("Scheduled", 50), ("Started", 30), ("Completed", 20)];

    private readonly FleetCatalog _catalog;
    private readonly Dictionary<string, List<(FleetCatalog.Rollout Item, double Weight)>> _rollouts;
    private readonly List<string> _switchServices;
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _json;

    public FleetEventFactory(FleetCatalog catalog)
    {
        _catalog = catalog;
        _rollouts = catalog.Rollouts.ToDictionary(p => p.Key, p => p.Value.Select(r => (r, r.Weight)).ToList(), StringComparer.Ordinal);
        _switchServices = catalog.Versions.Keys.Order(StringComparer.Ordinal).ToList();
        _json = new Utf8JsonWriter(_buffer);
    }

    /// <summary>The row that <paramref name="source"/> emits on <paramref name="node"/> at <paramref name="time"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public object?[] Row(string source, FleetNode node, DateTime time, Random rng) => source switch
    {
        FleetSources.OMRollout or FleetSources.OMRolloutSoc =>
            [time, source, node.Id, DemoRandom.Weighted(rng, RolloutChanges), OmRollout(source, node, rng)],
        FleetSources.BatchingEvents =>
            [time, source, node.Id, DemoRandom.Weighted(rng, BatchChanges), Batching(node, rng)],
        FleetSources.OAASRollout =>
            [time, source, node.Id, DemoRandom.Weighted(rng, OaasChanges), Oaas(node, rng)],
        FleetSources.ScheduledEventsTMMgmt =>
            [time, source, node.Id, DemoRandom.Weighted(rng, TmEvents), Scheduled(node, time, rng, "TenantManager")],
        FleetSources.ScheduledEventsAzPE =>
            [time, source, node.Id, DemoRandom.Weighted(rng, PeEvents), Scheduled(node, time, rng, "AzurePlatformEvents")],
        FleetSources.ServiceVersionSwitch => Switch(node, time, rng),
        _ => throw new ArgumentException(FleetSources.UnknownMessage(source), nameof(source)),
    };

    public void Dispose() => _json.Dispose();

    private string OmRollout(string source, FleetNode node, Random rng)
    {
        var rollout = DemoRandom.Weighted(rng, _rollouts[source]);
        Begin();
        _json.WriteString("RolloutId", rollout.Id);
        _json.WriteString("ServiceName", rollout.ServiceName);
        _json.WriteString("TargetBuild", rollout.Target);
        _json.WriteString("Region", node.Region);
        _json.WriteString("Cluster", node.Cluster);
        _json.WriteString("Phase", DemoRandom.Pick(rng, Phases));
        _json.WriteNumber("Attempt", rng.NextDouble() < 0.95 ? 1 : 2);
        _json.WriteStartObject("Details");
        _json.WriteNumber("UpdateDomain", rng.Next(0, 20));
        _json.WriteStartArray("Tags");
        if (source == FleetSources.OMRolloutSoc)
        {
            _json.WriteStringValue("soc");
            _json.WriteStringValue("isolated");
        }
        else
        {
            _json.WriteStringValue("fleet");
        }

        _json.WriteEndArray();
        _json.WriteEndObject();
        return End();
    }

    private string Batching(FleetNode node, Random rng)
    {
        var batch = DemoRandom.Pick(rng, _catalog.Batches);
        Begin();
        _json.WriteString("BatchId", batch.Id);
        _json.WriteString("ServiceName", batch.ServiceName);
        _json.WriteString("Region", node.Region);
        _json.WriteString("Cluster", node.Cluster);
        _json.WriteNumber("BatchSize", batch.Size);
        _json.WriteNumber("Sequence", rng.Next(1, batch.Size + 1));
        _json.WriteString("Phase", DemoRandom.Pick(rng, BatchPhases));
        return End();
    }

    private string Oaas(FleetNode node, Random rng)
    {
        var rollout = DemoRandom.Weighted(rng, _rollouts[FleetSources.OAASRollout]);
        Begin();
        _json.WriteString("RolloutId", rollout.Id);
        _json.WriteString("ServiceName", rollout.ServiceName);
        _json.WriteString("TargetVersion", rollout.Target);
        _json.WriteString("Region", node.Region);
        _json.WriteString("Cluster", node.Cluster);
        _json.WriteString("Stage", DemoRandom.Pick(rng, Stages));
        _json.WriteNumber("Attempt", rng.NextDouble() < 0.9 ? 1 : 2);
        return End();
    }

    private string Scheduled(FleetNode node, DateTime time, Random rng, string initiator)
    {
        Begin();
        _json.WriteString("EventId", DemoRandom.Guid(rng));
        _json.WriteString("EventStatus", DemoRandom.Weighted(rng, EventStatuses));
        var notBefore = time + DemoRandom.Span(rng, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15));
        _json.WriteString("NotBefore", notBefore.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        _json.WriteNumber("DurationInSeconds", rng.Next(1, 20) * 15);
        _json.WriteString("Initiator", initiator);
        _json.WriteString("Region", node.Region);
        _json.WriteString("Cluster", node.Cluster);
        _json.WriteStartArray("Resources");
        var vms = rng.Next(1, 4);
        for (var i = 0; i < vms; i++)
        {
            _json.WriteStringValue(DemoRandom.Guid(rng));
        }

        _json.WriteEndArray();
        return End();
    }

    /// <summary>A version switch: mostly one step forward, sometimes a rollback one step back.</summary>
    private object?[] Switch(FleetNode node, DateTime time, Random rng)
    {
        var service = DemoRandom.Pick(rng, _switchServices);
        var versions = _catalog.Versions[service];
        var step = rng.Next(1, versions.Count);
        var (from, to) = rng.NextDouble() < 0.9 ? (versions[step - 1], versions[step]) : (versions[step], versions[step - 1]);
        return [time, node.Id, service, from, to];
    }

    private void Begin()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
    }

    private string End()
    {
        _json.WriteEndObject();
        _json.Flush();
        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }
}
