using System.Globalization;
using System.Text;

namespace Tributary.Kql.Binding.Udfs;

/// <summary>One step of a <see cref="JsonPath"/>: a property name, or an array index when <see cref="Name"/> is null.</summary>
internal readonly record struct JsonPathStep(string? Name, int Index);

/// <summary>
/// A Kusto JSONPath as its steps from the root: <c>$.a.b</c>, <c>$['a b'][0]</c>, <c>$["a"]</c>. The bag functions also
/// take a plain key (text not starting with <c>$</c>) for the one top-level property of that name. Wildcards, slices and
/// recursive descent (<c>*</c>, <c>..</c>) are not supported. Immutable.
/// </summary>
internal sealed record JsonPath(IReadOnlyList<JsonPathStep> Steps)
{
    public bool HasIndex => Steps.Any(s => s.Name is null);

    /// <summary>Reads <paramref name="text"/>; with <paramref name="plainKey"/>, text not starting with '$' is one property name.</summary>
    /// <returns>The path, or null when the text is no JSONPath this reads.</returns>
    public static JsonPath? Parse(string text, bool plainKey)
    {
        if (!text.StartsWith('$'))
        {
            return plainKey ? new JsonPath([new JsonPathStep(text, 0)]) : null;
        }

        var steps = new List<JsonPathStep>();
        var i = 1;
        while (i < text.Length)
        {
            var step = text[i] switch
            {
                '.' => DotName(text, ref i),
                '[' => Bracket(text, ref i),
                _ => null,
            };
            if (step is null)
            {
                return null;
            }

            steps.Add(step.Value);
        }

        return new JsonPath(steps);
    }

    /// <summary>The path as a JSON pointer (RFC 6901): <c>/a/0/b</c>; the root is the empty pointer.</summary>
    public string ToPointer()
    {
        var pointer = new StringBuilder();
        foreach (var step in Steps)
        {
            pointer.Append('/').Append(step.Name is null
                ? step.Index.ToString(CultureInfo.InvariantCulture)
                : step.Name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal));
        }

        return pointer.ToString();
    }

    // .name: up to the next '.' or '['.
    private static JsonPathStep? DotName(string text, ref int i)
    {
        var start = ++i;
        while (i < text.Length && text[i] is not ('.' or '['))
        {
            i++;
        }

        var name = text[start..i];
        return name.Length == 0 || name == "*" ? null : new JsonPathStep(name, 0);
    }

    // ['name'], ["name"] (the name may hold any character but the quote followed by ']') or [index].
    private static JsonPathStep? Bracket(string text, ref int i)
    {
        if (i + 1 < text.Length && text[i + 1] is '\'' or '"')
        {
            var end = text.IndexOf(text[i + 1] + "]", i + 2, StringComparison.Ordinal);
            if (end < 0)
            {
                return null;
            }

            var name = text[(i + 2)..end];
            i = end + 2;
            return new JsonPathStep(name, 0);
        }

        var close = text.IndexOf(']', i);
        if (close < 0)
        {
            return null;
        }

        var inside = text[(i + 1)..close];
        i = close + 1;
        return int.TryParse(inside, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? new JsonPathStep(null, index) : null;
    }
}
