using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tributary.Kql.Values;

/// <summary>make_bag's merge: the properties of many property bags in one. Pure and thread-safe.</summary>
internal static class PropertyBags
{
    /// <summary>
    /// One bag with every key of <paramref name="bags"/> (JSON texts; values that are not property bags are skipped),
    /// at most <paramref name="maxSize"/> keys. A key in several bags keeps its first value (Kusto picks any one).
    /// </summary>
    public static string Merge(IEnumerable<string?> bags, long maxSize)
    {
        var properties = new List<(string Name, string Value)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in bags)
        {
            if (TryParseObject(text) is not { } doc)
            {
                continue;
            }

            using (doc)
            {
                foreach (var property in doc.RootElement.EnumerateObject())
                {
                    if (properties.Count < maxSize && seen.Add(property.Name))
                    {
                        properties.Add((property.Name, property.Value.GetRawText()));
                    }
                }
            }
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in properties)
            {
                writer.WritePropertyName(name);
                writer.WriteRawValue(value, skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static JsonDocument? TryParseObject(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                return doc;
            }

            doc.Dispose();
        }
        catch (JsonException)
        {
            // Not JSON: not a bag.
        }

        return null;
    }
}
