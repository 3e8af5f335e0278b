using System.Globalization;
using System.Text;

namespace Tributary.Query;

/// <summary>
/// Makes untrusted text safe and measurable for a terminal: escapes the characters that could move
/// the cursor, start an escape sequence or reorder the line, and measures width in terminal columns.
/// </summary>
/// <remarks>
/// Escapes: <c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\e</c> (ESC), <c>\xHH</c> for the other C0 controls,
/// DEL and the C1 controls (0x9B is a one-byte CSI), <c>\uHHHH</c> for the bidirectional controls,
/// the line and paragraph separators and lone surrogates. A backslash is left alone, so escaped text
/// is for reading, not for parsing back. Width counts East Asian wide characters and the common
/// emoji blocks as two columns and combining marks and format characters as none; it is an estimate
/// in the spirit of <c>wcwidth</c>, not a full Unicode width table.
/// </remarks>
internal static class TerminalText
{
    /// <summary>The text with every unsafe character replaced by a visible escape; the same instance when nothing needs escaping.</summary>
    public static string Escape(string text)
    {
        var i = 0;
        while (i < text.Length && !NeedsEscape(text, i))
        {
            i++;
        }

        if (i == text.Length)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        builder.Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[i + 1]);
                i++;
            }
            else if (!NeedsEscape(text, i))
            {
                builder.Append(c);
            }
            else
            {
                AppendEscape(builder, c);
            }
        }

        return builder.ToString();
    }

    /// <summary>The number of terminal columns the (already escaped) text takes.</summary>
    public static int Width(string text)
    {
        var width = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            width += Width(rune);
        }

        return width;
    }

    /// <summary>
    /// The text cut to at most <paramref name="maxWidth"/> columns, ending in <c>…</c> when it was cut.
    /// Never splits a surrogate pair.
    /// </summary>
    public static string Truncate(string text, int maxWidth)
    {
        if (text.Length <= maxWidth / 2 || Width(text) <= maxWidth)
        {
            return text;
        }

        var budget = maxWidth - 1;
        var width = 0;
        var length = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var w = Width(rune);
            if (width + w > budget)
            {
                break;
            }

            width += w;
            length += rune.Utf16SequenceLength;
        }

        return string.Concat(text.AsSpan(0, length), "…");
    }

    private static bool NeedsEscape(string text, int index)
    {
        var c = text[index];
        if (c < 0x20 || c is >= '\u007F' and <= '\u009F')
        {
            return true;
        }

        if (c is '\u061C' or '\u200E' or '\u200F' or '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'))
        {
            return true;
        }

        if (char.IsHighSurrogate(c))
        {
            return index + 1 >= text.Length || !char.IsLowSurrogate(text[index + 1]);
        }

        if (char.IsLowSurrogate(c))
        {
            return index == 0 || !char.IsHighSurrogate(text[index - 1]);
        }

        return false;
    }

    private static void AppendEscape(StringBuilder builder, char c)
    {
        switch (c)
        {
            case '\n': builder.Append("\\n"); break;
            case '\r': builder.Append("\\r"); break;
            case '\t': builder.Append("\\t"); break;
            case '\u001B': builder.Append("\\e"); break;
            case <= '\u00FF': builder.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture)); break;
            default: builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)); break;
        }
    }

    private static int Width(Rune rune)
    {
        var category = Rune.GetUnicodeCategory(rune);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
        {
            return 0;
        }

        var v = rune.Value;
        var wide = v is (>= 0x1100 and <= 0x115F)
            or (>= 0x2E80 and <= 0x303E)
            or (>= 0x3041 and <= 0x33FF)
            or (>= 0x3400 and <= 0x4DBF)
            or (>= 0x4E00 and <= 0x9FFF)
            or (>= 0xA000 and <= 0xA4CF)
            or (>= 0xAC00 and <= 0xD7A3)
            or (>= 0xF900 and <= 0xFAFF)
            or (>= 0xFE30 and <= 0xFE4F)
            or (>= 0xFF00 and <= 0xFF60)
            or (>= 0xFFE0 and <= 0xFFE6)
            or (>= 0x1F300 and <= 0x1F64F)
            or (>= 0x1F680 and <= 0x1F6FF)
            or (>= 0x1F900 and <= 0x1F9FF)
            or (>= 0x20000 and <= 0x3FFFD);
        return wide ? 2 : 1;
    }
}
