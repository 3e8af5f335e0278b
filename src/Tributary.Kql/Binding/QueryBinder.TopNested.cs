using System.Globalization;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding;

// top-nested: a hierarchy of top values, one summarize per level.
internal sealed partial class QueryBinder
{
    private const string TopNestedAggregate = "__agg";

    /// <summary>One bound level of top-nested: its output names and types, how many values it keeps, its others value.</summary>
    private sealed record NestedLevel(string Name, KqlType Type, string AggregateName, KqlType AggregateType, bool Ascending, SqlValue? Others);

    /// <summary>
    /// top-nested: level k summarizes the rows by the values of levels 1..k and keeps, under each value kept at level
    /// k-1, the N values whose aggregation is largest (smallest with asc); every level gives two columns, the value
    /// and its aggregation (<c>aggregated_Name</c> unless named). A level <c>with others = V</c> adds, under each
    /// value kept above it, a row with value V aggregating the rows whose value was not kept; its deeper columns are
    /// null. Rows come out in hierarchy order: by each level's aggregation, others last.
    /// </summary>
    private Relation BindTopNested(Relation input, TopNestedOperator topNested, Scope scope)
    {
        var extended = BindExtend(input, topNested.Levels.Select((l, k) => new Assignment(NestedValue(k), l.Value.Expr, l.Value.Pos)).ToList(), scope);
        var names = new NameAllocator([]);
        var levels = new List<NestedLevel>();
        var rowSets = new List<(int Depth, string Sql, bool IsOthers)>();
        string? kept = null;
        for (var k = 0; k < topNested.Levels.Count; k++)
        {
            var syntax = topNested.Levels[k];
            var groups = NestedGroups(extended, syntax.Aggregate.Expr, k + 1, syntax.Aggregate.Pos, scope);
            var valueType = groups.Columns[k].Type;
            var name = names.Allocate(syntax.Value.Name ?? ExpressionBinder.DefaultName(syntax.Value.Expr) ?? "Column" + (k + 1).ToString(CultureInfo.InvariantCulture));
            var level = new NestedLevel(name, valueType, names.Allocate(syntax.Aggregate.Name ?? "aggregated_" + name),
                groups.Find(TopNestedAggregate)!.Type, syntax.Ascending, NestedOthers(syntax, valueType, scope));
            levels.Add(level);

            var count = syntax.Count is null ? (long?)null : Expressions.ConstantLong(syntax.Count, new BindContext(null, scope), "top-nested");
            var top = NestedTop(kept, groups, k, count, syntax.Ascending);
            if (level.Others is { } others)
            {
                rowSets.Add((k, NestedOthersRows(extended, kept, top, k, syntax.Aggregate, others, scope), true));
            }

            kept = top;
        }

        rowSets.Insert(0, (levels.Count - 1, kept!, false));
        return NestedResult(levels, rowSets);
    }

    private static string NestedValue(int level) => "__tn" + level.ToString(CultureInfo.InvariantCulture);

    private static string KeptValue(int level) => Sql.Ident("__v" + level.ToString(CultureInfo.InvariantCulture));

    private static string KeptAggregate(int level) => Sql.Ident("__a" + level.ToString(CultureInfo.InvariantCulture));

    /// <summary>summarize __agg = Aggregation [, more] by the values of the first <paramref name="depth"/> levels.</summary>
    private Relation NestedGroups(Relation rows, Expr aggregation, int depth, SourcePosition pos, Scope scope, params Assignment[] more)
    {
        if (!CallsAggregate(aggregation))
        {
            throw pos.Error("top-nested needs an aggregation after 'by' (sum(x), count(), max(t) - min(t) …)");
        }

        var by = Enumerable.Range(0, depth).Select(i => new Assignment(NestedValue(i), new NameExpr(pos, NestedValue(i)), pos)).ToList();
        var groups = BindSummarize(rows, new SummarizeOperator(pos, [new Assignment(TopNestedAggregate, aggregation, pos), .. more], by), scope);
        return groups.Columns.Count == depth + 1 + more.Length
            ? groups
            : throw pos.Error("top-nested needs an aggregation with one result (sum(x), count(), max(t) - min(t) …)");
    }

    private static bool CallsAggregate(Expr expr) => expr switch
    {
        CallExpr call => Functions.FunctionRegistry.TryGetAggregate(call.Name, out _) || call.Args.Any(CallsAggregate),
        BinaryExpr b => CallsAggregate(b.Left) || CallsAggregate(b.Right),
        UnaryExpr u => CallsAggregate(u.Operand),
        _ => false,
    };

    private SqlValue? NestedOthers(TopNestedLevel level, KqlType valueType, Scope scope)
    {
        if (level.Others is null)
        {
            return null;
        }

        var value = Expressions.Bind(level.Others, new BindContext(null, scope));
        var fits = value.Type == valueType || value is { IsConstant: true, Constant: null } || (KqlTypes.IsNumeric(value.Type) && KqlTypes.IsNumeric(valueType));
        return fits
            ? Expressions.Convert(value, valueType, level.Others.Pos)
            : throw level.Others.Pos.Error($"with others needs a {KqlTypes.Name(valueType)} value, as the level's values are, but this is {KqlTypes.Name(value.Type)}");
    }

    /// <summary>The top rows of level <paramref name="k"/>: under each kept row of the level above, the best N groups.</summary>
    private string NestedTop(string? kept, Relation groups, int k, long? count, bool ascending)
    {
        var g = NextAlias();
        var order = $"{g}.{Sql.Ident(TopNestedAggregate)} {(ascending ? "ASC NULLS FIRST" : "DESC NULLS LAST")}";
        var partition = k == 0 ? "" : "PARTITION BY " + string.Join(", ", Enumerable.Range(0, k).Select(i => $"{g}.{Sql.Ident(NestedValue(i))}")) + " ";
        var qualify = count is null ? "" : $" QUALIFY row_number() OVER ({partition}ORDER BY {order}) <= {count}";
        var value = $"{g}.{Sql.Ident(NestedValue(k))} AS {KeptValue(k)}, {g}.{Sql.Ident(TopNestedAggregate)} AS {KeptAggregate(k)}";
        if (kept is null)
        {
            return $"(SELECT {value} FROM {groups.From} AS {g}{qualify})";
        }

        var p = NextAlias();
        return $"(SELECT {p}.*, {value} FROM {kept} AS {p} JOIN {groups.From} AS {g} ON {NestedMatch(p, g, k)}{qualify})";
    }

    /// <summary>The kept rows <paramref name="kept"/> and the grouped rows <paramref name="grouped"/> agree on the first <paramref name="depth"/> levels.</summary>
    private static string NestedMatch(string kept, string grouped, int depth) =>
        depth == 0 ? "TRUE" : string.Join(" AND ", Enumerable.Range(0, depth).Select(i => $"{kept}.{KeptValue(i)} IS NOT DISTINCT FROM {grouped}.{Sql.Ident(NestedValue(i))}"));

    /// <summary>
    /// The others rows of level <paramref name="k"/>: the aggregation of the rows under a kept value of the level above
    /// whose own value was not kept, with the others value in its place.
    /// </summary>
    private string NestedOthersRows(Relation extended, string? kept, string top, int k, Assignment aggregate, SqlValue others, Scope scope)
    {
        var e = NextAlias();
        var p = NextAlias();
        var q = NextAlias();
        var underKept = kept is null ? "TRUE" : $"EXISTS (SELECT 1 FROM {kept} AS {p} WHERE {NestedMatch(p, e, k)})";
        var rest = new Relation(
            $"(SELECT {string.Join(", ", extended.Columns.Select(c => $"{e}.{c.Ref}"))} FROM {extended.From} AS {e} WHERE {underKept} AND NOT EXISTS (SELECT 1 FROM {top} AS {q} WHERE {NestedMatch(q, e, k + 1)}))",
            extended.Columns);
        var count = new Assignment("__n", new CallExpr(aggregate.Pos, "count", []), aggregate.Pos);
        var groups = NestedGroups(rest, aggregate.Expr, k, aggregate.Pos, scope, count);
        var r = NextAlias();
        var value = $"{others.Sql} AS {KeptValue(k)}, {r}.{Sql.Ident(TopNestedAggregate)} AS {KeptAggregate(k)}";
        if (kept is null)
        {
            return $"(SELECT {value} FROM {groups.From} AS {r} WHERE {r}.\"__n\" > 0)";
        }

        var pk = NextAlias();
        return $"(SELECT {pk}.*, {value} FROM {kept} AS {pk} JOIN {groups.From} AS {r} ON {NestedMatch(pk, r, k)} WHERE {r}.\"__n\" > 0)";
    }

    /// <summary>The top rows and the others rows of every level, named, with nulls below an others row, in hierarchy order.</summary>
    private Relation NestedResult(List<NestedLevel> levels, List<(int Depth, string Sql, bool IsOthers)> rowSets)
    {
        var parts = new List<string>();
        foreach (var (depth, sql, isOthers) in rowSets)
        {
            var selects = new List<string>();
            for (var k = 0; k < levels.Count; k++)
            {
                var level = levels[k];
                var present = k <= depth;
                selects.Add(present ? $"{KeptValue(k)} AS {Sql.Ident(level.Name)}" : $"{Sql.Literal(null, level.Type)} AS {Sql.Ident(level.Name)}");
                selects.Add(present ? $"{KeptAggregate(k)} AS {Sql.Ident(level.AggregateName)}" : $"{Sql.Literal(null, level.AggregateType)} AS {Sql.Ident(level.AggregateName)}");
                var others = k < depth || (k == depth && !isOthers) ? "0" : k == depth ? "1" : "NULL";
                selects.Add($"{others} AS {Sql.Ident("__o" + k.ToString(CultureInfo.InvariantCulture))}");
            }

            parts.Add($"SELECT {string.Join(", ", selects)} FROM {sql} AS {NextAlias()}");
        }

        var order = string.Join(", ", levels.Select((l, k) =>
            $"{Sql.Ident("__o" + k.ToString(CultureInfo.InvariantCulture))} NULLS LAST, {Sql.Ident(l.AggregateName)} {(l.Ascending ? "ASC NULLS FIRST" : "DESC NULLS LAST")}, {Sql.Ident(l.Name)}"));
        var columns = levels.SelectMany(l => new[] { new RelColumn(l.Name, l.Type), new RelColumn(l.AggregateName, l.AggregateType) }).ToList();
        var visible = string.Join(", ", columns.Select(c => c.Ref));
        var sqlAll = $"(SELECT {visible}, row_number() OVER (ORDER BY {order}) AS {Sql.Ident(Relation.OrderColumn)} FROM ({string.Join(" UNION ALL ", parts)}) AS {NextAlias()})";
        return new Relation(sqlAll, columns) { Serialized = true };
    }
}
