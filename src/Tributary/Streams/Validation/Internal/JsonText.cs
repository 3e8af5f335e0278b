using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Tributary.Streams.Validation.Internal;

/// <summary>Allocation-free reads of a parsed document's raw UTF-8: property names, string contents, number literals.</summary>
internal static class JsonText
{
    private const int DescribeLimit = 80;

    /// <summary>
    /// The property's name as UTF-8. The raw bytes when the name has no escape sequence (the usual case, no
    /// copy); otherwise the unescaped name, newly encoded.
    /// </summary>
    public static ReadOnlySpan<byte> Name(JsonProperty property)
    {
        var raw = StripQuotes(JsonMarshal.GetRawUtf8PropertyName(property));
        return raw.IndexOf((byte)'\\') < 0 ? raw : Encoding.UTF8.GetBytes(property.Name);
    }

    /// <summary>The raw contents of a string value (between the quotes); <paramref name="escaped"/> tells whether it holds escape sequences.</summary>
    public static ReadOnlySpan<byte> RawString(JsonElement value, out bool escaped)
    {
        var raw = StripQuotes(JsonMarshal.GetRawUtf8Value(value));
        escaped = raw.IndexOf((byte)'\\') >= 0;
        return raw;
    }

    /// <summary>
    /// The length of a string value in Unicode code points (a surrogate pair counts once), as draft-04's
    /// minLength/maxLength count; counting may stop once it reaches <paramref name="enough"/>.
    /// </summary>
    public static long CodePointLength(JsonElement value, long enough = long.MaxValue)
    {
        var raw = RawString(value, out var escaped);
        if (!escaped)
        {
            // Valid UTF-8 (the parser checked it): every byte that is not a continuation byte starts a code point.
            var count = 0L;
            foreach (var b in raw)
            {
                if ((b & 0xC0) != 0x80 && ++count >= enough)
                {
                    break;
                }
            }

            return count;
        }

        var text = value.GetString()!;
        var length = text.Length;
        foreach (var c in text)
        {
            if (char.IsLowSurrogate(c))
            {
                length--;
            }
        }

        return length;
    }

    /// <summary>True when the number is written without fraction or exponent: draft-04's "integer" (1.0 and 1e2 are numbers, not integers, as in Jackson and Python).</summary>
    public static bool IsIntegerLiteral(JsonElement number) =>
        JsonMarshal.GetRawUtf8Value(number).IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0;

    /// <summary>The value as it is written in the document, cut after 80 characters: for messages.</summary>
    public static string Describe(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= DescribeLimit ? text : string.Concat(text.AsSpan(0, DescribeLimit), "…");
    }

    /// <summary>A name or pattern in a message: single-quoted.</summary>
    public static string Quote(string text) => "'" + text + "'";

    private static ReadOnlySpan<byte> StripQuotes(ReadOnlySpan<byte> raw) =>
        raw.Length >= 2 && raw[0] == (byte)'"' && raw[^1] == (byte)'"' ? raw[1..^1] : raw;
}
