using System.Text.Json;
using Tributary.Store;
using Tributary.Store.Ingestion;

namespace Tributary.Tests.Sunbird;

/// <summary>Real Sunbird v3 telemetry (from ../shared) loaded as JSON lines and queried with KQL; expected answers are computed from the raw file with System.Text.Json.</summary>
public sealed class SunbirdTelemetryTests : TempDirectoryTest
{
    public SunbirdTelemetryTests()
        : base("sunbird")
    {
    }

    private static List<JsonElement> ReadEvents(string path) =>
        File.ReadLines(path).Where(l => l.Trim().Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    private TributaryStore LoadTelemetry(string file)
    {
        var store = TributaryStore.Open(Dir);
        store.Execute(".create table Telemetry (eid:string, ets:long, ver:string, mid:string, actor:dynamic, context:dynamic, @object:dynamic, edata:dynamic, tags:dynamic)".Replace("@object", "['object']"));
        store.IngestFile("Telemetry", file, IngestFormat.JsonLines, ["source:sunbird"]);
        return store;
    }

    [SkippableFact]
    public void IngestJsonLines_SunbirdEvents_CountsByEidMatchTheFile()
    {
        var file = Path.Combine(SharedData.RequireSunbird(), "events", "telemetry-extractor.batch-events-exploded.jsonl");
        var expected = ReadEvents(file).GroupBy(e => e.GetProperty("eid").GetString()!).ToDictionary(g => g.Key, g => (long)g.Count());
        using var store = LoadTelemetry(file);

        var result = store.Execute("Telemetry | summarize count() by eid");

        var actual = result.Rows.ToDictionary(r => (string)r[0]!, r => (long)r[1]!);
        Assert.Equal(expected.OrderBy(p => p.Key), actual.OrderBy(p => p.Key));
    }

    [SkippableFact]
    public void DynamicAccess_NestedContext_MatchesTheFile()
    {
        var file = Path.Combine(SharedData.RequireSunbird(), "events", "telemetry-extractor.batch-events-exploded.jsonl");
        var events = ReadEvents(file);
        var expected = events
            .Where(e => e.TryGetProperty("context", out var c) && c.TryGetProperty("pdata", out var p) && p.TryGetProperty("id", out _))
            .GroupBy(e => e.GetProperty("context").GetProperty("pdata").GetProperty("id").GetString()!)
            .ToDictionary(g => g.Key, g => (long)g.Select(e => e.GetProperty("actor").GetProperty("id").GetString()).Distinct().Count());
        using var store = LoadTelemetry(file);

        var result = store.Execute("Telemetry | extend app = tostring(context.pdata.id), user = tostring(actor['id']) | where isnotempty(app) | summarize dcount(user) by app");

        var actual = result.Rows.ToDictionary(r => (string)r[0]!, r => (long)r[1]!);
        Assert.Equal(expected.OrderBy(p => p.Key), actual.OrderBy(p => p.Key));
    }

    [SkippableFact]
    public void MvExpand_Tags_OneRowPerTag()
    {
        var file = Path.Combine(SharedData.RequireSunbird(), "events", "telemetry-extractor.batch-events-exploded.jsonl");
        var expected = ReadEvents(file).Sum(e => e.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Array ? t.GetArrayLength() : 0);
        using var store = LoadTelemetry(file);

        var result = store.Execute("Telemetry | where array_length(tags) > 0 | mv-expand tag = tags to typeof(string) | count");

        Assert.Equal((long)expected, result.Rows[0][0]);
    }

    [SkippableFact]
    public void IngestFile_MalformedTelemetry_RejectedWithLineAndNothingAdded()
    {
        var file = Path.Combine(SharedData.RequireSunbird(), "events", "telemetry-extractor.malformed.txt");
        using var store = TributaryStore.Open(Dir);
        store.Execute(".create table Telemetry (eid:string, mid:string, edata:dynamic)");

        var error = Assert.Throws<StoreException>(() => store.IngestFile("Telemetry", file, IngestFormat.JsonLines));

        Assert.Contains("line", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0L, store.Execute("Telemetry | count").Rows[0][0]);
    }
}
