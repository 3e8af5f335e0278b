using System.Text.Json;
using Tributary.Streams.Validation.Internal;

namespace Tributary.Streams.Validation.Keywords;

/// <summary>What a <see cref="SizeKeyword"/> counts.</summary>
internal enum SizeOf
{
    /// <summary>minLength/maxLength: Unicode code points of a string.</summary>
    StringLength,

    /// <summary>minItems/maxItems: items of an array.</summary>
    Items,

    /// <summary>minProperties/maxProperties: properties of an object.</summary>
    Properties,
}

/// <summary>minLength, maxLength, minItems, maxItems, minProperties, maxProperties: a bound (inclusive) on a size.</summary>
internal sealed class SizeKeyword(SizeOf what, long limit, bool isMaximum) : Keyword
{
    public override bool Validate(JsonElement instance, ref ValidationState state)
    {
        long size;
        switch (what)
        {
            case SizeOf.StringLength when instance.ValueKind == JsonValueKind.String:
                // Counting stops as soon as the bound is decided; a failed maximum is counted in full for the message.
                size = JsonText.CodePointLength(instance, isMaximum ? (limit == long.MaxValue ? limit : limit + 1) : limit);
                if (isMaximum && size > limit && !state.Quiet)
                {
                    size = JsonText.CodePointLength(instance);
                }

                break;
            case SizeOf.Items when instance.ValueKind == JsonValueKind.Array:
                size = instance.GetArrayLength();
                break;
            case SizeOf.Properties when instance.ValueKind == JsonValueKind.Object:
                size = instance.GetPropertyCount();
                break;
            default:
                return true;
        }

        if (isMaximum ? size <= limit : size >= limit)
        {
            return true;
        }

        if (!state.Quiet)
        {
            var unit = what switch
            {
                SizeOf.StringLength => "characters",
                SizeOf.Items => "items",
                _ => "properties",
            };
            state.Report($"{JsonText.Describe(instance)} has {size} {unit}, {(isMaximum ? "more" : "fewer")} than the {(isMaximum ? "maximum" : "minimum")} of {limit}");
        }

        return false;
    }
}
