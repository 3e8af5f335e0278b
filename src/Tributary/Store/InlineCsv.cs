using System.Text;
using Tributary.Kql;
using Tributary.Kql.Values;

namespace Tributary.Store;

/// <summary>
/// Parses the data of <c>.ingest inline</c>: CSV without a header, fields mapped to the table's
/// columns by position (RFC 4180 quoting; a record may not have more fields than the table has columns).
/// </summary>
internal static class InlineCsv
{
    public static List<object?[]> Parse(string data, TableSchema table)
    {
        var rows = new List<object?[]>();
        var line = 1;
        var pos = 0;
        while (pos < data.Length)
        {
            var startLine = line;
            var fields = ReadRecord(data, ref pos, ref line);
            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue;
            }

            if (fields.Count > table.Columns.Count)
            {
                throw new StoreException($"line {startLine}: {fields.Count} fields but table '{table.Name}' has {table.Columns.Count} columns ({table.CslSchema})");
            }

            var row = new object?[table.Columns.Count];
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var column = table.Columns[i];
                var text = i < fields.Count ? fields[i] : "";
                if (!KqlValueParser.TryParse(text, column.Type, out var value))
                {
                    throw new StoreException($"line {startLine}, column '{column.Name}': '{Truncate(text)}' is not a valid {KqlTypes.Name(column.Type)}{Hint(column.Type)}");
                }

                row[i] = value;
            }

            rows.Add(row);
        }

        return rows;
    }

    internal static string Hint(KqlType type) => type switch
    {
        KqlType.DateTime => " (expected ISO 8601 like 2019-05-21T19:25:39Z)",
        KqlType.TimeSpan => " (expected [d.]hh:mm:ss[.fffffff] or a literal like 10m)",
        KqlType.Bool => " (expected true or false)",
        KqlType.Guid => " (expected a GUID like 3f576830-2d8f-481b-8448-bca561090831)",
        _ => "",
    };

    private static string Truncate(string text) => text.Length > 100 ? text[..100] + "…" : text;

    private static List<string> ReadRecord(string data, ref int pos, ref int line)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        var fieldStart = true;
        while (pos < data.Length)
        {
            var c = data[pos++];
            if (quoted)
            {
                if (c == '"')
                {
                    if (pos < data.Length && data[pos] == '"')
                    {
                        sb.Append('"');
                        pos++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    sb.Append(c);
                }

                continue;
            }

            if (c == '"' && fieldStart)
            {
                quoted = true;
                fieldStart = false;
                continue;
            }

            if (c == ',')
            {
                fields.Add(sb.ToString());
                sb.Clear();
                fieldStart = true;
                continue;
            }

            if (c == '\r' && pos < data.Length && data[pos] == '\n')
            {
                continue;
            }

            if (c == '\n')
            {
                line++;
                break;
            }

            sb.Append(c);
            fieldStart = false;
        }

        if (quoted)
        {
            throw new StoreException($"line {line}: a quoted field is not closed");
        }

        fields.Add(sb.ToString());
        return fields;
    }
}
