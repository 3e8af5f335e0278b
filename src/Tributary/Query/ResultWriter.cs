using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Tributary.Kql;
using Tributary.Kql.Values;

namespace Tributary.Query;

/// <summary>Prints a <see cref="QueryResult"/> as a text table, CSV or JSON.</summary>
/// <remarks>
/// <para>Cell text comes from <see cref="KqlValueFormatter"/>, so every format agrees on how a
/// datetime, timespan or real looks; a null cell is empty text (JSON <c>null</c>).</para>
/// <para><see cref="OutputFormat.Table"/>: a header row of column names, a line of dashes, the rows,
/// columns two spaces apart; numbers (int, long, real, decimal) and timespans right-aligned, the rest
/// left-aligned; control characters, bidirectional controls and other text that could break the layout
/// or drive the terminal shown as visible escapes (<c>\n</c>, <c>\e</c>, <c>\x07</c> …); cells wider
/// than 200 columns cut and ended with <c>…</c>; then always a last line <c>(N rows)</c>, or
/// <c>(showing 12 of 14 rows)</c> when <see cref="WriteTable"/> shows only the first rows. The table is
/// for people; use CSV or JSON for programs.</para>
/// <para><see cref="OutputFormat.Csv"/>: RFC 4180 — header row, CRLF line ends, a field quoted (its
/// quotes doubled) when it holds a comma, quote, CR or LF. Values are not escaped otherwise.</para>
/// <para><see cref="OutputFormat.Json"/>: an indented array of one object per row, keyed by column
/// name, values as <see cref="KqlValueFormatter.WriteJson"/> writes them; non-ASCII text is left
/// readable, control and HTML-sensitive characters are <c>\u</c>-escaped.</para>
/// <para>The writer does not flush or close <c>output</c>. Stateless and thread-safe.</para>
/// </remarks>
public static class ResultWriter
{
    /// <summary>The widest a table cell may be, in terminal columns, before it is cut.</summary>
    internal const int MaxCellWidth = 200;

    private const int JsonFlushBytes = 32 * 1024;

    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        NewLine = "\n",
    };

    /// <summary>
    /// Writes <paramref name="result"/> to <paramref name="output"/> in <paramref name="format"/>. A result with several
    /// tables (fork, facet) is written table after table: as text and CSV each after a line with its name (or number)
    /// and a blank line between them, as JSON one array after another.
    /// </summary>
    public static void Write(QueryResult result, OutputFormat format, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        if (result.MoreTables.Count == 0)
        {
            WriteOne(result, format, output);
            return;
        }

        QueryResult[] tables = [result, .. result.MoreTables];
        for (var i = 0; i < tables.Length; i++)
        {
            if (format != OutputFormat.Json)
            {
                // CSV lines end in CRLF (RFC 4180), so its title lines do too.
                var newLine = format == OutputFormat.Csv ? "\r\n" : output.NewLine;
                output.Write($"{(i > 0 ? newLine : "")}[{tables[i].Name ?? $"table {i + 1}"}]{newLine}");
            }

            WriteOne(tables[i] with { MoreTables = [] }, format, output);
        }
    }

    private static void WriteOne(QueryResult result, OutputFormat format, TextWriter output)
    {
        switch (format)
        {
            case OutputFormat.Table:
                WriteTable(result, output);
                break;
            case OutputFormat.Csv:
                WriteCsv(result, output);
                break;
            case OutputFormat.Json:
                WriteJson(result, output);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown output format.");
        }
    }

    /// <summary>
    /// Writes at most <paramref name="maxRows"/> rows of <paramref name="result"/> as a text table. The last line
    /// says how many were shown of how many: <c>(N rows)</c> when that is all of them, else
    /// <c>(showing 12 of 14 rows)</c>.
    /// </summary>
    public static void WriteTable(QueryResult result, TextWriter output, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRows);
        if (result.Rows.Count <= maxRows)
        {
            WriteTable(result, output);
            return;
        }

        WriteTable(result with { Rows = result.Rows.Take(maxRows).ToList() }, output, $"(showing {maxRows:N0} of {result.Rows.Count:N0} rows)");
    }

    private static void WriteTable(QueryResult result, TextWriter output, string? footer = null)
    {
        var columns = result.Columns;
        var count = columns.Count;
        if (count > 0)
        {
            var header = new string[count];
            var widths = new int[count];
            var rightAligned = new bool[count];
            for (var c = 0; c < count; c++)
            {
                header[c] = TableCell(columns[c].Name);
                widths[c] = TerminalText.Width(header[c]);
                rightAligned[c] = KqlTypes.IsNumeric(columns[c].Type) || columns[c].Type == KqlType.TimeSpan;
            }

            var cells = new string[result.Rows.Count][];
            for (var r = 0; r < cells.Length; r++)
            {
                var row = result.Rows[r];
                var line = cells[r] = new string[count];
                for (var c = 0; c < count; c++)
                {
                    line[c] = TableCell(KqlValueFormatter.Format(Cell(row, c), columns[c].Type));
                    widths[c] = Math.Max(widths[c], TerminalText.Width(line[c]));
                }
            }

            var builder = new StringBuilder();
            WriteTableLine(output, builder, header, widths, rightAligned);
            WriteTableLine(output, builder, Array.ConvertAll(widths, w => new string('-', w)), widths, rightAligned);
            foreach (var line in cells)
            {
                WriteTableLine(output, builder, line, widths, rightAligned);
            }
        }

        output.WriteLine(footer ?? $"({result.Rows.Count} rows)");
    }

    private static string TableCell(string text) => TerminalText.Truncate(TerminalText.Escape(text), MaxCellWidth);

    private static void WriteTableLine(TextWriter output, StringBuilder builder, string[] cells, int[] widths, bool[] rightAligned)
    {
        builder.Clear();
        for (var c = 0; c < cells.Length; c++)
        {
            if (c > 0)
            {
                builder.Append("  ");
            }

            var padding = widths[c] - TerminalText.Width(cells[c]);
            if (rightAligned[c])
            {
                builder.Append(' ', padding).Append(cells[c]);
            }
            else
            {
                builder.Append(cells[c]).Append(' ', padding);
            }
        }

        var end = builder.Length;
        while (end > 0 && builder[end - 1] == ' ')
        {
            end--;
        }

        builder.Length = end;
        output.WriteLine(builder);
    }

    private static void WriteCsv(QueryResult result, TextWriter output)
    {
        var columns = result.Columns;
        if (columns.Count == 0)
        {
            return;
        }

        for (var c = 0; c < columns.Count; c++)
        {
            WriteCsvField(output, c, columns[c].Name);
        }

        output.Write("\r\n");
        foreach (var row in result.Rows)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                WriteCsvField(output, c, KqlValueFormatter.Format(Cell(row, c), columns[c].Type));
            }

            output.Write("\r\n");
        }
    }

    private static void WriteCsvField(TextWriter output, int index, string text)
    {
        if (index > 0)
        {
            output.Write(',');
        }

        if (text.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            output.Write(text);
            return;
        }

        output.Write('"');
        output.Write(text.Replace("\"", "\"\"", StringComparison.Ordinal));
        output.Write('"');
    }

    private static void WriteJson(QueryResult result, TextWriter output)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using var writer = new Utf8JsonWriter(buffer, JsonOptions);
        var columns = result.Columns;
        writer.WriteStartArray();
        foreach (var row in result.Rows)
        {
            writer.WriteStartObject();
            for (var c = 0; c < columns.Count; c++)
            {
                writer.WritePropertyName(columns[c].Name);
                KqlValueFormatter.WriteJson(writer, Cell(row, c), columns[c].Type);
            }

            writer.WriteEndObject();

            // Implementation note: drain the buffer per row so a large result is never held twice in memory.
            if (writer.BytesPending + buffer.WrittenCount >= JsonFlushBytes)
            {
                Drain(writer, buffer, output);
            }
        }

        writer.WriteEndArray();
        Drain(writer, buffer, output);
        output.Write('\n');
    }

    private static void Drain(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, TextWriter output)
    {
        writer.Flush();
        output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        buffer.ResetWrittenCount();
    }

    private static object? Cell(object?[] row, int index) => index < row.Length ? row[index] : null;
}
