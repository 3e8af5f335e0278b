using System.Text.Json;
using Tributary.Streams.Validation.Internal;

namespace Tributary.Streams.Validation.Keywords;

/// <summary>
/// minimum or maximum, with draft-04's boolean exclusiveMinimum/exclusiveMaximum. Compared exactly as
/// decimals when both numbers fit one, else as doubles.
/// </summary>
internal sealed class NumberBoundKeyword(JsonElement limit, bool isMaximum, bool exclusive) : Keyword
{
    private readonly bool _limitIsDecimal = limit.TryGetDecimal(out _);
    private readonly decimal _decimal = limit.TryGetDecimal(out var d) ? d : 0;
    private readonly double _double = limit.GetDouble();
    private readonly string _text = limit.GetRawText();

    public override bool Validate(JsonElement instance, ref ValidationState state)
    {
        if (instance.ValueKind != JsonValueKind.Number)
        {
            return true;
        }

        var order = _limitIsDecimal && instance.TryGetDecimal(out var value) ? value.CompareTo(_decimal) : instance.GetDouble().CompareTo(_double);
        var ok = isMaximum ? (exclusive ? order < 0 : order <= 0) : (exclusive ? order > 0 : order >= 0);
        if (!ok && !state.Quiet)
        {
            var relation = isMaximum ? (exclusive ? "greater than or equal to" : "greater than") : (exclusive ? "less than or equal to" : "less than");
            state.Report($"{JsonText.Describe(instance)} is {relation} the {(isMaximum ? "maximum" : "minimum")} of {_text}");
        }

        return ok;
    }
}
