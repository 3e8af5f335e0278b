using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tributary.Streams.Validation.Internal;

namespace Tributary.Streams.Validation.Keywords;

/// <summary>pattern: a string matches the regular expression somewhere (unanchored, see <see cref="Patterns"/>).</summary>
internal sealed class PatternKeyword(Regex pattern, string source) : Keyword
{
    public override bool Validate(JsonElement instance, ref ValidationState state)
    {
        if (instance.ValueKind != JsonValueKind.String)
        {
            return true;
        }

        bool ok;
        var raw = JsonText.RawString(instance, out var escaped);
        if (escaped)
        {
            ok = Patterns.IsMatch(pattern, instance.GetString());
        }
        else
        {
            var rented = raw.Length > 256 ? ArrayPool<char>.Shared.Rent(raw.Length) : null;
            var chars = rented ?? stackalloc char[256];
            var n = Encoding.UTF8.GetChars(raw, chars);
            ok = Patterns.IsMatch(pattern, chars[..n]);
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }

        if (!ok && !state.Quiet)
        {
            state.Report($"{JsonText.Describe(instance)} does not match {JsonText.Quote(source)}");
        }

        return ok;
    }
}
