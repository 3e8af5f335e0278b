using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Tributary.Kql;

namespace Tributary.Demo;

/// <summary>Writes generated rows as CSV or JSON lines, in the text forms <see cref="DemoBatch"/> documents.</summary>
internal static class DemoFiles
{
    private const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary><c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>.</summary>
    public static string FormatDateTime(DateTime value) => value.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    /// <summary><c>[-][d.]hh:mm:ss.fffffff</c>: the day part only when there is one, the fraction always.</summary>
    public static string FormatTimeSpan(TimeSpan value)
    {
        var sign = value < TimeSpan.Zero ? "-" : "";
        var ticks = Math.Abs(value.Ticks);
        var days = ticks / TimeSpan.TicksPerDay;
        var rest = new TimeSpan(ticks % TimeSpan.TicksPerDay);
        var clock = rest.ToString(@"hh\:mm\:ss\.fffffff", CultureInfo.InvariantCulture);
        return days > 0 ? $"{sign}{days.ToString(CultureInfo.InvariantCulture)}.{clock}" : sign + clock;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteCsv(string path, TableSchema schema, IReadOnlyList<object?[]> rows)
    {
        using var writer = new StreamWriter(path, append: false, Utf8, bufferSize: 1 << 16);
        Span<char> buffer = stackalloc char[64];
        for (var i = 0; i < schema.Columns.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            WriteField(writer, schema.Columns[i].Name);
        }

        writer.Write('\n');
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0)
                {
                    writer.Write(',');
                }

                switch (row[i])
                {
                    case string text:
                        WriteField(writer, text);
                        break;
                    case DateTime t when t.TryFormat(buffer, out var written, DateTimeFormat, CultureInfo.InvariantCulture):
                        writer.Write(buffer[..written]);
                        break;
                    case int n when n.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture):
                        writer.Write(buffer[..written]);
                        break;
                    case var value:
                        WriteField(writer, FormatScalar(schema.Columns[i].Type, value));
                        break;
                }
            }

            writer.Write('\n');
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteJsonLines(string path, TableSchema schema, IReadOnlyList<object?[]> rows)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { SkipValidation = true });
        var newline = "\n"u8.ToArray();
        foreach (var row in rows)
        {
            json.WriteStartObject();
            for (var i = 0; i < schema.Columns.Count; i++)
            {
                var column = schema.Columns[i];
                json.WritePropertyName(column.Name);
                var value = row[i];
                switch (column.Type)
                {
                    case KqlType.Dynamic when value is string text:
                        json.WriteRawValue(text, skipInputValidation: true);
                        break;
                    case KqlType.Int or KqlType.Long or KqlType.Real or KqlType.Decimal or KqlType.Bool when value is not null:
                        json.WriteRawValue(FormatScalar(column.Type, value), skipInputValidation: true);
                        break;
                    case KqlType.String:
                        json.WriteStringValue((string?)value ?? "");
                        break;
                    default:
                        if (value is null)
                        {
                            json.WriteNullValue();
                        }
                        else
                        {
                            json.WriteStringValue(FormatScalar(column.Type, value));
                        }

                        break;
                }
            }

            json.WriteEndObject();
            json.Flush();
            stream.Write(newline);
            json.Reset();
        }
    }

    private static string FormatScalar(KqlType type, object? value) => value switch
    {
        null => "",
        string s => s,
        DateTime t => FormatDateTime(t),
        TimeSpan t => FormatTimeSpan(t),
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"Cannot write a {value.GetType().Name} to a {KqlTypes.Name(type)} column.", nameof(value)),
    };

    /// <summary>RFC 4180: a field with a comma, a quote, a line break or edge spaces is quoted, its quotes doubled.</summary>
    private static void WriteField(StreamWriter writer, string field)
    {
        if (field.Length == 0 || (field.AsSpan().IndexOfAny(",\"\r\n") < 0 && field[0] != ' ' && field[^1] != ' '))
        {
            writer.Write(field);
            return;
        }

        writer.Write('"');
        writer.Write(field.Contains('"') ? field.Replace("\"", "\"\"") : field);
        writer.Write('"');
    }
}
