using System.Globalization;
using System.Text.Json;

namespace Tributary.Kql.Binding.Udfs;

/// <summary>
/// String functions that are plainer in C# than in SQL: a bounded search for <c>indexof</c>, <c>format_bytes</c> and
/// <c>replace_strings</c>. Positions and lengths count Unicode code points, as the engine's <c>length</c> and
/// <c>substr</c> do. Nothing here throws on data.
/// </summary>
internal static class TextUdfs
{
    private static readonly string[] ByteUnits = ["Bytes", "KB", "MB", "GB", "TB", "PB", "EB"];

    public static IReadOnlyList<ScalarUdf> All { get; } =
    [
        ScalarUdf.Create<string, string, long, long, long>("kql_indexof_from", IndexOfFrom),
        ScalarUdf.Create<double, long, string, string>("kql_format_bytes", FormatBytes),
        ScalarUdf.Create<string, string, string, string?>("kql_replace_strings", ReplaceStrings),
    ];

    /// <summary>The units <c>format_bytes</c> accepts, in order of size (each 1024 of the one before).</summary>
    public static IReadOnlyList<string> FormatBytesUnits => ByteUnits;

    /// <summary>
    /// The 0-based position of the first <paramref name="lookup"/> that lies wholly within the
    /// <paramref name="length"/> code points from <paramref name="from"/> (to the end when -1), or -1.
    /// </summary>
    private static long IndexOfFrom(string text, string lookup, long from, long length)
    {
        var source = CodePoints(text);
        if (from < 0 || from > source.Length)
        {
            return -1;
        }

        var count = length < 0 ? source.Length - from : Math.Min(length, source.Length - from);
        var found = source.AsSpan((int)from, (int)count).IndexOf(CodePoints(lookup));
        return found < 0 ? -1 : from + found;
    }

    private static int[] CodePoints(string text) => [.. text.EnumerateRunes().Select(r => r.Value)];

    /// <summary>
    /// The size in the unit given (or the largest unit in which it is at least 1), rounded to
    /// <paramref name="precision"/> digits: <c>564 Bytes</c>, <c>19.08 MB</c>.
    /// </summary>
    private static string FormatBytes(double size, long precision, string unit)
    {
        var power = Array.FindIndex(ByteUnits, u => u.Equals(unit, StringComparison.OrdinalIgnoreCase));
        if (power < 0)
        {
            power = 0;
            while (power < ByteUnits.Length - 1 && Math.Abs(size) >= Math.Pow(1024, power + 1))
            {
                power++;
            }
        }

        var value = Math.Round(size / Math.Pow(1024, power), (int)Math.Clamp(precision, 0, 15), MidpointRounding.AwayFromZero);
        return $"{value.ToString(CultureInfo.InvariantCulture)} {ByteUnits[power]}";
    }

    /// <summary>
    /// The text with each lookup (a JSON array of strings) replaced by the rewrite at its index, lookup by lookup: text
    /// a lookup matched is not searched by later ones. A rewrite that is not a string keeps the match as it is; a
    /// lookup that is not a string (or is empty) is skipped. Null when the arrays are not arrays.
    /// </summary>
    private static string? ReplaceStrings(string text, string lookupsJson, string rewritesJson)
    {
        if (JsonArray(lookupsJson) is not { } lookups || JsonArray(rewritesJson) is not { } rewrites)
        {
            return null;
        }

        // The text as pieces, each marked when a lookup matched it (then it holds the rewrite and is final).
        var pieces = new List<(string Text, bool Final)> { (text, false) };
        for (var i = 0; i < lookups.Length; i++)
        {
            if (lookups[i] is not { Length: > 0 } lookup)
            {
                continue;
            }

            var rewrite = i < rewrites.Length ? rewrites[i] : null;
            pieces = [.. pieces.SelectMany(p => p.Final ? [p] : Split(p.Text, lookup, rewrite ?? lookup))];
        }

        return string.Concat(pieces.Select(p => p.Text));
    }

    private static IEnumerable<(string Text, bool Final)> Split(string text, string lookup, string rewrite)
    {
        var from = 0;
        for (var at = text.IndexOf(lookup, StringComparison.Ordinal); at >= 0; at = text.IndexOf(lookup, from, StringComparison.Ordinal))
        {
            yield return (text[from..at], false);
            yield return (rewrite, true);
            from = at + lookup.Length;
        }

        yield return (text[from..], false);
    }

    /// <summary>The elements of a JSON array, strings as themselves and anything else as null; null when it is not an array.</summary>
    private static string?[]? JsonArray(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Array
                ? [.. document.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null)]
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
