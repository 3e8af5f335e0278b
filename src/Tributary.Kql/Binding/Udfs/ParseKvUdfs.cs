using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding.Udfs;

/// <summary>
/// <c>parse-kv</c> with delimiters or with none: <c>kql_parse_kv(text, spec)</c> gives the listed keys found in the text
/// and their values as a JSON object of strings (<see cref="KeyValueScanner"/>); the translator writes the spec
/// (<see cref="Spec"/>) as a constant.
/// </summary>
internal static class ParseKvUdfs
{
    public const string Name = "kql_parse_kv";

    // A query uses a handful of specs; the cache is cleared rather than grown past this.
    private const int MaxCachedSpecs = 64;

    private static readonly ConcurrentDictionary<string, KeyValueScanner> Scanners = new(StringComparer.Ordinal);

    public static IReadOnlyList<ScalarUdf> All { get; } =
    [
        ScalarUdf.Create<string, string, string>(Name, (text, spec) => KeyValueScanner.ToJson(ScannerFor(spec).Scan(text))),
    ];

    /// <summary>The spec of a parse-kv: its keys and options as JSON.</summary>
    public static string Spec(IEnumerable<string> keys, ParseKvOptions options)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            WriteArray(writer, "keys", keys);
            writer.WriteString("pair", options.PairDelimiter);
            writer.WriteString("kv", options.KvDelimiter);
            WriteArray(writer, "quotes", options.Quotes);
            WriteArray(writer, "escapes", options.Escapes);
            writer.WriteBoolean("greedy", options.Greedy);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var v in values)
        {
            writer.WriteStringValue(v);
        }

        writer.WriteEndArray();
    }

    private static KeyValueScanner ScannerFor(string spec)
    {
        if (Scanners.TryGetValue(spec, out var cached))
        {
            return cached;
        }

        if (Scanners.Count >= MaxCachedSpecs)
        {
            Scanners.Clear();
        }

        return Scanners.GetOrAdd(spec, Parse);
    }

    private static KeyValueScanner Parse(string spec)
    {
        using var doc = JsonDocument.Parse(spec);
        var root = doc.RootElement;
        return new KeyValueScanner(
            Strings(root, "keys"),
            root.GetProperty("pair").GetString(),
            root.GetProperty("kv").GetString(),
            Strings(root, "quotes"),
            Strings(root, "escapes").Select(e => e[0]),
            root.GetProperty("greedy").GetBoolean());
    }

    private static List<string> Strings(JsonElement root, string name) =>
        root.GetProperty(name).EnumerateArray().Select(e => e.GetString() ?? "").ToList();
}
