using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tributary.Kql.Binding.Udfs;

/// <summary>
/// String functions that are plainer in C# than in SQL: a bounded search for <c>indexof</c>, <c>format_bytes</c>,
/// <c>parse_path</c>, <c>replace_strings</c>, <c>parse_csv</c> and <c>parse_command_line</c>. Positions and lengths count Unicode code points, as the engine's <c>length</c> and
/// <c>substr</c> do. Nothing here throws on data.
/// </summary>
internal static partial class TextUdfs
{
    private static readonly string[] ByteUnits = ["Bytes", "KB", "MB", "GB", "TB", "PB", "EB"];

    public static IReadOnlyList<ScalarUdf> All { get; } =
    [
        ScalarUdf.Create<string, string, long, long, long>("kql_indexof_from", IndexOfFrom),
        ScalarUdf.Create<double, long, string, string>("kql_format_bytes", FormatBytes),
        ScalarUdf.Create<string, string>("kql_parse_path", ParsePath),
        ScalarUdf.Create<string, string, string, string?>("kql_replace_strings", ReplaceStrings),
        ScalarUdf.Create<string, string>("kql_parse_csv", ParseCsv),
        ScalarUdf.Create<string, string>("kql_parse_windows_command_line", ParseWindowsCommandLine),
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
    /// A file path's parts as a JSON object, as Kusto names them: a scheme (<c>file://</c>), the drive as root, the
    /// directory, its last name, the file name, its extension and an alternate data stream (<c>file.txt:stream</c>).
    /// Either slash separates; a UNC path (<c>\\share\dir</c>) keeps its leading slashes in the directory.
    /// </summary>
    private static string ParsePath(string path)
    {
        var scheme = SchemePrefix().Match(path);
        var rest = scheme.Success ? path[scheme.Length..] : path;
        var root = DriveRoot().Match(rest).Value;
        var lastSeparator = rest.LastIndexOfAny(['/', '\\']);
        var directory = lastSeparator >= 0 ? rest[..lastSeparator] : "";
        var file = lastSeparator >= 0 ? rest[(lastSeparator + 1)..] : rest[root.Length..];
        var stream = "";
        if (file.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
        {
            (file, stream) = (file[..colon], file[(colon + 1)..]);
        }

        var directoryName = directory == root ? "" : directory[(directory.LastIndexOfAny(['/', '\\']) + 1)..];
        var dot = file.LastIndexOf('.');
        return JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["Scheme"] = scheme.Success ? scheme.Groups[1].Value : "",
            ["RootPath"] = root,
            ["DirectoryPath"] = directory,
            ["DirectoryName"] = directoryName,
            ["Filename"] = file,
            ["Extension"] = dot >= 0 ? file[(dot + 1)..] : "",
            ["AlternateDataStreamName"] = stream,
        });
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

    /// <summary>
    /// The fields of the first record of comma-separated text as a JSON array of strings. A field in double quotes may
    /// hold commas, line breaks and doubled quotes (<c>""</c> for <c>"</c>); an unquoted line break ends the record.
    /// </summary>
    private static string ParseCsv(string text)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch != '"')
                {
                    field.Append(ch);
                }
                else if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (ch is '\n' or '\r')
            {
                break;
            }
            else
            {
                field.Append(ch);
            }
        }

        fields.Add(field.ToString());
        return JsonSerializer.Serialize(fields);
    }

    /// <summary>
    /// A Windows command line's arguments as a JSON array, by CommandLineToArgvW's rules: the program name runs to the
    /// first space or tab (or, when it starts with a quote, to the next quote); after it, arguments are separated by
    /// spaces and tabs outside quotes, 2n backslashes before a quote give n and the quote opens or closes quoting, 2n+1
    /// give n and a literal quote, other backslashes are literal, and "" inside quotes is a literal quote.
    /// </summary>
    private static string ParseWindowsCommandLine(string line)
    {
        var arguments = new List<string>();
        var i = 0;
        if (line.Length > 0)
        {
            var end = line[0] == '"' ? line.IndexOf('"', 1) : line.IndexOfAny([' ', '\t']);
            end = end < 0 ? line.Length : end;
            arguments.Add(line[0] == '"' ? line[1..end] : line[..end]);
            i = end + 1;
        }

        while (true)
        {
            while (i < line.Length && line[i] is ' ' or '\t')
            {
                i++;
            }

            if (i >= line.Length)
            {
                break;
            }

            var argument = new System.Text.StringBuilder();
            var quoted = false;
            for (; i < line.Length && (quoted || line[i] is not (' ' or '\t')); i++)
            {
                var backslashes = 0;
                while (i < line.Length && line[i] == '\\')
                {
                    backslashes++;
                    i++;
                }

                if (i < line.Length && line[i] == '"')
                {
                    argument.Append('\\', backslashes / 2);
                    if (backslashes % 2 == 1)
                    {
                        argument.Append('"');
                    }
                    else if (quoted && i + 1 < line.Length && line[i + 1] == '"')
                    {
                        argument.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = !quoted;
                    }
                }
                else
                {
                    argument.Append('\\', backslashes);
                    if (i >= line.Length)
                    {
                        break;
                    }

                    if (!quoted && line[i] is ' ' or '\t')
                    {
                        i--;
                        continue;
                    }

                    argument.Append(line[i]);
                }
            }

            arguments.Add(argument.ToString());
        }

        return JsonSerializer.Serialize(arguments);
    }

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]*)://")]
    private static partial Regex SchemePrefix();

    [GeneratedRegex("^[A-Za-z]:")]
    private static partial Regex DriveRoot();
}
