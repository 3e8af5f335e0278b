using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tributary.Streams.Processors;

/// <summary>
/// Sunbird's telemetry extractor: unbatches a v3 batch (<c>{id, ver, params: {msgid}, events: [...]}</c>) into its
/// events. Duplicate batches (same <c>params.msgid</c> within the TTL) go whole to <c>duplicate</c> with
/// <c>flags.extractor_duplicate=true</c>; a batch that is not JSON, not an object, or whose <c>events</c> is not a list
/// of objects goes to <c>batchFailed</c> with the reason. Each event is stamped with the batch's <c>syncts</c> (or the
/// time the batch reached the log) and <c>@timestamp</c>; one larger than <c>maxEventBytes</c> goes to <c>failed</c>
/// (<c>flags.ex_processed=false</c>, <c>metadata.ex_error</c>); the others get <c>flags.ex_processed=true</c> and go to
/// <c>log</c> (LOG events) or <c>events</c>. Each batch extracted adds one audit LOG event (<c>telemetry_audit</c>,
/// with its event count) to <c>log</c>.
/// </summary>
/// <remarks>
/// Sunbird's metric names: success-batch-count, failed-batch-count, unique-event-count, duplicate-event-count,
/// success-event-count, failed-event-count, audit-event-count. A batch without <c>params.msgid</c> is unique and not
/// remembered (Sunbird's extractor). Missing <c>events</c> (or <c>[]</c>) is a batch of no events. Deterministic: the audit
/// event's ids derive from the batch's place in the log, so a replay writes the same event.
/// </remarks>
public sealed class TelemetryExtractor : StreamProcessor
{
    /// <summary>Sunbird's production limit on one event.</summary>
    public const int DefaultMaxEventBytes = 1024 * 1024;

    private const string Source = "TelemetryExtractor";
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly DedupStore? _dedup;
    private readonly int _maxEventBytes;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    public TelemetryExtractor(ProcessorServices services)
        : base((services ?? throw new ArgumentNullException(nameof(services))).Definition, services.Metrics)
    {
        _maxEventBytes = MaxEventBytes(services.Definition);
        if (services.Definition.Setting("dedup", "true") != "false")
        {
            _dedup = DedupStore.Open(Path.Combine(services.StateDirectory, "dedup"), EventDeduplicator.Ttl(services.Definition), services.Time);
        }
    }

    /// <summary>The maxEventBytes setting.</summary>
    public static int MaxEventBytes(ProcessorDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var text = definition.Setting("maxEventBytes", DefaultMaxEventBytes.ToString(CultureInfo.InvariantCulture));
        return Operations.StreamUnits.TryParseSize(text, out var n) && n is > 0 and <= int.MaxValue
            ? (int)n
            : throw new ArgumentException($"'maxEventBytes' is '{text}', not a size (examples: 859, 64KB, 1MB)");
    }

    public override void Process(StoredRecord record, List<ProcessorOutput> outputs)
    {
        if (Ingest.Utf8Check.FirstInvalidByte(record.Value) is var invalid and >= 0)
        {
            BatchFailed(record, outputs, null, $"the batch is not UTF-8: byte {invalid + 1} (0x{record.Value[invalid]:X2}) starts no UTF-8 character");
            return;
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(record.Value);
        }
        catch (JsonException e)
        {
            BatchFailed(record, outputs, null, $"the batch is not valid JSON: {e.Message}");
            return;
        }

        using (doc)
        {
            var batch = doc.RootElement;
            if (batch.ValueKind != JsonValueKind.Object)
            {
                BatchFailed(record, outputs, null, $"the batch is a JSON {batch.ValueKind.ToString().ToLowerInvariant()}, not an object");
                return;
            }

            var msgid = batch.TryGetProperty("params", out var ps) && ps.ValueKind == JsonValueKind.Object && ps.TryGetProperty("msgid", out var m) && m.ValueKind == JsonValueKind.String
                ? m.GetString()
                : null;
            if (msgid is not null && _dedup is not null && _dedup.Check(msgid, $"{Definition.Name}/{record.Partition}", record.Offset) == DedupVerdict.Duplicate)
            {
                outputs.Add(new ProcessorOutput("duplicate", record.Key, JsonRewriter.Rewrite(batch, new JsonField("flags", "extractor_duplicate", true)), record.Offset));
                Metrics.Add("duplicate-event-count");
                Metrics.Add("success-batch-count");
                return;
            }

            var events = batch.TryGetProperty("events", out var ev) ? ev : default;
            if (events.ValueKind is not (JsonValueKind.Array or JsonValueKind.Undefined or JsonValueKind.Null))
            {
                BatchFailed(record, outputs, batch, $"'events' is a JSON {events.ValueKind.ToString().ToLowerInvariant()}, not a list of events");
                return;
            }

            var count = events.ValueKind == JsonValueKind.Array ? events.GetArrayLength() : 0;
            for (var i = 0; i < count; i++)
            {
                if (events[i].ValueKind != JsonValueKind.Object)
                {
                    BatchFailed(record, outputs, batch, $"event {i + 1} of {count} is a JSON {events[i].ValueKind.ToString().ToLowerInvariant()}, not an object");
                    return;
                }
            }

            Metrics.Add("unique-event-count");
            Metrics.Add("success-batch-count");
            var syncts = batch.TryGetProperty("syncts", out var st) && st.ValueKind == JsonValueKind.Number && st.TryGetInt64(out var s)
                ? s
                : new DateTimeOffset(record.Timestamp).ToUnixTimeMilliseconds();
            var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(syncts).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            for (var i = 0; i < count; i++)
            {
                var e = events[i];
                var stamped = JsonRewriter.Rewrite(e, new JsonField(null, "syncts", syncts), new JsonField(null, "@timestamp", timestamp));
                var key = e.TryGetProperty("mid", out var mid) && mid.ValueKind == JsonValueKind.String ? Encoding.UTF8.GetBytes(mid.GetString()!) : null;
                if (stamped.Length > _maxEventBytes)
                {
                    using var stampedDoc = JsonDocument.Parse(stamped);
                    outputs.Add(new ProcessorOutput("failed", key, JsonRewriter.Rewrite(stampedDoc.RootElement,
                        new JsonField("flags", "ex_processed", false), new JsonField("metadata", "src", Source), new JsonField("metadata", "ex_error", "Event size is Exceeded")), record.Offset));
                    Metrics.Add("failed-event-count");
                    continue;
                }

                var isLog = e.TryGetProperty("eid", out var eid) && eid.ValueKind == JsonValueKind.String && eid.ValueEquals("LOG");
                var processed = e.TryGetProperty("flags", out _)
                    ? JsonRewriter.Rewrite(e, new JsonField(null, "syncts", syncts), new JsonField(null, "@timestamp", timestamp), new JsonField("flags", "ex_processed", true))
                    : JsonRewriter.AppendFlag(stamped, "ex_processed");
                outputs.Add(new ProcessorOutput(isLog ? "log" : "events", key, processed, record.Offset));
                Metrics.Add("success-event-count");
            }

            outputs.Add(new ProcessorOutput("log", null, AuditEvent(batch, record, count, syncts), record.Offset));
            Metrics.Add("audit-event-count");
        }
    }

    public override void Flush() => _dedup?.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _dedup?.Dispose();
        }
    }

    /// <summary>An id that is the same every time this record is processed.</summary>
    private static string StableId(StoredRecord record, string purpose)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{record.Topic}/{record.Partition}/{record.Offset}/{purpose}"));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }

    private static string? Text(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Sunbird's per-batch audit event (scenario E2).</summary>
    private byte[] AuditEvent(JsonElement batch, StoredRecord record, int count, long syncts)
    {
        _buffer.ResetWrittenCount();
        using (var w = new Utf8JsonWriter(_buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("eid", "LOG");
            w.WriteNumber("ets", syncts);
            w.WriteString("ver", "3.0");
            w.WriteString("mid", Text(batch, "mid") ?? StableId(record, "mid"));
            w.WriteStartObject("actor");
            w.WriteString("id", "sunbird.telemetry");
            w.WriteString("type", "telemetry-sync");
            w.WriteEndObject();
            w.WriteStartObject("context");
            w.WriteString("channel", Text(batch, "channel") ?? "in.sunbird");
            w.WriteString("env", "data-pipeline");
            w.WriteString("sid", StableId(record, "sid"));
            w.WriteString("did", (batch.TryGetProperty("params", out var ps) ? Text(ps, "did") : null) ?? StableId(record, "did"));
            w.WriteStartObject("pdata");
            w.WriteString("ver", "3.0");
            w.WriteString("pid", "telemetry-extractor");
            w.WriteString("id", "data-pipeline");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject("object");
            w.WriteString("id", StableId(record, "object"));
            w.WriteString("ver", "3.0");
            w.WriteString("type", "telemetry-events");
            w.WriteEndObject();
            w.WriteStartObject("edata");
            w.WriteString("level", "INFO");
            w.WriteString("type", "telemetry_audit");
            w.WriteString("message", "telemetry sync");
            w.WriteStartArray("params");
            w.WriteStartObject();
            w.WriteString("ver", "3.0");
            w.WriteNumber("events_count", count);
            w.WriteString("sync_status", "SUCCESS");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteNumber("syncts", syncts);
            w.WriteEndObject();
        }

        return _buffer.WrittenSpan.ToArray();
    }

    private void BatchFailed(StoredRecord record, List<ProcessorOutput> outputs, JsonElement? batch, string reason)
    {
        byte[] value;
        if (batch is { } b)
        {
            value = JsonRewriter.Rewrite(b, new JsonField("flags", "ex_processed", false), new JsonField("metadata", "src", Source), new JsonField("metadata", "ex_error", reason));
        }
        else
        {
            // Not an object: kept whole as text beside the reason.
            _buffer.ResetWrittenCount();
            using (var w = new Utf8JsonWriter(_buffer, WriterOptions))
            {
                w.WriteStartObject();
                w.WriteString("raw", Encoding.UTF8.GetString(record.Value));
                w.WriteStartObject("flags");
                w.WriteBoolean("ex_processed", false);
                w.WriteEndObject();
                w.WriteStartObject("metadata");
                w.WriteString("src", Source);
                w.WriteString("ex_error", reason);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            value = _buffer.WrittenSpan.ToArray();
        }

        outputs.Add(new ProcessorOutput("batchFailed", record.Key, value, record.Offset));
        Metrics.Add("failed-batch-count");
    }
}
