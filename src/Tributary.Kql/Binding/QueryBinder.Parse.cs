using System.Globalization;
using System.Text;
using Tributary.Kql.Binding.Udfs;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding;

// parse, parse-where and parse-kv: the operators that extract columns from text.
internal sealed partial class QueryBinder
{
    private static readonly string Matched = Sql.Ident("__parse_ok");

    /// <summary>
    /// <c>parse</c> and <c>parse-where</c>: one RE2 pattern built from the items (text constants escaped in simple mode,
    /// <c>*</c> as a lazy wildcard, columns as lazy groups shaped by their type, the last one greedy), anchored at both
    /// ends as Kusto matches the whole value. A value matches when the pattern does and every typed column converts;
    /// otherwise <c>parse</c> gives "" for string columns and null for the others (keeping the row) and
    /// <c>parse-where</c> drops the row.
    /// </summary>
    private Relation BindParse(Relation input, ParseOperator parse, Scope scope)
    {
        var source = Expressions.ToStringValue(Expressions.Bind(parse.Source, new BindContext(input, scope)));
        var (regex, groups) = ParsePattern(parse);
        var names = string.Join(", ", groups.Select(g => Sql.String(g.Group)));
        var parsed = Sql.Ident("__parse");
        var pattern = Sql.String(regex);
        var withMatch = new Relation(
            $"(SELECT {input.AllSelect}, regexp_extract({source.Sql}, {pattern}, [{names}]) AS {parsed}, regexp_matches({source.Sql}, {pattern}) AS {Matched} FROM {input.From} AS {NextAlias()})",
            input.Columns) { HasIngestionTime = input.HasIngestionTime, Serialized = input.Serialized };

        // The typed values in helper columns, so the test that they all converted and the output share them.
        var helpers = new List<string>(input.Columns.Select(c => c.Ref));
        var extracted = new List<(ParseItem Item, string Helper)>();
        foreach (var (group, item) in groups)
        {
            var helper = Sql.Ident("__pv" + extracted.Count.ToString(CultureInfo.InvariantCulture));
            var text = new SqlValue($"coalesce(struct_extract({parsed}, {Sql.String(group)}), '')", KqlType.String);
            helpers.Add($"{Expressions.Convert(text, item.Type, item.Pos).Sql} AS {helper}");
            extracted.Add((item, helper));
        }

        helpers.Add(Matched);
        var typed = Wrap(withMatch, string.Join(", ", helpers) + input.HiddenSelect, input.Columns);

        var ok = string.Join(" AND ", extracted.Where(e => e.Item.Type != KqlType.String).Select(e => $"{e.Helper} IS NOT NULL").Prepend(Matched));
        var values = extracted.Select(e => (e.Item.Column!, e.Item.Type, parse.DropsUnmatched
            ? e.Helper
            : $"(CASE WHEN {ok} THEN {e.Helper} ELSE {Sql.Literal(null, e.Item.Type)} END)"));
        return WithExtracted(typed, values, parse.DropsUnmatched ? $" WHERE {ok}" : "");
    }

    private static (string Regex, List<(string Group, ParseItem Item)> Groups) ParsePattern(ParseOperator parse)
    {
        var pattern = new StringBuilder(parse.Flags.Length > 0 ? $"(?{parse.Flags})^" : "^");
        var groups = new List<(string Group, ParseItem Item)>();
        for (var i = 0; i < parse.Items.Count; i++)
        {
            var item = parse.Items[i];
            var last = i == parse.Items.Count - 1;
            if (item.Wildcard)
            {
                pattern.Append(last ? ".*" : ".*?");
            }
            else if (item.Text is { } text)
            {
                pattern.Append(parse.Kind == "regex" ? "(?:" + text + ")" : Sql.RegexEscape(text));
            }
            else
            {
                if (groups.Any(g => g.Item.Column == item.Column))
                {
                    throw item.Pos.Error($"{(parse.DropsUnmatched ? "parse-where" : "parse")} extracts column '{item.Column}' twice");
                }

                var group = "g" + groups.Count.ToString(CultureInfo.InvariantCulture);
                groups.Add((group, item));
                var shape = item.Type switch
                {
                    KqlType.Int or KqlType.Long => @"\-?\d+",
                    KqlType.Real or KqlType.Decimal => @"\-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?",
                    KqlType.Bool => "(?i:true|false)",
                    KqlType.Guid => "[0-9a-fA-F-]{32,38}",
                    _ => last ? ".*" : ".*?",
                };
                pattern.Append("(?P<").Append(group).Append('>').Append(shape).Append(')');
            }
        }

        pattern.Append('$');
        var regex = pattern.ToString();
        ExpressionBinder.ValidateRegex(regex, parse.Pos);
        return (regex, groups);
    }

    /// <summary>
    /// <c>parse-kv</c>: with a regex, its first group's matches are the keys and the second's the values (in SQL); with
    /// delimiters or none, <c>kql_parse_kv</c> finds them (<see cref="KeyValueScanner"/>). A key that is not there
    /// gives "" for a string column and null for the others, as a value that does not convert does.
    /// </summary>
    private Relation BindParseKv(Relation input, ParseKvOperator kv, Scope scope)
    {
        var source = Expressions.ToStringValue(Expressions.Bind(kv.Source, new BindContext(input, scope)));
        string found;
        Func<ParseKvKey, string> valueOf;
        if (kv.Options.Regex is { } regex)
        {
            const string blanks = "' ' || chr(9) || chr(10) || chr(13)";
            var keys = Sql.Ident("__kv_keys");
            var values = Sql.Ident("__kv_values");
            var pattern = Sql.String(regex);
            found = $"list_transform(regexp_extract_all({source.Sql}, {pattern}, 1), k -> trim(k, {blanks})) AS {keys}, " +
                $"regexp_extract_all({source.Sql}, {pattern}, 2) AS {values}";
            valueOf = key => $"trim(list_extract({values}, list_position({keys}, {Sql.String(key.Name)})), {blanks})";
        }
        else
        {
            var bag = Sql.Ident("__kv");
            found = $"{ParseKvUdfs.Name}({source.Sql}, {Sql.String(ParseKvUdfs.Spec(kv.Keys.Select(k => k.Name), kv.Options))}) AS {bag}";
            valueOf = key => $"json_extract_string({bag}, {Sql.String("/" + Sql.PointerSegment(key.Name))})";
        }

        var withFound = new Relation($"(SELECT {input.AllSelect}, {found} FROM {input.From} AS {NextAlias()})", input.Columns)
        {
            HasIngestionTime = input.HasIngestionTime,
            Serialized = input.Serialized,
        };
        var columns = kv.Keys.Select(k => (k.Name, k.Type, Expressions.Convert(new SqlValue(valueOf(k), KqlType.String), k.Type, k.Pos).Sql));
        return WithExtracted(withFound, columns, "");
    }

    /// <summary>
    /// The input's columns and the extracted ones after them; an input column with an extracted column's name gives way
    /// to it. A string value that is null becomes "".
    /// </summary>
    private Relation WithExtracted(Relation input, IEnumerable<(string Name, KqlType Type, string Sql)> extracted, string tail)
    {
        var added = extracted.ToList();
        var names = added.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var columns = new List<RelColumn>();
        var selects = new List<string>();
        foreach (var c in input.Columns.Where(c => !names.Contains(c.Name)))
        {
            columns.Add(c);
            selects.Add(c.Ref);
        }

        foreach (var (name, type, sql) in added)
        {
            selects.Add($"{(type == KqlType.String ? $"coalesce({sql}, '')" : sql)} AS {Sql.Ident(name)}");
            columns.Add(new RelColumn(name, type));
        }

        return Wrap(input, string.Join(", ", selects) + input.HiddenSelect, columns, tail);
    }
}
