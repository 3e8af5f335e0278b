using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tributary.Kql.Binding.Udfs;

/// <summary>
/// Parsers of structured text that give a dynamic value (as JSON text): <c>parse_path</c>, <c>parse_csv</c> and
/// <c>parse_command_line</c>. They accept any text and never throw.
/// </summary>
internal static partial class ParseUdfs
{
    public static IReadOnlyList<ScalarUdf> All { get; } =
    [
        ScalarUdf.Create<string, string>("kql_parse_path", ParsePath),
        ScalarUdf.Create<string, string>("kql_parse_csv", ParseCsv),
        ScalarUdf.Create<string, string>("kql_parse_windows_command_line", ParseWindowsCommandLine),
    ];

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
    /// The fields of the first record of comma-separated text as a JSON array of strings. A field in double quotes may
    /// hold commas, line breaks and doubled quotes (<c>""</c> for <c>"</c>); an unquoted line break ends the record.
    /// </summary>
    private static string ParseCsv(string text)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
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

        for (; i < line.Length; i++)
        {
            if (line[i] is not (' ' or '\t'))
            {
                arguments.Add(ReadArgument(line, ref i));
            }
        }

        return JsonSerializer.Serialize(arguments);
    }

    /// <summary>The argument that starts at <paramref name="i"/>, leaving <paramref name="i"/> on the space or tab after it (or the end).</summary>
    private static string ReadArgument(string line, ref int i)
    {
        var argument = new StringBuilder();
        var quoted = false;
        for (; i < line.Length && (quoted || line[i] is not (' ' or '\t')); i++)
        {
            var backslashes = 0;
            for (; i < line.Length && line[i] == '\\'; i++)
            {
                backslashes++;
            }

            if (i < line.Length && line[i] == '"')
            {
                argument.Append('\\', backslashes / 2);
                if (backslashes % 2 == 1 || (quoted && i + 1 < line.Length && line[i + 1] == '"'))
                {
                    // An escaped quote, or "" inside quotes: a literal quote (the second of "" is consumed).
                    argument.Append('"');
                    i += backslashes % 2 == 1 ? 0 : 1;
                }
                else
                {
                    quoted = !quoted;
                }
            }
            else
            {
                argument.Append('\\', backslashes);
                if (i >= line.Length || (!quoted && line[i] is ' ' or '\t'))
                {
                    break;
                }

                argument.Append(line[i]);
            }
        }

        return argument.ToString();
    }

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]*)://")]
    private static partial Regex SchemePrefix();

    [GeneratedRegex("^[A-Za-z]:")]
    private static partial Regex DriveRoot();
}
