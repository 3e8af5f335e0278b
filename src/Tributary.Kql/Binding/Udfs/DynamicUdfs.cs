using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tributary.Kql.Binding.Udfs;

/// <summary>
/// Property bag edits by JSONPath (<see cref="JsonPath"/>), treepath and the canonical JSON of dynamic_to_json, on JSON
/// text. Every function gives null for a null or unreadable argument, and the bag functions for a value that is not a
/// property bag; none throws.
/// </summary>
internal static class DynamicUdfs
{
    public static IReadOnlyList<ScalarUdf> All { get; } =
    [
        ScalarUdf.Create<string?, string?, bool>("kql_bag_has_key", (bag, key) => Safely(() => HasKey(bag, key))),
        ScalarUdf.Create<string?, string?, string?>("kql_bag_remove_keys", (bag, keys) => Safely(() => RemoveKeys(bag, keys))),
        ScalarUdf.Create<string?, string?, string?, string?>("kql_bag_set_key", (bag, key, value) => Safely(() => SetKey(bag, key, value))),
        ScalarUdf.Create<string?, string?>("kql_treepath", json => Safely(() => TreePath(json))),
        ScalarUdf.Create<string?, string?>("kql_canonical_json", json => Safely(() => CanonicalJson(json))),
    ];

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Runs <paramref name="function"/>, giving the default (null, false) where it fails on the data: JsonNode reads a bag
    /// with a repeated key (which DuckDB's JSON allows) but fails when it is used.
    /// </summary>
    private static T? Safely<T>(Func<T?> function)
    {
        try
        {
            return function();
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return default;
        }
    }

    /// <summary>True when the bag has the key (a plain top-level key or a JSONPath of property names).</summary>
    private static bool HasKey(string? bag, string? key) =>
        Bag(bag) is { } root && BagPath(key) is { } path && Parent(root, path, create: false) is { } parent && parent.ContainsKey(path.Steps[^1].Name!);

    /// <summary>The bag without the keys of the JSON array <paramref name="keys"/>; a key that is no path is ignored.</summary>
    private static string? RemoveKeys(string? bag, string? keys)
    {
        if (Bag(bag) is not { } root || Read(keys) is not JsonArray list)
        {
            return null;
        }

        foreach (var key in list)
        {
            if (key?.GetValueKind() == JsonValueKind.String && BagPath(key.GetValue<string>()) is { } path)
            {
                Parent(root, path, create: false)?.Remove(path.Steps[^1].Name!);
            }
        }

        return root.ToJsonString(Compact);
    }

    /// <summary>The bag with the key set to the JSON <paramref name="value"/> (null when it is null), creating the bags on its path.</summary>
    private static string? SetKey(string? bag, string? key, string? value)
    {
        if (Bag(bag) is not { } root || BagPath(key) is not { } path)
        {
            return null;
        }

        var parent = Parent(root, path, create: true)!;
        parent[path.Steps[^1].Name!] = value is null ? null : Read(value);
        return root.ToJsonString(Compact);
    }

    /// <summary>
    /// The paths of every node below the root, as <c>['a']['b']</c>; the elements of an array all stand at <c>[0]</c>,
    /// so an array contributes its index once and the paths within its elements. In document order, without repeats.
    /// </summary>
    private static string? TreePath(string? json)
    {
        if (Read(json) is not { } root || root.GetValueKind() is not (JsonValueKind.Object or JsonValueKind.Array))
        {
            return null;
        }

        var paths = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Walk(JsonNode? node, string prefix)
        {
            IEnumerable<(string Path, JsonNode? Child)> children = node switch
            {
                JsonObject o => o.Select(p => ($"{prefix}['{p.Key}']", p.Value)),
                JsonArray a => a.Select(e => ($"{prefix}[0]", e)),
                _ => [],
            };
            foreach (var (path, child) in children)
            {
                if (seen.Add(path))
                {
                    paths.Add(path);
                }

                Walk(child, path);
            }
        }

        Walk(root, "");
        return paths.ToJsonString(Compact);
    }

    /// <summary>The JSON with every bag's properties sorted by name (ordinal), without white space.</summary>
    private static string? CanonicalJson(string? json) => Read(json) is { } node ? Sorted(node)?.ToJsonString(Compact) : json is null ? null : "null";

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        _ => node?.DeepClone(),
    };

    /// <summary>The bag holding the last step's property: null when a step is missing or not a bag, unless <paramref name="create"/> makes it.</summary>
    private static JsonObject? Parent(JsonObject root, JsonPath path, bool create)
    {
        var bag = root;
        foreach (var step in path.Steps.Take(path.Steps.Count - 1))
        {
            if (bag[step.Name!] is JsonObject next)
            {
                bag = next;
            }
            else if (create)
            {
                next = [];
                bag[step.Name!] = next;
                bag = next;
            }
            else
            {
                return null;
            }
        }

        return bag;
    }

    /// <summary>A bag function's key as a path of property names, or null when it indexes an array or names the root.</summary>
    public static JsonPath? BagPath(string? key) =>
        key is not null && JsonPath.Parse(key, plainKey: true) is { Steps.Count: > 0, HasIndex: false } path ? path : null;

    private static JsonObject? Bag(string? json) => Read(json) as JsonObject;

    private static JsonNode? Read(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
