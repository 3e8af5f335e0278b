using System.Globalization;
using System.Text;
using System.Text.Json;
using Tributary.Kql;

namespace Tributary.Tests.Demo;

/// <summary>
/// Reads the demo files back into typed rows, independently of the store's readers: CSV per RFC 4180
/// (header row required and checked against the schema) and JSON lines. Values are the CLR values of
/// <c>QueryResult</c>: string (never null), int, long, double, bool, UTC <see cref="DateTime"/>,
/// <see cref="TimeSpan"/>, <see cref="Guid"/>, and dynamic as its JSON text.
/// </summary>
public static class DemoFileReader
{
    private static readonly string[] TimeSpanFormats = [@"d\.hh\:mm\:ss\.fffffff", @"hh\:mm\:ss\.fffffff", @"d\.hh\:mm\:ss", @"hh\:mm\:ss"];

    public static List<object?[]> Read(string path, string format, TableSchema schema) => format switch
    {
        "csv" => ReadCsv(path, schema),
        "jsonl" => ReadJsonLines(path, schema),
        _ => throw new ArgumentException($"Unknown format '{format}'.", nameof(format)),
    };

    public static List<object?[]> ReadCsv(string path, TableSchema schema)
    {
        var records = ParseCsv(File.ReadAllText(path, Encoding.UTF8));
        if (records.Count == 0)
        {
            throw new FormatException($"{path}: no header row.");
        }

        var header = records[0];
        var expected = schema.Columns.Select(c => c.Name).ToArray();
        if (!header.SequenceEqual(expected))
        {
            throw new FormatException($"{path}: header [{string.Join(",", header)}] is not [{string.Join(",", expected)}].");
        }

        var rows = new List<object?[]>(records.Count - 1);
        for (var r = 1; r < records.Count; r++)
        {
            var fields = records[r];
            if (fields.Count != expected.Length)
            {
                throw new FormatException($"{path}: record {r} has {fields.Count} fields, expected {expected.Length}.");
            }

            var row = new object?[fields.Count];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = Parse(schema.Columns[i].Type, fields[i]);
            }

            rows.Add(row);
        }

        return rows;
    }

    public static List<object?[]> ReadJsonLines(string path, TableSchema schema)
    {
        var rows = new List<object?[]>();
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            var row = new object?[schema.Columns.Count];
            for (var i = 0; i < row.Length; i++)
            {
                var column = schema.Columns[i];
                if (!doc.RootElement.TryGetProperty(column.Name, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    row[i] = column.Type == KqlType.String ? "" : null;
                }
                else if (column.Type == KqlType.Dynamic)
                {
                    row[i] = value.GetRawText();
                }
                else
                {
                    row[i] = Parse(column.Type, value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText());
                }
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Splits RFC 4180 text into records of fields; accepts LF or CRLF line ends.</summary>
    public static List<List<string>> ParseCsv(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                        continue;
                    }

                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }

                i++;
                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    record.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n':
                    record.Add(field.ToString());
                    field.Clear();
                    records.Add(record);
                    record = [];
                    break;
                default:
                    field.Append(c);
                    break;
            }

            i++;
        }

        if (quoted)
        {
            throw new FormatException("Unterminated quoted field.");
        }

        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            records.Add(record);
        }

        return records;
    }

    public static object? Parse(KqlType type, string text)
    {
        if (type == KqlType.String)
        {
            return text;
        }

        if (text.Length == 0)
        {
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        return type switch
        {
            KqlType.Int => int.Parse(text, NumberStyles.Integer, inv),
            KqlType.Long => long.Parse(text, NumberStyles.Integer, inv),
            KqlType.Real => double.Parse(text, NumberStyles.Float, inv),
            KqlType.Decimal => decimal.Parse(text, NumberStyles.Float, inv),
            KqlType.Bool => bool.Parse(text),
            KqlType.DateTime => DateTime.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", inv, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            KqlType.TimeSpan => text.StartsWith('-')
                ? -TimeSpan.ParseExact(text[1..], TimeSpanFormats, inv)
                : TimeSpan.ParseExact(text, TimeSpanFormats, inv),
            KqlType.Guid => Guid.Parse(text),
            KqlType.Dynamic => text,
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }
}
