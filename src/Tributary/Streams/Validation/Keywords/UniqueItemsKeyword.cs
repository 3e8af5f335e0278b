using System.Buffers;
using System.Text.Json;
using Tributary.Streams.Validation.Internal;

namespace Tributary.Streams.Validation.Keywords;

/// <summary>uniqueItems true: no two items of an array are equal (JSON equality, as enum). Pairwise, so quadratic in the array's length.</summary>
internal sealed class UniqueItemsKeyword : Keyword
{
    public override bool Validate(JsonElement instance, ref ValidationState state)
    {
        if (instance.ValueKind != JsonValueKind.Array)
        {
            return true;
        }

        var count = instance.GetArrayLength();
        if (count < 2)
        {
            return true;
        }

        var items = ArrayPool<JsonElement>.Shared.Rent(count);
        try
        {
            var n = 0;
            foreach (var item in instance.EnumerateArray())
            {
                items[n++] = item;
            }

            for (var i = 1; i < n; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    if (items[i].ValueKind == items[j].ValueKind && JsonElement.DeepEquals(items[i], items[j]))
                    {
                        if (!state.Quiet)
                        {
                            state.Report($"{JsonText.Describe(instance)} has non-unique elements (items {j} and {i} are equal)");
                        }

                        return false;
                    }
                }
            }

            return true;
        }
        finally
        {
            ArrayPool<JsonElement>.Shared.Return(items, clearArray: true);
        }
    }
}
