using System.Text.Json;
using Tributary.Streams.Validation.Internal;

namespace Tributary.Streams.Validation.Keywords;

/// <summary>enum: the value equals one of the listed values (JSON equality: numbers by value, 1 equals 1.0; strings after unescaping; objects regardless of member order).</summary>
internal sealed class EnumKeyword : Keyword
{
    private readonly JsonElement[] _values;
    private readonly byte[][]? _strings;
    private readonly string _listed;

    /// <summary>Takes values that outlive their document (cloned).</summary>
    public EnumKeyword(JsonElement[] values, string listed)
    {
        _values = values;
        _listed = listed;
        if (values.All(v => v.ValueKind == JsonValueKind.String))
        {
            _strings = values.Select(v => System.Text.Encoding.UTF8.GetBytes(v.GetString()!)).ToArray();
        }
    }

    public override bool Validate(JsonElement instance, ref ValidationState state)
    {
        if (_strings is not null)
        {
            if (instance.ValueKind == JsonValueKind.String)
            {
                foreach (var s in _strings)
                {
                    if (instance.ValueEquals(s))
                    {
                        return true;
                    }
                }
            }
        }
        else
        {
            foreach (var v in _values)
            {
                if (JsonElement.DeepEquals(instance, v))
                {
                    return true;
                }
            }
        }

        if (!state.Quiet)
        {
            state.Report($"{JsonText.Describe(instance)} is not one of {_listed}");
        }

        return false;
    }
}
