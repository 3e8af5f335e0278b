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
        new("indexof", Arity.Between(2, 3), "indexof(text: string, lookup: string [, start: long]): long", "The 0-based position of the first occurrence of lookup at or after start, or -1.", IndexOf)
        {
            Difference = "the length and occurrence arguments are not supported yet",
        },
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

    private static SqlValue IndexOf(FunctionCall c)
    {
        var s = c.Text(0).Sql;
        var lookup = c.Text(1).Sql;
        if (c.Count == 3)
        {
            var start = $"CAST({c.Arg(2).Sql} AS BIGINT)";
            return Derived($"(CASE WHEN strpos(substr({s}, {start} + 1), {lookup}) = 0 THEN -1 ELSE strpos(substr({s}, {start} + 1), {lookup}) - 1 + {start} END)", KqlType.Long, [.. c.Args]);
        }

        return Derived($"CAST(strpos({s}, {lookup}) - 1 AS BIGINT)", KqlType.Long, [.. c.Args]);
    }

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
