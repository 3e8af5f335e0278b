using System.Text.Json;
using Tributary.Streams.Validation.Internal;

namespace Tributary.Streams.Validation.Keywords;

/// <summary>required: an object has every listed property. One pass over the object's properties; the first missing name in the schema's order is reported, at the object.</summary>
internal sealed class RequiredKeyword : Keyword
{
    private readonly string[] _names;
    private readonly Utf8NameMap<int> _indexes;

    public RequiredKeyword(string[] names)
    {
        _names = names;
        _indexes = new Utf8NameMap<int>(names.Select((n, i) => KeyValuePair.Create(n, i)).ToList());
    }

    /// <summary>The names, in the schema's order.</summary>
    public IReadOnlyList<string> Names => _names;

    public override bool Validate(JsonElement instance, ref ValidationState state)
    {
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        Span<bool> seen = _names.Length <= 256 ? stackalloc bool[_names.Length] : new bool[_names.Length];
        var found = 0;
        foreach (var property in instance.EnumerateObject())
        {
            if (_indexes.TryGetValue(JsonText.Name(property), out var index) && !seen[index])
            {
                seen[index] = true;
                if (++found == _names.Length)
                {
                    return true;
                }
            }
        }

        if (!state.Quiet)
        {
            state.Report($"{JsonText.Quote(_names[seen.IndexOf(false)])} is a required property");
        }

        return false;
    }
}
