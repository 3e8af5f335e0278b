using System.Globalization;
using System.Text.Json;
using Tributary.Kql.Patterns;
using static Tributary.Kql.Binding.ExpressionBinder;

namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// Finding and counting text in text. Positions are 0-based and count Unicode code points; arguments of other types
/// than string are converted as <c>tostring()</c> does.
/// </summary>
internal static class TextSearchFunctions
{
    /// <summary>The largest occurrence number indexof and indexof_regex take (each one searches once more).</summary>
    private const int MaxOccurrence = 100;

    private static readonly SqlValue NullLong = SqlValue.Literal(null, KqlType.Long);

    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("indexof", Arity.Between(2, 5), "indexof(text: string, lookup: string [, start: long [, length: long [, occurrence: long]]]): long",
            "The position of the occurrence-th (default first) lookup at or after start (counted from the end when negative) that lies within length characters of where its search began (-1: to the end); -1 when there is none, null for a bad start, length or occurrence.", IndexOf),
        new("indexof_regex", Arity.Between(2, 5), "indexof_regex(text: string, regex: string [, start: long [, length: long [, occurrence: long]]]): long",
            "The position of the occurrence-th (default first) non-overlapping match of the regex in the length characters (-1: all) from start; -1 when there is none, null for a negative start or occurrence or a length below -1.", IndexOfRegex)
        {
            Difference = "for an occurrence above 1 the matches are found by one match of the repeated regex, so an earlier match may be shortened where Kusto would find no later one",
        },
        new("extract_all", Arity.Between(2, 3), "extract_all(regex: string, [groups: dynamic,] text: string): dynamic",
            "The capture groups of every match of the regex (1 to 16 groups; all, or those listed by number or name): an array of strings for one group, of arrays for more; null when nothing matches.", ExtractAll)
        {
            Aliases = ["extractall"],
        },
        new("countof", Arity.Between(2, 3), "countof(text: string, search: string [, kind: string]): long", "How often search occurs in the text: kind \"normal\" (the default) counts overlapping occurrences, \"regex\" non-overlapping matches.", CountOf),
        new("has_any_index", Arity.Exactly(2), "has_any_index(text: string, values: dynamic): long", "The index of the first of the values (an array) that the text has as a whole term (as the has operator), or -1.", HasAnyIndex),
    ];

    private static SqlValue IndexOf(FunctionCall c)
    {
        var text = c.Text(0).Sql;
        var lookup = c.Text(1).Sql;
        if (c.Count == 2)
        {
            return Derived($"CAST(strpos({text}, {lookup}) - 1 AS BIGINT)", KqlType.Long, [.. c.Args]);
        }

        var start = c.WholeSql(2);
        var length = c.Count >= 4 ? c.WholeSql(3) : "-1";
        var occurrence = c.Count == 5 ? Occurrence(c, 4) : 1;
        if (occurrence < 0)
        {
            return NullLong;
        }

        var from = $"(CASE WHEN {start} < 0 THEN length({text}) + {start} ELSE {start} END)";

        // Each further occurrence is searched from one past the last, within length characters again; a search
        // that finds nothing gives -1, which becomes a null start and so a null (then -1) for every later search.
        var search = $"kql_indexof_from({text}, {lookup}, {from}, {length})";
        for (var k = 2; k <= occurrence; k++)
        {
            search = $"kql_indexof_from({text}, {lookup}, nullif({search}, -1) + 1, {length})";
        }

        var found = occurrence == 0 ? "-1" : $"coalesce({search}, -1)";
        return Derived($"(CASE WHEN {from} >= 0 AND {length} >= -1 THEN CAST({found} AS BIGINT) END)", KqlType.Long, [.. c.Args]);
    }

    private static SqlValue IndexOfRegex(FunctionCall c)
    {
        if (c.Arg(1) is not { IsConstant: true, Constant: string regex })
        {
            throw c.ArgError(1, "indexof_regex needs a constant regular expression");
        }

        ValidateRegex(regex, c.ArgPos(1));
        var text = c.Text(0).Sql;
        var start = c.Count >= 3 ? c.WholeSql(2) : "0";
        var length = c.Count >= 4 ? c.WholeSql(3) : "-1";
        var occurrence = c.Count == 5 ? Occurrence(c, 4) : 1;
        if (occurrence < 0)
        {
            return NullLong;
        }

        var window = $"substr({text}, {start} + 1, CASE WHEN {length} < 0 THEN length({text}) ELSE {length} END)";

        // Group 1 is everything before the match wanted: the shortest text, after occurrence - 1 earlier matches.
        var lazy = "(?s:.*?)";
        var before = occurrence <= 1 ? lazy : $"(?:{lazy}(?:{regex})){{{(occurrence - 1).ToString(CultureInfo.InvariantCulture)}}}{lazy}";
        var pattern = Sql.String($"^({before})(?:{regex})");
        var found = occurrence == 0
            ? "-1"
            : $"CASE WHEN regexp_matches({window}, {pattern}) THEN {start} + length(regexp_extract({window}, {pattern}, 1)) ELSE -1 END";
        return Derived($"(CASE WHEN {start} >= 0 AND {length} >= -1 THEN CAST({found} AS BIGINT) END)", KqlType.Long, [.. c.Args]);
    }

    /// <summary>The occurrence argument: a constant up to <see cref="MaxOccurrence"/> (a negative one makes the result null).</summary>
    private static long Occurrence(FunctionCall c, int i) => c.Arg(i) switch
    {
        { IsConstant: true, Constant: long n } when n <= MaxOccurrence => n,
        _ => throw c.ArgError(i, $"{c.Name}'s occurrence must be a constant whole number up to {MaxOccurrence}"),
    };

    private static SqlValue ExtractAll(FunctionCall c)
    {
        if (c.Arg(0) is not { IsConstant: true, Constant: string regex })
        {
            throw c.ArgError(0, "extract_all needs a constant regular expression");
        }

        ValidateRegex(regex, c.ArgPos(0));
        var groups = Re2Groups.Of(regex);
        if (groups.Count is 0 or > 16)
        {
            throw c.ArgError(0, $"extract_all's regular expression needs 1 to 16 capture groups, not {groups.Count}");
        }

        var wanted = c.Count == 3 ? WantedGroups(c, groups) : [.. Enumerable.Range(1, groups.Count)];
        var text = c.Text(c.Count - 1).Sql;
        var lists = wanted.Select(g => $"regexp_extract_all({text}, {Sql.String(regex)}, {Sql.Long(g)})").ToList();
        if (lists.Count == 1)
        {
            // An optional group that did not take part in a match is "" (Kusto's strings are never null).
            return Derived($"(CASE WHEN len({lists[0]}) > 0 THEN list_transform({lists[0]}, x -> coalesce(x, '')) END)", KqlType.Dynamic, [.. c.Args]) with { ListElement = KqlType.String };
        }

        var row = string.Join(", ", Enumerable.Range(1, lists.Count).Select(i => $"coalesce(m[{Sql.Long(i)}], '')"));
        return Derived($"(CASE WHEN len({lists[0]}) > 0 THEN to_json(list_transform(list_zip({string.Join(", ", lists)}), m -> [{row}])) END)", KqlType.Dynamic, [.. c.Args]);
    }

    /// <summary>extract_all's groups argument: a constant array of group numbers (1 on) and names.</summary>
    private static List<int> WantedGroups(FunctionCall c, IReadOnlyList<string?> groups)
    {
        var error = c.ArgError(1, $"extract_all's groups are a constant array of capture group numbers (1 to {groups.Count}) and names");
        if (c.Arg(1) is not { Type: KqlType.Dynamic, IsConstant: true, Constant: string json })
        {
            throw error;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var wanted = document.RootElement.ValueKind == JsonValueKind.Array
                ? document.RootElement.EnumerateArray().Select(e => e.ValueKind switch
                {
                    JsonValueKind.Number when e.TryGetInt32(out var n) && n >= 1 && n <= groups.Count => n,
                    JsonValueKind.String when groups.ToList().IndexOf(e.GetString()) is var i and >= 0 => i + 1,
                    _ => throw error,
                }).ToList()
                : throw error;
            return wanted.Count > 0 ? wanted : throw error;
        }
        catch (JsonException)
        {
            throw error;
        }
    }

    private static SqlValue CountOf(FunctionCall c)
    {
        var kind = c.Count == 3 ? c.Arg(2) : SqlValue.Literal("normal", KqlType.String);
        var text = c.Text(0).Sql;
        var search = c.Text(1);
        var sql = kind switch
        {
            { IsConstant: true, Constant: "normal" } => CountOverlapping(text, search),
            { IsConstant: true, Constant: "regex" } => CountMatches(c, text, search),
            _ => throw c.ArgError(2, "countof's kind is \"normal\" or \"regex\""),
        };
        return Derived($"CAST({sql} AS BIGINT)", KqlType.Long, [.. c.Args]);
    }

    /// <summary>Occurrences that may overlap (countof("aaaa", "aa") is 3); none of an empty search.</summary>
    private static string CountOverlapping(string text, SqlValue search)
    {
        if (search is { IsConstant: true, Constant: string s } && s.Length > 0 && !OverlapsItself(s))
        {
            // Occurrences of a search that cannot overlap itself are what replacing them removes.
            return $"((length({text}) - length(replace({text}, {search.Sql}, ''))) // {Sql.Long(s.EnumerateRunes().Count())})";
        }

        var n = $"length({search.Sql})";
        return $"(CASE WHEN {n} = 0 THEN 0 ELSE length(list_filter(range(1, length({text}) - {n} + 2), i -> substr({text}, i, {n}) = {search.Sql})) END)";
    }

    // True when a proper prefix of the text is also its suffix ("aba", "aa"), so two occurrences can share characters.
    private static bool OverlapsItself(string s) =>
        Enumerable.Range(1, s.Length - 1).Any(n => s.AsSpan(0, n).SequenceEqual(s.AsSpan(s.Length - n)));

    private static string CountMatches(FunctionCall c, string text, SqlValue regex)
    {
        if (regex is { IsConstant: true, Constant: string pattern })
        {
            ValidateRegex(pattern, c.ArgPos(1));
        }

        return $"length(regexp_extract_all({text}, {regex.Sql}))";
    }

    private static SqlValue HasAnyIndex(FunctionCall c)
    {
        var values = c.Arg(1);
        if (values.Type != KqlType.Dynamic)
        {
            throw c.ArgError(1, $"has_any_index() expects a dynamic array but argument 2 is {KqlTypes.Name(values.Type)}");
        }

        var term = new SqlValue("kql_term", KqlType.String);
        var has = HasSql(c.Text(0).Sql, term, null, caseSensitive: false, prefixBoundary: true, suffixBoundary: true);
        return Derived($"CAST(coalesce(list_position(list_transform({TextItems(values)}, kql_term -> {has}), true), 0) - 1 AS BIGINT)", KqlType.Long, [.. c.Args]);
    }

    /// <summary>The elements of a dynamic array as text (a non-string as its JSON text); null when the value is not an array.</summary>
    private static string TextItems(SqlValue array) => array.ListElement switch
    {
        null => $"(CASE WHEN json_type({array.JsonSql}) = 'ARRAY' THEN list_transform(CAST({array.JsonSql} AS JSON[]), x -> json_extract_string(x, '$')) END)",
        _ => $"list_transform({array.Sql}, x -> CAST(x AS VARCHAR))",
    };
}
