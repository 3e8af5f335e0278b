using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tributary.Kql;
using Tributary.Query;

namespace Tributary.Operations;

/// <summary>
/// The JSON the HTTP API speaks, shared by the server and the CLI's client so both read and write the same shapes.
/// </summary>
/// <remarks>
/// A query result is <c>{"columns":[{"name":…,"type":"datetime"}],"rows":[[…]],"render":…}</c>: datetimes as
/// ISO-8601 UTC with 7 fraction digits, timespans as <c>[-][d.]hh:mm:ss[.fffffff]</c>, guids and decimals as
/// strings, dynamic values as JSON, nulls as null. A named table has <c>"name"</c>; a query with several result
/// tables (fork, facet) gives the first as the object and the others, each of the same shape, in <c>"tables"</c>.
/// </remarks>
public static class WireJson
{
    /// <summary>How datetimes are written: ISO-8601 UTC with 7 fraction digits.</summary>
    public const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>Web defaults (camelCase), enums as names; text escaped only where JSON requires it (the API answers application/json, never HTML).</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new QueryResultConverter());
        options.Converters.Add(new UtcDateTimeConverter());
        return options;
    }

    /// <summary>Datetimes always as UTC ISO-8601 with 7 fraction digits; read back as UTC.</summary>
    private sealed class UtcDateTimeConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTime.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
            writer.WriteStringValue(DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString(DateTimeFormat, CultureInfo.InvariantCulture));
    }

    private sealed class QueryResultConverter : JsonConverter<QueryResult>
    {
        public override QueryResult Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            var columns = root.GetProperty("columns").EnumerateArray()
                .Select(c => new KqlColumn(c.GetProperty("name").GetString()!, KqlTypes.TryParse(c.GetProperty("type").GetString()!, out var t) ? t : KqlType.String))
                .ToList();
            var rows = new List<object?[]>();
            foreach (var row in root.GetProperty("rows").EnumerateArray())
            {
                var values = new object?[columns.Count];
                var i = 0;
                foreach (var cell in row.EnumerateArray())
                {
                    values[i] = FromJson(cell, columns[i].Type);
                    i++;
                }

                rows.Add(values);
            }

            RenderSpec? render = null;
            if (root.TryGetProperty("render", out var r) && r.ValueKind == JsonValueKind.Object)
            {
                render = new RenderSpec(r.GetProperty("kind").GetString()!, r.TryGetProperty("title", out var title) ? title.GetString() : null);
            }

            var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            var more = root.TryGetProperty("tables", out var tables) && tables.ValueKind == JsonValueKind.Array
                ? tables.EnumerateArray().Select(t => t.Deserialize<QueryResult>(options)!).ToList()
                : [];
            return new QueryResult(columns, rows, render) { Name = name, MoreTables = more };
        }

        public override void Write(Utf8JsonWriter writer, QueryResult value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("columns");
            foreach (var c in value.Columns)
            {
                writer.WriteStartObject();
                writer.WriteString("name", c.Name);
                writer.WriteString("type", KqlTypes.Name(c.Type));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("rows");
            foreach (var row in value.Rows)
            {
                writer.WriteStartArray();
                for (var i = 0; i < value.Columns.Count; i++)
                {
                    ToJson(writer, row[i], value.Columns[i].Type);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            if (value.Render is { } render)
            {
                writer.WriteStartObject("render");
                writer.WriteString("kind", render.Kind);
                if (render.Title is not null)
                {
                    writer.WriteString("title", render.Title);
                }

                writer.WriteEndObject();
            }

            if (value.Name is not null)
            {
                writer.WriteString("name", value.Name);
            }

            if (value.MoreTables.Count > 0)
            {
                // A query with several result tables (fork, facet): the first is this object, the others follow.
                writer.WriteStartArray("tables");
                foreach (var table in value.MoreTables)
                {
                    Write(writer, table, options);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        private static void ToJson(Utf8JsonWriter w, object? value, KqlType type)
        {
            switch (value)
            {
                case null:
                    w.WriteNullValue();
                    break;
                case string s when type == KqlType.Dynamic:
                    try
                    {
                        w.WriteRawValue(s);
                    }
                    catch (JsonException)
                    {
                        w.WriteStringValue(s);
                    }

                    break;
                case string s:
                    w.WriteStringValue(s);
                    break;
                case DateTime d:
                    w.WriteStringValue(DateTime.SpecifyKind(d, DateTimeKind.Utc).ToString(DateTimeFormat, CultureInfo.InvariantCulture));
                    break;
                case TimeSpan t:
                    w.WriteStringValue(t.ToString("c", CultureInfo.InvariantCulture));
                    break;
                case Guid g:
                    w.WriteStringValue(g.ToString("D"));
                    break;
                case decimal m:
                    w.WriteStringValue(m.ToString(CultureInfo.InvariantCulture));
                    break;
                case bool b:
                    w.WriteBooleanValue(b);
                    break;
                case int i:
                    w.WriteNumberValue(i);
                    break;
                case long l:
                    w.WriteNumberValue(l);
                    break;
                case double x when double.IsFinite(x):
                    w.WriteNumberValue(x);
                    break;
                case double x:
                    w.WriteStringValue(x.ToString(CultureInfo.InvariantCulture));
                    break;
                default:
                    w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
            }
        }

        private static object? FromJson(JsonElement e, KqlType type)
        {
            if (e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return type switch
            {
                KqlType.Dynamic => e.GetRawText(),
                KqlType.String => e.GetString() ?? "",
                KqlType.DateTime => DateTime.Parse(e.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                KqlType.TimeSpan => TimeSpan.ParseExact(e.GetString()!, "c", CultureInfo.InvariantCulture),
                KqlType.Guid => Guid.Parse(e.GetString()!),
                KqlType.Decimal => decimal.Parse(e.GetString()!, CultureInfo.InvariantCulture),
                KqlType.Bool => e.GetBoolean(),
                KqlType.Int => e.GetInt32(),
                KqlType.Long => e.GetInt64(),
                KqlType.Real => e.ValueKind == JsonValueKind.String ? double.Parse(e.GetString()!, CultureInfo.InvariantCulture) : e.GetDouble(),
                _ => e.GetRawText(),
            };
        }
    }
}
