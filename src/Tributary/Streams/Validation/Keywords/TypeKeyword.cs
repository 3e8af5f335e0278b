using System.Text.Json;
using Tributary.Streams.Validation.Internal;

namespace Tributary.Streams.Validation.Keywords;

/// <summary>type: the value is of one of the allowed types; "integer" is a number written without fraction or exponent, and "number" includes integers.</summary>
internal sealed class TypeKeyword(JsonTypes allowed, string names) : Keyword
{
    public JsonTypes Allowed { get; } = allowed;

    public override bool Validate(JsonElement instance, ref ValidationState state)
    {
        var ok = instance.ValueKind switch
        {
            JsonValueKind.Object => (Allowed & JsonTypes.Object) != 0,
            JsonValueKind.String => (Allowed & JsonTypes.String) != 0,
            JsonValueKind.Number => (Allowed & JsonTypes.Number) != 0 || ((Allowed & JsonTypes.Integer) != 0 && JsonText.IsIntegerLiteral(instance)),
            JsonValueKind.Array => (Allowed & JsonTypes.Array) != 0,
            JsonValueKind.True or JsonValueKind.False => (Allowed & JsonTypes.Boolean) != 0,
            JsonValueKind.Null => (Allowed & JsonTypes.Null) != 0,
            _ => false,
        };
        if (!ok && !state.Quiet)
        {
            state.Report($"{JsonText.Describe(instance)} is not of type {names}");
        }

        return ok;
    }
}
