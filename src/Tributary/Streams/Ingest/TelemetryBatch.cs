using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tributary.Streams.Ingest;

/// <summary>The limits a telemetry batch is held to: events per batch and bytes per event (as sent).</summary>
public sealed record TelemetryLimits(int MaxEvents = TelemetryLimits.DefaultMaxEvents, int MaxEventBytes = TelemetryLimits.DefaultMaxEventBytes)
{
    /// <summary>1,000 events a batch.</summary>
    public const int DefaultMaxEvents = 1000;

    /// <summary>1 MB an event (Sunbird's production <c>event.max.size</c>).</summary>
    public const int DefaultMaxEventBytes = 1 << 20;
}

/// <summary>
/// What the ingest endpoint stamps on a batch, as Sunbird's telemetry service does: <c>syncts</c> (epoch milliseconds),
/// <c>mid</c>, and <c>did</c> / <c>channel</c> / <c>pid</c> from the request's <c>X-Device-ID</c> / <c>X-Channel-ID</c> /
/// <c>X-App-ID</c> headers (each only when the header is present; otherwise the body's value, if any, stays).
/// </summary>
public sealed record TelemetryStamp(long SyncTs, string? DeviceId = null, string? ChannelId = null, string? AppId = null);

/// <summary>
/// A Sunbird v3 telemetry batch envelope (<c>{id, ver, ets, params: {msgid, …}, events: [ … ]}</c>) as the ingest API
/// receives it: parsed, checked as a whole, and written back stamped, ready to append as one record keyed by its
/// <c>mid</c>. Holds the parsed document until disposed; not thread-safe.
/// </summary>
/// <remarks>
/// Checks (each an <see cref="IngestException"/> whose message says what, where and why): the body is JSON (a malformed
/// one names the byte), an object, with <c>events</c> present, an array, not empty, of at most
/// <see cref="TelemetryLimits.MaxEvents"/> objects of at most <see cref="TelemetryLimits.MaxEventBytes"/> bytes each, and
/// <c>mid</c>, when given, a non-empty string. The events themselves are not validated here (that is the stream
/// processors' work, with a failed topic for the bad ones): they are kept as sent.
/// </remarks>
public sealed class TelemetryBatch : IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string[] StampedFields = ["mid", "syncts", "did", "channel", "pid"];
    private readonly JsonDocument _document;

    private TelemetryBatch(JsonDocument document)
    {
        _document = document;
        var root = document.RootElement;
        if (root.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("msgid", out var msgid) && msgid.ValueKind == JsonValueKind.String)
        {
            MsgId = msgid.GetString();
        }

        if (root.TryGetProperty("mid", out var mid) && mid.ValueKind == JsonValueKind.String && mid.GetString() is { Length: > 0 } m)
        {
            Mid = m;
        }
    }

    /// <summary><c>params.msgid</c> when it is a string, else null (echoed in the API's answer).</summary>
    public string? MsgId { get; }

    /// <summary>The body's <c>mid</c> when it is a non-empty string, else null (the endpoint makes one).</summary>
    public string? Mid { get; }

    /// <summary>The number of events (after <see cref="Validate"/>).</summary>
    public int EventCount { get; private set; }

    /// <summary>Parses the body (UTF-8 JSON); the memory must stay unchanged while the batch is used.</summary>
    /// <exception cref="IngestException">Empty, malformed (the message names the byte), or not a JSON object.</exception>
    public static TelemetryBatch Parse(ReadOnlyMemory<byte> json)
    {
        if (IsBlank(json.Span))
        {
            throw new IngestException(IngestErrorCodes.EmptyBody, "the request body is empty; send a Sunbird telemetry batch {\"id\", \"ver\", \"params\": {\"msgid\"}, \"events\": [ … ]}");
        }

        if (Utf8Check.FirstInvalidByte(json.Span) is var invalid and >= 0)
        {
            throw new IngestException(IngestErrorCodes.InvalidJson,
                $"the body is not UTF-8: byte {(invalid + 1).ToString("N0", CultureInfo.InvariantCulture)} (0x{json.Span[invalid]:X2}) starts no UTF-8 character; JSON text is UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            var position = BytePosition(json.Span, e.LineNumber, e.BytePositionInLine);
            var where = position is { } b ? $" at byte {b.ToString("N0", CultureInfo.InvariantCulture)}" + (e.LineNumber > 0 ? $" (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1} of the line)" : "") : "";
            throw new IngestException(IngestErrorCodes.InvalidJson, $"malformed JSON{where}: {RecordLines.Reason(e.Message)}");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = document.RootElement.ValueKind.ToString().ToLowerInvariant();
            document.Dispose();
            throw new IngestException(IngestErrorCodes.InvalidBatch,
                $"the body is a JSON {kind}, not an object: send the Sunbird batch envelope {{\"id\", \"ver\", \"params\": {{\"msgid\"}}, \"events\": [ … ]}}");
        }

        return new TelemetryBatch(document);
    }

    /// <summary>Checks the envelope and its events against <paramref name="limits"/>.</summary>
    /// <exception cref="IngestException">The first problem found.</exception>
    public void Validate(TelemetryLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var root = _document.RootElement;
        if (root.TryGetProperty("mid", out var mid) && mid.ValueKind != JsonValueKind.Null && Mid is null)
        {
            throw new IngestException(IngestErrorCodes.InvalidBatch, $"'mid' is {Describe(mid)}; when given, it must be a non-empty string (it keys the batch in the log)");
        }

        if (!root.TryGetProperty("events", out var events))
        {
            throw new IngestException(IngestErrorCodes.MissingEvents, "the batch has no 'events': send the events as an array of objects, \"events\": [ { \"eid\": … }, … ]");
        }

        if (events.ValueKind != JsonValueKind.Array)
        {
            throw new IngestException(IngestErrorCodes.InvalidEvents, $"'events' is {Describe(events)}, not an array of event objects");
        }

        var count = events.GetArrayLength();
        if (count == 0)
        {
            throw new IngestException(IngestErrorCodes.EmptyBatch, "'events' is empty: a batch carries at least one event");
        }

        if (count > limits.MaxEvents)
        {
            throw new IngestException(IngestErrorCodes.TooManyEvents, $"the batch has {count:N0} events, more than the {limits.MaxEvents:N0} a batch may have; send them in several batches");
        }

        var index = 0;
        foreach (var e in events.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                throw new IngestException(IngestErrorCodes.InvalidEvents, $"events[{index}] is {Describe(e)}, not an event object");
            }

            var size = JsonMarshal.GetRawUtf8Value(e).Length;
            if (size > limits.MaxEventBytes)
            {
                var eventMid = e.TryGetProperty("mid", out var m) && m.ValueKind == JsonValueKind.String ? $" (mid {m.GetString()})" : "";
                throw new IngestException(IngestErrorCodes.EventTooLarge,
                    $"events[{index}]{eventMid} has {size:N0} bytes, more than the {limits.MaxEventBytes:N0} an event may have", IngestRejection.TooLarge);
            }

            index++;
        }

        EventCount = count;
    }

    /// <summary>
    /// The batch as it goes into the log: the body's fields in their order, with <c>mid</c>, <c>syncts</c> and the
    /// header-given fields set (replaced where the body had them, added at the end otherwise). Compact UTF-8 JSON.
    /// </summary>
    public byte[] Stamp(TelemetryStamp stamp, string mid)
    {
        ArgumentNullException.ThrowIfNull(stamp);
        ArgumentNullException.ThrowIfNull(mid);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal) { ["mid"] = mid, ["syncts"] = stamp.SyncTs };
        if (stamp.DeviceId is not null)
        {
            values["did"] = stamp.DeviceId;
        }

        if (stamp.ChannelId is not null)
        {
            values["channel"] = stamp.ChannelId;
        }

        if (stamp.AppId is not null)
        {
            values["pid"] = stamp.AppId;
        }

        var buffer = new ArrayBufferWriter<byte>(JsonMarshal.GetRawUtf8Value(_document.RootElement).Length + 128);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in _document.RootElement.EnumerateObject())
            {
                if (values.TryGetValue(property.Name, out var value))
                {
                    if (written.Add(property.Name))
                    {
                        Write(writer, property.Name, value);
                    }
                }
                else
                {
                    Processors.JsonRewriter.WriteProperty(writer, property);
                }
            }

            foreach (var field in StampedFields)
            {
                if (values.TryGetValue(field, out var value) && !written.Contains(field))
                {
                    Write(writer, field, value);
                }
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public void Dispose() => _document.Dispose();

    private static void Write(Utf8JsonWriter writer, string name, object? value)
    {
        switch (value)
        {
            case long l:
                writer.WriteNumber(name, l);
                break;
            case string s:
                writer.WriteString(name, s);
                break;
            default:
                writer.WriteNull(name);
                break;
        }
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => e.GetString()!.Length == 0 ? "an empty string" : "a string",
        JsonValueKind.Number => $"a number ({e.GetRawText()})",
        JsonValueKind.True or JsonValueKind.False => $"a boolean ({e.GetRawText()})",
        _ => "null",
    };

    private static bool IsBlank(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The 1-based byte of the body the reader stopped at, from its 0-based line and byte in that line.</summary>
    private static long? BytePosition(ReadOnlySpan<byte> json, long? line, long? byteInLine)
    {
        if (line is not { } l || byteInLine is not { } b)
        {
            return null;
        }

        long start = 0;
        for (var i = 0L; i < l; i++)
        {
            var next = json[(int)start..].IndexOf((byte)'\n');
            if (next < 0)
            {
                return null;
            }

            start += next + 1;
        }

        return start + b + 1;
    }
}
