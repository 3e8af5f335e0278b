namespace Tributary.Streams.Processors;

/// <summary>Every kind of processor a pipeline can declare, by name.</summary>
public static class ProcessorKinds
{
    /// <summary>The kinds, in the order the documentation lists them.</summary>
    public static IReadOnlyList<ProcessorKind> All { get; } =
    [
        new("extractor", "unbatches Sunbird telemetry batches into events: drops duplicate batches, stamps syncts and @timestamp, sends oversize events and bad batches to failed topics, adds an audit event per batch",
            ["events"], ["log", "failed", "batchFailed", "duplicate"], ["maxEventBytes", "ttl", "dedup"], AnyOutputRole: false,
            s => new TelemetryExtractor(s), null, d => { TelemetryExtractor.MaxEventBytes(d); EventDeduplicator.Ttl(d); }),
        new("validator", "checks each event against the JSON Schema its eid selects (Sunbird's rule); valid to 'valid', invalid to 'failed' with the first error",
            ["valid"], ["failed"], ["schemas", "flagPrefix"], AnyOutputRole: false,
            s => new EventValidator(s), null, CheckValidator),
        new("dedup", "sends the first event with a key (default mid) within the TTL to 'unique' and later copies to 'duplicate', flagged; state on disk",
            ["unique"], ["duplicate", "failed"], ["key", "ttl", "flag", "nullKey", "skip"], AnyOutputRole: false,
            s => new EventDeduplicator(s), null, d => { EventDeduplicator.Ttl(d); EventDeduplicator.NullKeyIsUnique(d); JsonPath.Parse(d.Setting("key", "mid")); }),
        new("denormalizer", "adds fields looked up from store tables by key (device, user, content…), with a cache and hit/miss counts",
            ["events"], ["failed"], ["lookups.*", "cacheSize", "cacheTtl"], AnyOutputRole: false,
            s => new EventDenormalizer(s), null, d => EventDenormalizer.Lookups(d)),
        new("router", "routes each event by a field's value (default eid) to the output named like the value, else to 'default'",
            [EventRouter.DefaultRole], ["failed"], ["field"], AnyOutputRole: true,
            s => new EventRouter(s.Definition, s.Metrics), null, d => JsonPath.Parse(d.Setting("field", "eid"))),
        new("table", "puts events into a store table, one extent per pass, rows and offsets in one transaction",
            [], [], ["table", "columns.*"], AnyOutputRole: false,
            null, s => new TableSink(s.Definition, s.Metrics, s.Store), CheckTableSink),
        new("backup", "keeps the topic's raw records in compressed files by hour (like Secor), for 'backups replay'",
            [], [], ["directory"], AnyOutputRole: false,
            null, s => new BackupSink(s.Definition, s.Metrics, s.Store.DataDirectory)),
    ];

    /// <summary>The kind of that name, or null.</summary>
    public static ProcessorKind? Find(string name) => All.FirstOrDefault(k => k.Name == name);

    private static void CheckValidator(ProcessorDefinition d)
    {
        var directory = d.Setting("schemas", "");
        if (directory.Length == 0)
        {
            throw new ArgumentException("a validator needs 'schemas' (a directory of JSON Schema files, one per eid: interact.json, log.json …)");
        }

        try
        {
            Validation.JsonSchemaSet.Load(directory);
        }
        catch (Exception e) when (e is Validation.SchemaException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"the schemas in '{directory}' cannot be used: {e.Message}");
        }
    }

    private static void CheckTableSink(ProcessorDefinition d)
    {
        if (d.Setting("table", "").Length == 0)
        {
            throw new ArgumentException("a table sink needs 'table' (the table it writes to)");
        }

        foreach (var (key, value) in d.Settings.Where(s => s.Key.StartsWith(TableSink.ColumnPrefix, StringComparison.Ordinal)))
        {
            JsonPath.Parse(value);
        }
    }
}
