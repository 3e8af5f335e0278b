using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tributary.Kql.Values;

/// <summary>
/// buildschema's schema: the smallest one that admits every value. A scalar is its type name (long, double, string,
/// bool), a property bag is a bag of its properties' schemas, an array is <c>{"`indexer`": schema of the elements}</c>,
/// and a place that holds values of several kinds lists them, in the order first seen. Nulls add nothing.
/// Not thread-safe while built.
/// </summary>
internal sealed class DynamicSchema
{
    private const string Indexer = "`indexer`";

    // Each kind seen here, in order: a type name (string), a bag (Dictionary of schemas) or an array (its element schema).
    private readonly List<object> _kinds = [];

    /// <summary>The schema of <paramref name="values"/> (JSON texts; text that is not JSON counts as a string) as JSON.</summary>
    public static string Of(IEnumerable<string?> values)
    {
        var schema = new DynamicSchema();
        foreach (var text in values)
        {
            if (text is null)
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(text);
                schema.Add(doc.RootElement);
            }
            catch (JsonException)
            {
                schema.AddScalar("string");
            }
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            schema.Write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private void Add(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var bag = _kinds.OfType<OrderedProperties>().FirstOrDefault() ?? Added(new OrderedProperties());
                foreach (var property in value.EnumerateObject())
                {
                    bag.Get(property.Name).Add(property.Value);
                }

                break;
            case JsonValueKind.Array:
                var elements = _kinds.OfType<DynamicSchema>().FirstOrDefault() ?? Added(new DynamicSchema());
                foreach (var element in value.EnumerateArray())
                {
                    elements.Add(element);
                }

                break;
            case JsonValueKind.Number:
                AddScalar(value.TryGetInt64(out _) ? "long" : "double");
                break;
            case JsonValueKind.String:
                AddScalar("string");
                break;
            case JsonValueKind.True or JsonValueKind.False:
                AddScalar("bool");
                break;
        }
    }

    private void AddScalar(string type)
    {
        if (!_kinds.Contains(type))
        {
            _kinds.Add(type);
        }
    }

    private T Added<T>(T kind)
        where T : class
    {
        _kinds.Add(kind);
        return kind;
    }

    private void Write(Utf8JsonWriter writer)
    {
        if (_kinds.Count == 1)
        {
            WriteKind(writer, _kinds[0]);
            return;
        }

        writer.WriteStartArray();
        foreach (var kind in _kinds)
        {
            WriteKind(writer, kind);
        }

        writer.WriteEndArray();
    }

    private static void WriteKind(Utf8JsonWriter writer, object kind)
    {
        switch (kind)
        {
            case string type:
                writer.WriteStringValue(type);
                break;
            case OrderedProperties bag:
                writer.WriteStartObject();
                foreach (var (name, schema) in bag.All)
                {
                    writer.WritePropertyName(name);
                    schema.Write(writer);
                }

                writer.WriteEndObject();
                break;
            case DynamicSchema elements:
                writer.WriteStartObject();
                writer.WritePropertyName(Indexer);
                elements.Write(writer);
                writer.WriteEndObject();
                break;
        }
    }

    /// <summary>A bag's properties and their schemas, in the order first seen.</summary>
    private sealed class OrderedProperties
    {
        private readonly Dictionary<string, DynamicSchema> _byName = new(StringComparer.Ordinal);

        public List<(string Name, DynamicSchema Schema)> All { get; } = [];

        public DynamicSchema Get(string name)
        {
            if (!_byName.TryGetValue(name, out var schema))
            {
                schema = _byName[name] = new DynamicSchema();
                All.Add((name, schema));
            }

            return schema;
        }
    }
}
