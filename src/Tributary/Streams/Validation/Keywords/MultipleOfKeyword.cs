using System.Text.Json;
using Tributary.Streams.Validation.Internal;

namespace Tributary.Streams.Validation.Keywords;

/// <summary>multipleOf: the number divided by the (positive) divisor is an integer; exact in decimal when both fit one, else in double.</summary>
internal sealed class MultipleOfKeyword(JsonElement divisor) : Keyword
{
    private readonly bool _isDecimal = divisor.TryGetDecimal(out _);
    private readonly decimal _decimal = divisor.TryGetDecimal(out var d) ? d : 0;
    private readonly double _double = divisor.GetDouble();
    private readonly string _text = divisor.GetRawText();

    public override bool Validate(JsonElement instance, ref ValidationState state)
    {
        if (instance.ValueKind != JsonValueKind.Number)
        {
            return true;
        }

        bool ok;
        if (_isDecimal && instance.TryGetDecimal(out var value))
        {
            ok = value % _decimal == 0;
        }
        else
        {
            var quotient = instance.GetDouble() / _double;
            ok = double.IsFinite(quotient) && quotient == Math.Floor(quotient);
        }

        if (!ok && !state.Quiet)
        {
            state.Report($"{JsonText.Describe(instance)} is not a multiple of {_text}");
        }

        return ok;
    }
}
