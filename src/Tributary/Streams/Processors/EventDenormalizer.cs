using System.Text.Json;
using System.Text.Unicode;
using Tributary.Kql;
using Tributary.Store;

namespace Tributary.Streams.Processors;

/// <summary>One lookup of a denormalizer: the event field whose value is the key, the table and key column, and the field the row goes into.</summary>
public sealed record DenormLookup(string Name, JsonPath Field, string Table, string KeyColumn, string Into);

/// <summary>
/// Adds fields looked up from store tables to each event (Sunbird's de-normalization: device, user, content,
/// dialcode…): per lookup, the value of an event field (<c>context.did</c>) is looked up in a table's key column
/// (<c>Devices.DeviceId</c>) and the row's columns go into an object field (<c>devicedata</c>) with
/// <c>flags.&lt;name&gt;_denorm</c> true, or false when nothing is found. Rows are cached (<c>cacheSize</c> keys,
/// <c>cacheTtl</c>), and each chunk's uncached keys are read in one query per lookup.
/// </summary>
/// <remarks>
/// Counts, per lookup, Sunbird's <c>&lt;name&gt;-cache-hit</c> (found), <c>&lt;name&gt;-cache-miss</c> (not found) and
/// <c>&lt;name&gt;-total</c> (events that had the key), plus <c>&lt;name&gt;-store-read-count</c> (keys read from the store
/// because the cache lacked them). Events without the key field get neither flag nor count. Not-JSON records go to <c>failed</c>.
/// </remarks>
public sealed class EventDenormalizer : StreamProcessor
{
    /// <summary>The lookups setting: <c>lookups.&lt;name&gt;.{field, table, key, into}</c>.</summary>
    public const string LookupPrefix = "lookups.";

    private readonly TributaryStore _store;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<DenormLookup> _lookups;
    private readonly int _cacheSize;
    private readonly TimeSpan _cacheTtl;
    private readonly Dictionary<(string Lookup, string Key), (string? Row, DateTime Expires)> _cache = [];

    public EventDenormalizer(ProcessorServices services)
        : base((services ?? throw new ArgumentNullException(nameof(services))).Definition, services.Metrics)
    {
        _store = services.Store;
        _time = services.Time;
        _lookups = Lookups(services.Definition);
        _cacheSize = int.TryParse(services.Definition.Setting("cacheSize", "100000"), out var size) && size > 0 ? size : throw new ArgumentException("'cacheSize' is a positive whole number");
        var ttl = services.Definition.Setting("cacheTtl", "5m");
        _cacheTtl = Pipelines.PipelineLoader.TryParseDuration(ttl, out var t) ? t : throw new ArgumentException($"'cacheTtl' is '{ttl}', not a duration");
        foreach (var l in _lookups)
        {
            if (!_store.Catalog.TryGetTable(l.Table, out var schema) || schema.Find(l.KeyColumn) is null)
            {
                throw new StreamException($"lookup '{l.Name}' of processor '{Definition.Name}' reads {l.Table}.{l.KeyColumn}, which the store does not have");
            }
        }
    }

    /// <summary>The lookups a definition declares.</summary>
    /// <exception cref="ArgumentException">A lookup lacks one of field, table, key, into, or there is none.</exception>
    public static IReadOnlyList<DenormLookup> Lookups(ProcessorDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var names = definition.Settings.Keys.Where(k => k.StartsWith(LookupPrefix, StringComparison.Ordinal))
            .Select(k => k[LookupPrefix.Length..].Split('.')[0]).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            throw new ArgumentException("a denormalizer needs 'lookups' (name: {field: context.did, table: Devices, key: DeviceId, into: devicedata})");
        }

        return names.Select(n =>
        {
            string Get(string what) => definition.Settings.TryGetValue($"{LookupPrefix}{n}.{what}", out var v) && v.Length > 0
                ? v
                : throw new ArgumentException($"lookup '{n}' needs '{what}' (field, table, key and into)");
            var unknown = definition.Settings.Keys.FirstOrDefault(k => k.StartsWith($"{LookupPrefix}{n}.", StringComparison.Ordinal) && k.Split('.')[^1] is not ("field" or "table" or "key" or "into"));
            return unknown is not null
                ? throw new ArgumentException($"lookup '{n}' has an unknown key '{unknown.Split('.')[^1]}' (expected: field, table, key, into)")
                : new DenormLookup(n, JsonPath.Parse(Get("field")), Get("table"), Get("key"), Get("into"));
        }).ToList();
    }

    /// <inheritdoc/>
    public override void Prepare(IReadOnlyList<StoredRecord> chunk)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var wanted = _lookups.ToDictionary(l => l.Name, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var record in chunk.Where(r => Utf8.IsValid(r.Value)))
        {
            try
            {
                using var doc = JsonDocument.Parse(record.Value);
                foreach (var l in _lookups)
                {
                    if (doc.RootElement.ValueKind == JsonValueKind.Object && l.Field.GetText(doc.RootElement) is { Length: > 0 } key &&
                        !(_cache.TryGetValue((l.Name, key), out var c) && c.Expires > now))
                    {
                        wanted[l.Name].Add(key);
                    }
                }
            }
            catch (JsonException)
            {
                // Process sends it to failed (and a record that is not UTF-8, left out above).
            }
        }

        if (_cache.Count + wanted.Values.Sum(w => w.Count) > _cacheSize)
        {
            _cache.Clear();
        }

        foreach (var l in _lookups.Where(l => wanted[l.Name].Count > 0))
        {
            // Keys with control characters or quotes cannot be written as KQL literals safely: they count as not found.
            var keys = wanted[l.Name].ToList();
            var queryable = keys.Where(k => !k.Any(c => char.IsControl(c) || c == '"' || c == '\\')).ToList();
            var result = queryable.Count == 0 ? new Query.QueryResult([], []) : _store.QueryQuietly(
                $"['{l.Table}'] | where tostring(['{l.KeyColumn}']) in ({string.Join(", ", queryable.Select(k => $"\"{k}\""))})", null, CancellationToken.None);
            var keyIndex = result.IndexOf(l.KeyColumn);
            var found = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var row in result.Rows)
            {
                found.TryAdd(Convert.ToString(row[keyIndex], System.Globalization.CultureInfo.InvariantCulture) ?? "", RowJson(result, row));
            }

            foreach (var key in keys)
            {
                _cache[(l.Name, key)] = (found.GetValueOrDefault(key), now + _cacheTtl);
            }

            Metrics.Add($"{l.Name}-store-read-count", keys.Count);
        }
    }

    public override void Process(StoredRecord record, List<ProcessorOutput> outputs)
    {
        using var doc = ParseObjectOrFail(record, outputs);
        if (doc is not null)
        {
            var root = doc.RootElement;
            var fields = new List<JsonField>();
            var rows = new List<JsonDocument>();
            try
            {
                foreach (var l in _lookups)
                {
                    if (l.Field.GetText(root) is not { Length: > 0 } key)
                    {
                        continue;
                    }

                    Metrics.Add($"{l.Name}-total");
                    if (_cache.TryGetValue((l.Name, key), out var cached) && cached.Row is { } row)
                    {
                        var parsed = JsonDocument.Parse(row);
                        rows.Add(parsed);
                        fields.Add(new JsonField(null, l.Into, parsed.RootElement));
                        fields.Add(new JsonField("flags", l.Name + "_denorm", true));
                        Metrics.Add($"{l.Name}-cache-hit");
                    }
                    else
                    {
                        fields.Add(new JsonField("flags", l.Name + "_denorm", false));
                        Metrics.Add($"{l.Name}-cache-miss");
                    }
                }

                outputs.Add(new ProcessorOutput("events", record.Key, fields.Count == 0 ? record.Value : JsonRewriter.Rewrite(root, [.. fields]), record.Offset));
                Metrics.Add("success-event-count");
            }
            finally
            {
                foreach (var r in rows)
                {
                    r.Dispose();
                }
            }
        }
    }

    /// <summary>A row as a JSON object of its columns (dynamic columns as JSON, others as their values).</summary>
    private static string RowJson(Query.QueryResult result, object?[] row)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            for (var i = 0; i < result.Columns.Count; i++)
            {
                w.WritePropertyName(result.Columns[i].Name);
                var value = row[i];
                switch (value)
                {
                    case null:
                        w.WriteNullValue();
                        break;
                    case string s when result.Columns[i].Type == KqlType.Dynamic:
                        w.WriteRawValue(s);
                        break;
                    default:
                        JsonSerializer.Serialize(w, value, value.GetType());
                        break;
                }
            }

            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
