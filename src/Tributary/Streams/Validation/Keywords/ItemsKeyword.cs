using System.Text.Json;
using Tributary.Streams.Validation.Internal;

namespace Tributary.Streams.Validation.Keywords;

/// <summary>
/// items with additionalItems: every item against one schema, or (items as an array) item i against schema i
/// and the items past the list against additionalItems (false: not allowed, reported at the array).
/// </summary>
internal sealed class ItemsKeyword(SchemaNode? all, SchemaNode[]? positional, bool additionalAllowed, SchemaNode? additionalSchema) : Keyword
{
    public override bool Validate(JsonElement instance, ref ValidationState state)
    {
        if (instance.ValueKind != JsonValueKind.Array)
        {
            return true;
        }

        var index = 0;
        foreach (var item in instance.EnumerateArray())
        {
            var schema = all ?? (index < positional!.Length ? positional[index] : additionalSchema);
            if (schema is not null)
            {
                if (!schema.Validate(item, ref state))
                {
                    return state.ChildFailed(index);
                }
            }
            else if (!additionalAllowed)
            {
                if (!state.Quiet)
                {
                    state.Report($"Additional items are not allowed (item {index} of {instance.GetArrayLength()}; the schema lists {positional!.Length})");
                }

                return false;
            }

            index++;
        }

        return true;
    }
}
