using Tributary.Kql.Binding;
using Tributary.Kql.Parsing;
using Tributary.Kql.Syntax;

namespace Tributary.Kql;

/// <summary>
/// How a materialized view is kept up to date: its output columns, its group keys (the first
/// <see cref="Keys"/> columns), and a KQL summarize that merges old view rows with a new extent's
/// aggregate for the same keys (<c>arg_max</c> again for <c>arg_max</c>, <c>sum</c> for <c>count</c>, …).
/// </summary>
/// <param name="Columns">The view's columns, keys first.</param>
/// <param name="Keys">The names of the group keys.</param>
/// <param name="MergeSummarize">The operator text "summarize … by …" to run over old and new rows of the view's shape.</param>
public sealed record MaterializedViewPlan(IReadOnlyList<KqlColumn> Columns, IReadOnlyList<string> Keys, string MergeSummarize)
{
    private static readonly Dictionary<string, string> MergeFunctions = new(StringComparer.Ordinal)
    {
        ["count"] = "sum", ["countif"] = "sum", ["sum"] = "sum", ["sumif"] = "sum",
        ["min"] = "min", ["minif"] = "min", ["max"] = "max", ["maxif"] = "max", ["take_any"] = "take_any",
    };

    /// <summary>
    /// Checks that <paramref name="query"/> reads <paramref name="sourceTable"/>, applies only row-by-row
    /// operators (where, extend, project …) and ends in one summarize whose aggregates can be merged
    /// (arg_max, arg_min, count, countif, sum, sumif, min, max, take_any), and plans its upkeep.
    /// </summary>
    public static MaterializedViewPlan Create(string query, string sourceTable, ICatalog catalog, TranslationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var parsed = Parser.ParseQuery(query, options.Origin, null);
        if (parsed.Statements.Count > 0 || parsed.Body is not PipelineExpr { Source: NameSource source } pipeline)
        {
            throw new KqlException($"a materialized view's query starts with its source table: {sourceTable} | … | summarize … by …", options.Origin.Line, options.Origin.Column);
        }

        if (source.Name != sourceTable)
        {
            throw source.Pos.Error($"the view's query must read its source table '{sourceTable}', not '{source.Name}'");
        }

        var ops = pipeline.Operators;
        if (ops.Count == 0 || ops[^1] is not SummarizeOperator summarize)
        {
            throw pipeline.Pos.Error("a materialized view's query must end in summarize … by …");
        }

        foreach (var op in ops.Take(ops.Count - 1))
        {
            if (op is not (WhereOperator or ExtendOperator or ProjectOperator or ProjectAwayOperator or ProjectRenameOperator))
            {
                throw op.Pos.Error("before its summarize, a materialized view may only use where, extend, project, project-away, project-keep and project-rename");
            }
        }

        if (summarize.By.Count == 0)
        {
            throw summarize.Pos.Error("a materialized view's summarize needs 'by' keys");
        }

        var full = KqlTranslator.Translate(query, catalog, options);
        var keys = full.Columns.Take(summarize.By.Count).Select(c => c.Name).ToList();
        var merges = new List<string>();
        var origin = options.Origin.Line > 0 ? options.Origin : KqlPosition.Start;
        var prefix = query[..OffsetOf(query, summarize.Pos, origin)];
        var byText = "by " + string.Join(", ", summarize.By.Select(b => Text(query, b, origin)));
        foreach (var aggregate in summarize.Aggregates)
        {
            if (aggregate.Expr is not CallExpr call)
            {
                throw aggregate.Pos.Error("materialized view aggregates must be plain calls (count(), sum(x), arg_max(t, *) …)");
            }

            // The columns this aggregate alone produces, after the keys.
            var alone = KqlTranslator.Translate($"{prefix}summarize {Text(query, aggregate, origin)} {byText}", catalog, options);
            var outputs = alone.Columns.Skip(keys.Count).Select(c => c.Name).ToList();
            if (call.Name is "arg_max" or "arg_min")
            {
                merges.Add($"{call.Name}({string.Join(", ", outputs.Select(Quote))})");
            }
            else if (MergeFunctions.TryGetValue(call.Name, out var merge))
            {
                merges.Add($"{Quote(outputs[0])} = {merge}({Quote(outputs[0])})");
            }
            else
            {
                throw call.Pos.Error($"materialized views cannot merge '{call.Name}' incrementally (use arg_max, arg_min, count, countif, sum, sumif, min, max or take_any)");
            }
        }

        var text = $"summarize {string.Join(", ", merges)} by {string.Join(", ", keys.Select(Quote))}";
        return new MaterializedViewPlan(full.Columns, keys, text);
    }

    /// <summary>A bracket-quoted KQL identifier (<c>['name']</c>).</summary>
    public static string Quote(string name) => "['" + name.Replace("\\", "\\\\").Replace("'", "\\'") + "']";

    // The offset in 'text' of a position counted from 'origin' (where the text begins in the command the user typed).
    private static int OffsetOf(string text, SourcePosition pos, KqlPosition origin)
    {
        var line = origin.Line;
        var i = 0;
        while (line < pos.Line && i < text.Length)
        {
            if (text[i++] == '\n')
            {
                line++;
            }
        }

        return i + pos.Column - (pos.Line == origin.Line ? origin.Column : 1);
    }

    private static string Text(string query, Assignment assignment, KqlPosition origin)
    {
        // An assignment's text runs from its start to the next top-level comma or the end of its clause.
        var start = OffsetOf(query, assignment.Pos, origin);
        var depth = 0;
        char? quote = null;
        for (var i = start; i < query.Length; i++)
        {
            var c = query[i];
            if (quote is not null)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = null;
                }

                continue;
            }

            switch (c)
            {
                case '"' or '\'':
                    quote = c;
                    break;
                case '(' or '[' or '{':
                    depth++;
                    break;
                case ')' or ']' or '}':
                    depth--;
                    break;
                case ',' or '|' when depth == 0:
                    return query[start..i].Trim();
            }

            if (depth == 0 && IsWordAt(query, i, "by"))
            {
                return query[start..i].Trim();
            }
        }

        return query[start..].Trim();
    }

    private static bool IsWordAt(string text, int i, string word) =>
        i > 0 && char.IsWhiteSpace(text[i - 1]) && string.CompareOrdinal(text, i, word, 0, word.Length) == 0 &&
        (i + word.Length == text.Length || char.IsWhiteSpace(text[i + word.Length]));
}
