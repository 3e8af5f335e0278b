using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Tributary.Demo;

/// <summary>
/// <c>OMRollouts_EntityModel_Staging</c> batches: one per 10-minute slot over the last 3.5 hours, each
/// ingested a minute or two after its slot ends, holding the change events of sources "OMRollout" and
/// "OMRollout:SOC" in that slot. The incident: "OMRollout:SOC" falls to almost nothing in the last
/// four slots (about 40 minutes).
/// </summary>
internal static class StagingChanges
{
    public const string Rollout = "OMRollout";
    public const string RolloutSoc = "OMRollout:SOC";
    public static readonly TimeSpan Slot = TimeSpan.FromMinutes(10);
    public const int Slots = 21;
    public const int IncidentSlots = 4;

    private static readonly IReadOnlyList<(string Item, double Weight)> ChangeTypes = [("Update", 70), ("Add", 20), ("Delete", 10)];
    private static readonly IReadOnlyList<string> ServiceNames = ["HostAgent", "NetworkAgent", "StorageAgent", "GuestAgentPlugin", "FabricController"];
    private static readonly IReadOnlyList<string> Phases = ["Preparing", "Upgrading", "Validating", "Completed"];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static List<Batch> Generate(Fleet fleet, DateTime now, Random rng)
    {
        var batches = new List<Batch>(Slots);
        var lastEnd = DemoRandom.Floor(now, Slot);
        var buffer = new ArrayBufferWriter<byte>(512);
        using var json = new Utf8JsonWriter(buffer);
        var builds = fleet.Hosts.SelectMany(h => h.BuildChanges.Select(c => c.Build)).Distinct().Order(StringComparer.Ordinal).ToList();
        for (var k = Slots - 1; k >= 0; k--)
        {
            var slotEnd = lastEnd - (k * Slot);
            var slotStart = slotEnd - Slot;
            var rows = new List<object?[]>();
            var rollouts = (int)Math.Round(fleet.Hosts.Count * 10 * (0.85 + (0.3 * rng.NextDouble())));
            var soc = k < IncidentSlots ? rng.Next(0, 3) : (int)Math.Round(fleet.Hosts.Count * 4.5 * (0.85 + (0.3 * rng.NextDouble())));
            for (var i = 0; i < rollouts + soc; i++)
            {
                var source = i < rollouts ? Rollout : RolloutSoc;
                var host = DemoRandom.Pick(rng, fleet.Hosts);
                rows.Add(
                [
                    DemoRandom.Between(rng, slotStart, slotEnd),
                    source,
                    host.Id,
                    DemoRandom.Weighted(rng, ChangeTypes),
                    Properties(json, buffer, rng, host, source, builds),
                ]);
            }

            DemoRandom.SortByTime(rows, 0);
            var ingested = Min(slotEnd + DemoRandom.Span(rng, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120)), now);
            batches.Add(new Batch(slotStart, ingested, rows));
        }

        return batches;
    }

    /// <summary>The nested JSON of a change's properties.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string Properties(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, Random rng, FleetHost host, string source, List<string> builds)
    {
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        json.WriteStartObject();
        json.WriteString("RolloutId", DemoRandom.Guid(rng));
        json.WriteString("ServiceName", DemoRandom.Pick(rng, ServiceNames));
        json.WriteString("TargetBuild", builds.Count > 0 ? DemoRandom.Pick(rng, builds) : "");
        json.WriteString("Region", host.Region);
        json.WriteString("Phase", DemoRandom.Pick(rng, Phases));
        json.WriteNumber("Attempt", rng.NextDouble() < 0.95 ? 1 : 2);
        json.WriteStartObject("Details");
        json.WriteNumber("UpdateDomain", rng.Next(0, 20));
        json.WriteStartArray("Tags");
        if (source == RolloutSoc)
        {
            json.WriteStringValue("soc");
            json.WriteStringValue("isolated");
        }
        else
        {
            json.WriteStringValue("fleet");
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
