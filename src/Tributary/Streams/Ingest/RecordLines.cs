using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Tributary.Streams.Ingest;

/// <summary>How the lines of a produce request are read.</summary>
public enum LineFormat
{
    /// <summary>Each line is a record as it is (Kafka's console producer).</summary>
    Text,

    /// <summary>Each line must be one JSON value (JSON lines, <c>application/x-ndjson</c>).</summary>
    Json,
}

/// <summary>One record of a produce request: the line it came from (1-based), its key (if any) and its value (the line's bytes).</summary>
public sealed record RecordLine(int Line, byte[]? Key, byte[] Value);

/// <summary>
/// The records of a produce request, one per non-empty line (blank lines are skipped but counted, a trailing
/// <c>\r</c> is dropped, a UTF-8 byte-order mark at the start is ignored), read and checked as a whole before
/// anything is appended: a bad line refuses the request, naming the line.
/// </summary>
/// <remarks>
/// With a key field, every line must be a JSON object holding that field (a dotted path reaches into nested objects,
/// e.g. <c>context.did</c>); a string field's text is the key, a number's or boolean's JSON text likewise. Without
/// one, records have no key (and the log spreads them round-robin). Immutable once parsed.
/// </remarks>
public sealed class RecordLines
{
    /// <summary>The largest record the producer API takes by default (1 MB).</summary>
    public const int DefaultMaxRecordBytes = 1 << 20;

    /// <summary>The most records one producer request takes by default.</summary>
    public const int DefaultMaxRecords = 10_000;

    private RecordLines(IReadOnlyList<RecordLine> records, LineFormat format, string? keyField)
    {
        Records = records;
        Format = format;
        KeyField = keyField;
    }

    /// <summary>The records, in line order.</summary>
    public IReadOnlyList<RecordLine> Records { get; }

    /// <summary>How the lines were read.</summary>
    public LineFormat Format { get; }

    /// <summary>The JSON field the keys came from, or null (no keys).</summary>
    public string? KeyField { get; }

    /// <summary>Reads <paramref name="text"/> (UTF-8) into records.</summary>
    /// <exception cref="IngestException">A line is not JSON where JSON is needed, lacks the key field, or is over a limit.</exception>
    public static RecordLines Parse(ReadOnlySpan<byte> text, LineFormat format, string? keyField, int maxRecords = int.MaxValue, int maxRecordBytes = DefaultMaxRecordBytes)
    {
        if (keyField is not null && (keyField.Length == 0 || keyField.Split('.').Any(p => p.Length == 0)))
        {
            throw new IngestException(IngestErrorCodes.InvalidRequest, $"'{keyField}' is not a field name (a name, or a dotted path such as context.did)");
        }

        if (text.StartsWith("\uFEFF"u8))
        {
            text = text[3..];
        }

        var records = new List<RecordLine>();
        var lineNumber = 0;
        while (!text.IsEmpty)
        {
            lineNumber++;
            var end = text.IndexOf((byte)'\n');
            var line = end < 0 ? text : text[..end];
            text = end < 0 ? [] : text[(end + 1)..];
            if (line.EndsWith("\r"u8))
            {
                line = line[..^1];
            }

            if (IsBlank(line))
            {
                continue;
            }

            if (line.Length > maxRecordBytes)
            {
                throw new IngestException(IngestErrorCodes.RecordTooLarge,
                    $"line {lineNumber} has {line.Length:N0} bytes, more than the {maxRecordBytes:N0} a record may have", IngestRejection.TooLarge);
            }

            if (records.Count >= maxRecords)
            {
                throw new IngestException(IngestErrorCodes.TooManyRecords, $"more than {maxRecords:N0} records in one request (line {lineNumber} is one too many); send them in several requests");
            }

            if ((format == LineFormat.Json || keyField is not null) && Utf8Check.FirstInvalidByte(line) is var invalid and >= 0)
            {
                throw new IngestException(IngestErrorCodes.InvalidJson,
                    $"line {lineNumber} is not UTF-8: byte {invalid + 1} of the line (0x{line[invalid]:X2}) starts no UTF-8 character; JSON text is UTF-8");
            }

            byte[]? key = null;
            if (keyField is not null)
            {
                key = KeyOf(line, lineNumber, keyField, format);
            }
            else if (format == LineFormat.Json)
            {
                Validate(line, lineNumber);
            }

            records.Add(new RecordLine(lineNumber, key, line.ToArray()));
        }

        return new RecordLines(records, format, keyField);
    }

    /// <summary>The records' values joined by <c>\n</c> (how a client sends them on).</summary>
    public static byte[] Join(IEnumerable<RecordLine> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        using var buffer = new MemoryStream();
        foreach (var r in records)
        {
            buffer.Write(r.Value);
            buffer.WriteByte((byte)'\n');
        }

        return buffer.ToArray();
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }

    private static void Validate(ReadOnlySpan<byte> line, int lineNumber)
    {
        var reader = new Utf8JsonReader(line);
        try
        {
            while (reader.Read())
            {
            }
        }
        catch (JsonException e)
        {
            throw NotJson(lineNumber, e, "is not valid JSON");
        }
    }

    private static byte[] KeyOf(ReadOnlySpan<byte> line, int lineNumber, string keyField, LineFormat format)
    {
        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(line);
            doc = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                throw new JsonException($"'{(char)line[(int)reader.TokenStartIndex]}' is invalid after a single JSON value", null, 0, reader.TokenStartIndex);
            }
        }
        catch (JsonException e)
        {
            throw NotJson(lineNumber, e, format == LineFormat.Json ? "is not valid JSON" : $"is not JSON, so its key field '{keyField}' cannot be read");
        }

        using (doc)
        {
            var element = doc.RootElement;
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new IngestException(IngestErrorCodes.MissingKey, $"line {lineNumber} is a JSON {Kind(element)}, not an object, so it has no key field '{keyField}'");
            }

            foreach (var part in keyField.Split('.'))
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
                {
                    throw new IngestException(IngestErrorCodes.MissingKey, $"line {lineNumber} has no key field '{keyField}'");
                }
            }

            return element.ValueKind switch
            {
                JsonValueKind.String => Encoding.UTF8.GetBytes(element.GetString()!),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => Encoding.UTF8.GetBytes(element.GetRawText()),
                _ => throw new IngestException(IngestErrorCodes.MissingKey,
                    $"line {lineNumber}: key field '{keyField}' is {(element.ValueKind == JsonValueKind.Null ? "null" : "a JSON " + Kind(element))}; a key is a string or a number"),
            };
        }
    }

    private static IngestException NotJson(int lineNumber, JsonException e, string what)
    {
        var at = e.BytePositionInLine is { } b ? $" (at byte {(b + 1).ToString(CultureInfo.InvariantCulture)} of the line)" : "";
        return new IngestException(IngestErrorCodes.InvalidJson, $"line {lineNumber} {what}: {Reason(e.Message)}{at}");
    }

    /// <summary>The reader's message without the position it appends (we say it our way).</summary>
    internal static string Reason(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        }

        return (cut > 0 ? message[..cut] : message).TrimEnd().TrimEnd('.');
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "object",
    };
}
