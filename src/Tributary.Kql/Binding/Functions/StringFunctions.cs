using Tributary.Kql.Syntax;
using static Tributary.Kql.Binding.ExpressionBinder;

namespace Tributary.Kql.Binding.Functions;

/// <summary>String functions. Arguments of other types are converted as <c>tostring()</c> does; results are never null.</summary>
internal static class StringFunctions
{
    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("strcat", Arity.AtLeast(1), "strcat(value: any, ...): string", "The values as strings, joined.", Strcat),
        new("strcat_delim", Arity.AtLeast(2), "strcat_delim(delimiter: string, value: any, ...): string", "The values as strings, joined with the delimiter between them.", StrcatDelim),
        new("strlen", Arity.Exactly(1), "strlen(text: string): long", "The number of characters.", c => Derived($"CAST(length({c.Text(0).Sql}) AS BIGINT)", KqlType.Long, c.Arg(0))),
        new("substring", Arity.Between(2, 3), "substring(text: string, start: long [, length: long]): string", "The part from the 0-based start, to the end or length characters long.", Substring),
        new("tolower", Arity.Exactly(1), "tolower(text: string): string", "The text in lower case.", c => Derived($"lower({c.Text(0).Sql})", KqlType.String, c.Arg(0))),
        new("toupper", Arity.Exactly(1), "toupper(text: string): string", "The text in upper case.", c => Derived($"upper({c.Text(0).Sql})", KqlType.String, c.Arg(0))),
        new("trim", Arity.Exactly(2), "trim(regex: string, text: string): string", "The text without the matches of the regex at its start and end.", c => Trim(c, start: true, end: true)),
        new("trim_start", Arity.Exactly(2), "trim_start(regex: string, text: string): string", "The text without the matches of the regex at its start.", c => Trim(c, start: true, end: false)),
        new("trim_end", Arity.Exactly(2), "trim_end(regex: string, text: string): string", "The text without the matches of the regex at its end.", c => Trim(c, start: false, end: true)),
        new("split", Arity.Between(2, 3), "split(text: string, delimiter: string [, index: long]): dynamic", "The parts between the delimiters as an array; with an index, an array of that one part.", Split),
        new("replace_string", Arity.Exactly(3), "replace_string(text: string, lookup: string, rewrite: string): string", "The text with every occurrence of lookup replaced.", ReplaceString),
        new("replace_regex", Arity.Exactly(3), "replace_regex(text: string, regex: string, rewrite: string): string", "The text with every match of the regex replaced; the rewrite can use \\1 … for groups.", ReplaceRegex),
        new("strcmp", Arity.Exactly(2), "strcmp(a: string, b: string): long", "The order of two strings: -1, 0 or 1 as a sorts before, with or after b (ordinal comparison).", Strcmp),
        new("reverse", Arity.Exactly(1), "reverse(text: string): string", "The text's characters in reverse order.", c => Derived($"reverse({c.Text(0).Sql})", KqlType.String, c.Arg(0))),
        new("string_size", Arity.Exactly(1), "string_size(text: string): long", "The size of the text in bytes (UTF-8).", c => Derived($"CAST(strlen({c.Text(0).Sql}) AS BIGINT)", KqlType.Long, c.Arg(0))),
        new("strrep", Arity.Between(2, 3), "strrep(text: string, count: long [, delimiter: string]): string", "The text repeated count times (at most 1024), with the delimiter between the copies.", Strrep),
        new("translate", Arity.Exactly(3), "translate(from: string, to: string, text: string): string", "The text with each character of from replaced by the one at its position in to (the last one of to when to is shorter; removed when to is empty).", Translate),
        new("replace_strings", Arity.Exactly(3), "replace_strings(text: string, lookups: dynamic, rewrites: dynamic): string", "The text with every lookup replaced by the rewrite at its index; an earlier lookup takes precedence, and text once matched is not matched again.", ReplaceStrings),
        new("regex_quote", Arity.Exactly(1), "regex_quote(text: string): string", "The text with the characters special in a regular expression escaped with a backslash.", c => Derived($@"regexp_replace({c.Text(0).Sql}, '([.^$|?*+()\[\]{{}}\\])', '\\\1', 'g')", KqlType.String, c.Arg(0))),
        new("isascii", Arity.Exactly(1), "isascii(text: string): bool", "True when every character of the text is ASCII.", c => Derived($@"NOT regexp_matches({c.Text(0).Sql}, '[^\x00-\x7F]')", KqlType.Bool, c.Arg(0))),
        new("isutf8", Arity.Exactly(1), "isutf8(text: string): bool", "True when the text is valid UTF-8 (every string is: the engine stores nothing else).", c => Derived($"({c.Text(0).Sql} IS NOT NULL)", KqlType.Bool, c.Arg(0))),
        new("unicode_codepoints_from_string", Arity.Exactly(1), "unicode_codepoints_from_string(text: string): dynamic", "The Unicode code points of the text's characters, as an array of longs.", CodepointsFromString)
        {
            Aliases = ["to_utf8"],
        },
        new("unicode_codepoints_to_string", Arity.AtLeast(1), "unicode_codepoints_to_string(codepoint: long|dynamic, ...): string", "The text of the code points given (as numbers or arrays of them); \"\" when one is not a valid code point.", CodepointsToString)
        {
            Aliases = ["make_string"],
        },
        new("format_bytes", Arity.Between(1, 3), "format_bytes(size: number [, precision: long [, unit: string]]): string", "A size in bytes as text in the unit given (Bytes, KB, MB, GB, TB, PB or EB, each 1024 of the one before) or the largest in which it is at least 1, rounded to precision digits (default 0): \"19.08 MB\".", FormatBytes),
        new("parse_csv", Arity.Exactly(1), "parse_csv(text: string): dynamic", "The fields of the first record of comma-separated text, as an array of strings (double quotes around a field may hold commas, line breaks and doubled quotes).", c => Derived($"CAST(kql_parse_csv({c.Text(0).Sql}) AS JSON)", KqlType.Dynamic, c.Arg(0))),
        new("parse_command_line", Arity.Exactly(2), "parse_command_line(command_line: string, parser: string): dynamic", "The arguments of a command line as an array of strings; the parser is \"windows\" (CommandLineToArgvW's rules).", ParseCommandLine),
        new("parse_path", Arity.Exactly(1), "parse_path(path: string): dynamic", "A file path's parts: Scheme, RootPath, DirectoryPath, DirectoryName, Filename, Extension and AlternateDataStreamName.", c => Derived($"CAST(kql_parse_path({c.Text(0).Sql}) AS JSON)", KqlType.Dynamic, c.Arg(0))),
        new("extract", Arity.Between(3, 4), "extract(regex: string, group: long, text: string [, type: typeof]): string", "The text of a capture group of the first match (0 is the whole match), converted to the type when given.", Extract),
        new("has_any", Arity.AtLeast(1), "has_any(text: string [, term: string, ...]): bool", "True when the text has any of the terms (the binding of x has_any (…)).", c => HasTerms(c, all: false))
        {
            Origin = FunctionOrigin.Operator,
        },
        new("has_all", Arity.AtLeast(1), "has_all(text: string [, term: string, ...]): bool", "True when the text has all of the terms (the binding of x has_all (…)).", c => HasTerms(c, all: true))
        {
            Origin = FunctionOrigin.Operator,
        },
    ];

    private static SqlValue Strcat(FunctionCall c) =>
        Derived($"concat({string.Join(", ", Enumerable.Range(0, c.Count).Select(i => c.Text(i).Sql))})", KqlType.String, [.. c.Args]);

    private static SqlValue StrcatDelim(FunctionCall c) =>
        Derived($"concat_ws({c.Text(0).Sql}, {string.Join(", ", Enumerable.Range(1, c.Count - 1).Select(i => c.Text(i).Sql))})", KqlType.String, [.. c.Args]);

    private static SqlValue Substring(FunctionCall c)
    {
        var s = c.Text(0);
        var start = $"(greatest(CAST({c.Arg(1).Sql} AS BIGINT), 0) + 1)";
        var sql = c.Count == 3 ? $"substr({s.Sql}, {start}, greatest(CAST({c.Arg(2).Sql} AS BIGINT), 0))" : $"substr({s.Sql}, {start})";
        return Derived($"coalesce({sql}, '')", KqlType.String, [.. c.Args]);
    }

    private static SqlValue Trim(FunctionCall c, bool start, bool end)
    {
        RequireValidRegex(c, 0);
        var regex = c.Text(0).Sql;
        var text = c.Text(1).Sql;
        var sql = text;
        if (start)
        {
            sql = $"regexp_replace({sql}, '^(?:' || {regex} || ')+', '')";
        }

        if (end)
        {
            sql = $"regexp_replace({sql}, '(?:' || {regex} || ')+$', '')";
        }

        return Derived(sql, KqlType.String, c.Arg(0), c.Arg(1));
    }

    private static SqlValue Split(FunctionCall c)
    {
        var list = $"string_split({c.Text(0).Sql}, {c.Text(1).Sql})";
        if (c.Count == 3)
        {
            // split(s, d, i) returns a one-element array with the i-th part.
            var item = $"list_extract({list}, CAST({c.Arg(2).Sql} AS BIGINT) + 1)";
            return Derived($"[{item}]", KqlType.Dynamic, [.. c.Args]) with { ListElement = KqlType.String };
        }

        return Derived(list, KqlType.Dynamic, [.. c.Args]) with { ListElement = KqlType.String };
    }

    private static SqlValue ReplaceString(FunctionCall c) =>
        Derived($"replace({c.Text(0).Sql}, {c.Text(1).Sql}, {c.Text(2).Sql})", KqlType.String, [.. c.Args]);

    private static SqlValue ReplaceRegex(FunctionCall c)
    {
        RequireValidRegex(c, 1);
        return Derived($"regexp_replace({c.Text(0).Sql}, {c.Text(1).Sql}, {c.Text(2).Sql}, 'g')", KqlType.String, [.. c.Args]);
    }

    private static SqlValue Strcmp(FunctionCall c)
    {
        var (a, b) = (c.Text(0).Sql, c.Text(1).Sql);
        return Derived($"CAST(CASE WHEN {a} < {b} THEN -1 WHEN {a} > {b} THEN 1 ELSE 0 END AS BIGINT)", KqlType.Long, [.. c.Args]);
    }

    private static SqlValue Strrep(FunctionCall c)
    {
        const int MaxCopies = 1024;
        var text = c.Text(0).Sql;
        var count = $"least({c.WholeSql(1)}, {MaxCopies})";
        var delimiter = c.Count == 3 ? c.Text(2).Sql : "''";
        return Derived($"coalesce(CASE WHEN {count} >= 1 THEN repeat({text} || {delimiter}, {count} - 1) || {text} END, '')", KqlType.String, [.. c.Args]);
    }

    // The engine's translate drops the characters of from beyond the length of to; Kusto maps them to to's last character.
    private static SqlValue Translate(FunctionCall c)
    {
        var (from, to, text) = (c.Text(0).Sql, c.Text(1).Sql, c.Text(2).Sql);
        var padded = $"CASE WHEN {to} = '' THEN '' ELSE rpad({to}, CAST(greatest(length({from}), length({to})) AS INTEGER), right({to}, 1)) END";
        return Derived($"translate({text}, {from}, {padded})", KqlType.String, [.. c.Args]);
    }

    private static SqlValue ReplaceStrings(FunctionCall c)
    {
        var text = c.Text(0).Sql;
        var (lookups, rewrites) = (DynamicArgument(c, 1).JsonSql, DynamicArgument(c, 2).JsonSql);
        return Derived($"coalesce(kql_replace_strings({text}, CAST({lookups} AS VARCHAR), CAST({rewrites} AS VARCHAR)), {text})", KqlType.String, [.. c.Args]);
    }

    private static SqlValue CodepointsFromString(FunctionCall c)
    {
        var text = c.Text(0).Sql;
        return Derived($"(CASE WHEN {text} = '' THEN CAST([] AS BIGINT[]) ELSE list_transform(string_split({text}, ''), ch -> CAST(unicode(ch) AS BIGINT)) END)", KqlType.Dynamic, c.Arg(0))
            with { ListElement = KqlType.Long };
    }

    /// <summary>Every argument (a number, or an array of numbers) as one list of code points; "" unless all are valid.</summary>
    private static SqlValue CodepointsToString(FunctionCall c)
    {
        var lists = Enumerable.Range(0, c.Count).Select(i => c.Arg(i) switch
        {
            { ListElement: KqlType.Int or KqlType.Long } list => $"CAST({list.Sql} AS BIGINT[])",
            { Type: KqlType.Dynamic } json => $"(CASE WHEN json_type({json.JsonSql}) = 'ARRAY' THEN TRY_CAST({json.JsonSql} AS BIGINT[]) ELSE [TRY_CAST(json_extract_string({json.JsonSql}, '$') AS BIGINT)] END)",
            _ => $"[{c.WholeSql(i)}]",
        });
        var points = $"flatten([{string.Join(", ", lists)}])";
        var valid = $"list_bool_and(list_transform({points}, p -> p BETWEEN 0 AND 1114111 AND NOT p BETWEEN 55296 AND 57343))";
        return Derived($"coalesce(CASE WHEN {valid} THEN array_to_string(list_transform({points}, p -> chr(CAST(p AS INTEGER))), '') END, '')", KqlType.String, [.. c.Args]);
    }

    private static SqlValue FormatBytes(FunctionCall c)
    {
        var size = c.RealSql(0);
        var precision = c.Count >= 2 ? c.WholeSql(1) : "0";
        var unit = c.Count == 3 ? c.Arg(2) : SqlValue.Literal("", KqlType.String);
        if (unit is not { IsConstant: true, Constant: string u } || (u.Length > 0 && !Udfs.TextUdfs.FormatBytesUnits.Contains(u, StringComparer.OrdinalIgnoreCase)))
        {
            throw c.ArgError(2, $"format_bytes's unit is a constant, one of {string.Join(", ", Udfs.TextUdfs.FormatBytesUnits)} (or \"\" to choose)");
        }

        return Derived($"coalesce(kql_format_bytes({size}, {precision}, {unit.Sql}), '')", KqlType.String, [.. c.Args]);
    }

    private static SqlValue ParseCommandLine(FunctionCall c)
    {
        if (c.Arg(1) is not { IsConstant: true, Constant: string parser } || !parser.Equals("windows", StringComparison.OrdinalIgnoreCase))
        {
            throw c.ArgError(1, "parse_command_line's parser is the constant \"windows\"");
        }

        return Derived($"CAST(kql_parse_windows_command_line({c.Text(0).Sql}) AS JSON)", KqlType.Dynamic, [.. c.Args]);
    }

    private static SqlValue DynamicArgument(FunctionCall c, int i) =>
        c.Arg(i).Type == KqlType.Dynamic ? c.Arg(i) : throw c.ArgError(i, $"{c.Name}() expects a dynamic array but argument {i + 1} is {KqlTypes.Name(c.Arg(i).Type)}");

    private static SqlValue Extract(FunctionCall c)
    {
        RequireValidRegex(c, 0);
        if (c.Arg(1) is not { IsConstant: true, Constant: long group })
        {
            throw c.ArgError(1, "extract needs a constant capture group number");
        }

        var text = Derived($"regexp_extract({c.Text(2).Sql}, {c.Text(0).Sql}, {group})", KqlType.String, c.Arg(0), c.Arg(2));
        if (c.Count == 4)
        {
            if (c.Syntax.Args[3] is not TypeOfExpr t)
            {
                throw c.ArgError(3, "extract's fourth argument is typeof(T)");
            }

            return c.Convert(text, t.Type);
        }

        return text;
    }

    private static SqlValue HasTerms(FunctionCall c, bool all)
    {
        var hay = c.Text(0);
        var parts = Enumerable.Range(1, c.Count - 1)
            .Select(i => HasSql(hay.Sql, c.Text(i), c.Arg(i) is { IsConstant: true, Constant: string s } ? s : null, false, true, true))
            .ToList();
        if (parts.Count == 0)
        {
            throw c.Error($"{c.Name} needs at least one term");
        }

        return Derived("(" + string.Join(all ? " AND " : " OR ", parts.Select(p => "(" + p + ")")) + ")", KqlType.Bool, [.. c.Args]);
    }

    /// <summary>A constant regex argument is checked at translation, so a bad pattern is a query error, not a run-time one.</summary>
    private static void RequireValidRegex(FunctionCall c, int i)
    {
        if (c.Arg(i) is { IsConstant: true, Constant: string pattern })
        {
            ValidateRegex(pattern, c.ArgPos(i));
        }
    }
}
