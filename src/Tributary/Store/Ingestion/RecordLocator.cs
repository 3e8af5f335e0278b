using System.Text;
using System.Text.Json;

namespace Tributary.Store.Ingestion;

/// <summary>
/// Finds where records are in a file, for error messages: the physical (1-based) line a CSV record,
/// JSON line or JSON array element starts on, and the CSV header.
/// </summary>
/// <remarks>
/// Only used on the error path (and for the header), so it favours simplicity over speed. CSV records
/// are split at newlines outside double quotes, which is how DuckDB splits them; a quoted field may span
/// lines, so a record's line is where it starts.
/// </remarks>
internal static class RecordLocator
{
    private const int BufferSize = 1 << 16;

    /// <summary>The header's field names (first record of the file), or null for an empty file.</summary>
    public static IReadOnlyList<string>? ReadCsvHeader(string path)
    {
        using var stream = OpenRead(path);
        var bytes = new List<byte>();
        var inQuotes = false;
        int b;
        while ((b = stream.ReadByte()) >= 0)
        {
            if (b == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (b == '\n' && !inQuotes)
            {
                break;
            }

            bytes.Add((byte)b);
        }

        var text = Encoding.UTF8.GetString(bytes.ToArray()).TrimStart('\uFEFF').TrimEnd('\r');
        if (text.Length == 0 && b < 0)
        {
            return null;
        }

        var fields = new List<string>();
        var field = new StringBuilder();
        inQuotes = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    inQuotes = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                inQuotes = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }

    /// <summary>
    /// The physical line where DuckDB's CSV line <paramref name="duckLine"/> starts. DuckDB counts
    /// records and blank lines, not the newlines inside quoted fields.
    /// </summary>
    public static long CsvPhysicalLine(string path, long duckLine)
    {
        var result = duckLine;
        long index = 0;
        ScanCsv(path, (start, _) =>
        {
            if (++index == duckLine)
            {
                result = start;
                return false;
            }

            return true;
        });
        return result;
    }

    /// <summary>
    /// The physical line where data record <paramref name="record"/> (0-based, header excluded) starts.
    /// Blank lines are not records when <paramref name="skipBlank"/> (DuckDB skips them unless the file
    /// has a single column).
    /// </summary>
    public static long CsvRecordLine(string path, long record, bool skipBlank)
    {
        var result = record + 2;
        long index = -1;
        ScanCsv(path, (start, blank) =>
        {
            if (index == -1)
            {
                index = 0;
                return true;
            }

            if (blank && skipBlank)
            {
                return true;
            }

            if (index++ == record)
            {
                result = start;
                return false;
            }

            return true;
        });
        return result;
    }

    /// <summary>The physical line of JSON line record <paramref name="record"/> (0-based; blank lines are not records).</summary>
    public static long JsonLinesRecordLine(string path, long record)
    {
        using var reader = new StreamReader(OpenRead(path), Encoding.UTF8);
        long line = 0;
        long index = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (!string.IsNullOrWhiteSpace(text) && index++ == record)
            {
                return line;
            }
        }

        return record + 1;
    }

    /// <summary>The first JSON line that is not valid JSON or not an object: its line and why, or null.</summary>
    public static (long Line, string Reason)? FirstMalformedJsonLine(string path)
    {
        using var reader = new StreamReader(OpenRead(path), Encoding.UTF8);
        long line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(text);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return (line, "not a JSON object");
                }
            }
            catch (JsonException)
            {
                return (line, "malformed JSON");
            }
        }

        return null;
    }

    /// <summary>
    /// The physical line where top-level value <paramref name="record"/> (0-based) of a JSON file starts:
    /// an element of the top-level array when <paramref name="array"/>, else a value of a sequence of values.
    /// </summary>
    public static long JsonRecordLine(string path, long record, bool array)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true });
            var depth = array ? 1 : 0;
            long index = 0;
            while (reader.Read())
            {
                if (reader.CurrentDepth == depth && reader.TokenType is not (JsonTokenType.EndArray or JsonTokenType.EndObject))
                {
                    if (index++ == record)
                    {
                        return LineAt(bytes, reader.TokenStartIndex);
                    }

                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Fall through: the record count is the best we have.
        }

        return record + 1;
    }

    /// <summary>
    /// Where a JSON file stops being valid JSON, or has a record (top-level array element, or top-level
    /// value) that is not an object: line and reason, or null when there is no such place.
    /// </summary>
    public static (long Line, string Reason)? FirstMalformedJson(string path, bool array)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true });
            var depth = array ? 1 : 0;
            while (reader.Read())
            {
                if (reader.CurrentDepth == depth && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.EndArray or JsonTokenType.EndObject))
                {
                    return (LineAt(bytes, reader.TokenStartIndex), "not a JSON object");
                }

                if (reader.CurrentDepth == depth && reader.TokenType == JsonTokenType.StartObject)
                {
                    reader.Skip();
                }
            }

            return null;
        }
        catch (JsonException e)
        {
            return ((e.LineNumber ?? 0) + 1, "malformed JSON");
        }
    }

    private static long LineAt(byte[] bytes, long offset)
    {
        long line = 1;
        for (var i = 0L; i < offset && i < bytes.Length; i++)
        {
            if (bytes[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }

    // Calls visit(startLine, isBlank) for each logical CSV line until it returns false.
    private static void ScanCsv(string path, Func<long, bool, bool> visit)
    {
        using var stream = OpenRead(path);
        var buffer = new byte[BufferSize];
        long physical = 1;
        long start = 1;
        var inQuotes = false;
        var content = false;
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i < n; i++)
            {
                var b = buffer[i];
                if (b == '\n')
                {
                    physical++;
                    if (!inQuotes)
                    {
                        if (!visit(start, !content))
                        {
                            return;
                        }

                        start = physical;
                        content = false;
                    }
                }
                else
                {
                    if (b == '"')
                    {
                        inQuotes = !inQuotes;
                    }

                    if (b != '\r')
                    {
                        content = true;
                    }
                }
            }
        }

        if (content)
        {
            visit(start, false);
        }
    }

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, BufferSize, FileOptions.SequentialScan);
}
