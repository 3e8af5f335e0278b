using System.Text.Json;

namespace Tributary.Streams.Processors;

/// <summary>
/// A dotted path into a JSON object (<c>eid</c>, <c>actor.id</c>, <c>context.pdata.id</c>, <c>edata.items.0</c>);
/// <c>$</c> is the whole document. Immutable and thread-safe.
/// </summary>
public sealed class JsonPath
{
    private readonly string[] _steps;

    private JsonPath(string text, string[] steps)
    {
        Text = text;
        _steps = steps;
    }

    public string Text { get; }

    /// <summary>Parses a path.</summary>
    /// <exception cref="ArgumentException">Empty, or with an empty step.</exception>
    public static JsonPath Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text == "$")
        {
            return new JsonPath(text, []);
        }

        var steps = text.Split('.');
        if (text.Length == 0 || steps.Any(s => s.Length == 0))
        {
            throw new ArgumentException($"'{text}' is not a field path (names joined by dots, e.g. actor.id; $ for the whole event)");
        }

        return new JsonPath(text, steps);
    }

    /// <summary>The value at the path, or false when a step is missing (or steps into a value that is not an object or array).</summary>
    public bool TryGet(JsonElement root, out JsonElement value)
    {
        value = root;
        foreach (var step in _steps)
        {
            if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty(step, out var next))
            {
                value = next;
            }
            else if (value.ValueKind == JsonValueKind.Array && int.TryParse(step, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < value.GetArrayLength())
            {
                value = value[i];
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The value as text: a string's content, another value's JSON; null when missing or JSON null.</summary>
    public string? GetText(JsonElement root) =>
        TryGet(root, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Null => null,
            _ => v.GetRawText(),
        } : null;

    public override string ToString() => Text;
}
