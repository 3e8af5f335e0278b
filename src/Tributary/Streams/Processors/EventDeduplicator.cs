using System.Text.Json;

namespace Tributary.Streams.Processors;

/// <summary>
/// Drops copies of events: the first event with a key (default <c>mid</c>) within the TTL goes to <c>unique</c>, later
/// copies to <c>duplicate</c> with <c>flags.&lt;flag&gt;=true</c>. State lives on disk (<see cref="DedupStore"/>) and
/// survives restarts; a replayed record gets the verdict it got the first time.
/// </summary>
/// <remarks>
/// A record without the key is a duplicate by default, as Sunbird's preprocessor and druid validator treat it
/// (<c>nullKey: unique</c> makes it unique and never stored, as its extractor does). Events whose <c>eid</c> is listed in
/// <c>skip</c> (e.g. LOG) pass to <c>unique</c> unchecked. Records that are not JSON objects go to <c>failed</c>. Counts
/// <c>unique-event-count</c>, <c>duplicate-event-count</c>, <c>skipped-event-count</c>, <c>failed-event-count</c>.
/// </remarks>
public sealed class EventDeduplicator : StreamProcessor
{
    private readonly DedupStore _store;
    private readonly JsonPath _key;
    private readonly string _flag;
    private readonly bool _nullKeyIsUnique;
    private readonly HashSet<string> _skip;

    public EventDeduplicator(ProcessorServices services)
        : base((services ?? throw new ArgumentNullException(nameof(services))).Definition, services.Metrics)
    {
        var d = services.Definition;
        _key = JsonPath.Parse(d.Setting("key", "mid"));
        _flag = d.Setting("flag", "dd_duplicate");
        _nullKeyIsUnique = NullKeyIsUnique(d);
        _skip = d.Setting("skip", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        _store = DedupStore.Open(Path.Combine(services.StateDirectory, "dedup"), Ttl(d), services.Time);
    }

    /// <summary>The TTL setting (default one day).</summary>
    public static TimeSpan Ttl(ProcessorDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var text = definition.Setting("ttl", "1d");
        return Pipelines.PipelineLoader.TryParseDuration(text, out var ttl) && ttl > TimeSpan.Zero
            ? ttl
            : throw new ArgumentException($"'ttl' is '{text}', not a duration (examples: 1h, 1d)");
    }

    /// <summary>The nullKey setting: duplicate (default) or unique.</summary>
    public static bool NullKeyIsUnique(ProcessorDefinition definition) => (definition ?? throw new ArgumentNullException(nameof(definition))).Setting("nullKey", "duplicate") switch
    {
        "duplicate" => false,
        "unique" => true,
        var other => throw new ArgumentException($"'nullKey' is '{other}'; it is 'duplicate' (Sunbird's preprocessor) or 'unique' (its extractor)"),
    };

    public override void Process(StoredRecord record, List<ProcessorOutput> outputs)
    {
        using var doc = ParseObjectOrFail(record, outputs);
        if (doc is not null)
        {
            var root = doc.RootElement;
            if (_skip.Count > 0 && root.TryGetProperty("eid", out var eid) && eid.ValueKind == JsonValueKind.String && _skip.Contains(eid.GetString()!))
            {
                outputs.Add(new ProcessorOutput("unique", record.Key, record.Value, record.Offset));
                Metrics.Add("skipped-event-count");
                return;
            }

            var key = _key.TryGet(root, out var k) && k.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? (k.ValueKind == JsonValueKind.String ? k.GetString() : k.GetRawText()) : null;
            var unique = key is null ? _nullKeyIsUnique : _store.Check(key, $"{Definition.Name}/{record.Partition}", record.Offset) == DedupVerdict.Unique;
            if (unique)
            {
                outputs.Add(new ProcessorOutput("unique", record.Key, record.Value, record.Offset));
                Metrics.Add("unique-event-count");
            }
            else
            {
                outputs.Add(new ProcessorOutput("duplicate", record.Key, JsonRewriter.Rewrite(root, new JsonField("flags", _flag, true)), record.Offset));
                Metrics.Add("duplicate-event-count");
            }
        }
    }

    public override void Flush() => _store.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _store.Dispose();
        }
    }
}
