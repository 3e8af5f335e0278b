using System.Globalization;
using Tributary.Kql.Binding.Functions;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding;

/// <summary>One output column of a summarize aggregate. <see cref="InnerSql"/> is set when the value is unpacked from a struct computed in the grouping SELECT (arg_max, arg_min, take_any(*)).</summary>
internal sealed record AggregateOutput(string Name, string Sql, KqlType Type, string? InnerSql = null);

/// <summary>A bound arg_max/arg_min: <paramref name="Function"/> is "arg_max" or "arg_min"; <paramref name="Fields"/> are the output columns (the target first), all from one row.</summary>
internal sealed record ArgRow(string Function, SqlValue Target, List<(string Name, SqlValue Value)> Fields)
{
    /// <summary>True when every value is a plain per-row expression (no aggregate, no window function).</summary>
    public bool IsRowwise => !Target.HasAggregate && !Target.HasWindow && Fields.All(f => !f.Value.HasAggregate && !f.Value.HasWindow);
}

/// <summary>
/// Binds summarize's aggregates: the ones that give several columns or whole rows (arg_max, arg_min, percentiles,
/// take_any(*)) here, the others through their <see cref="FunctionRegistry"/> entries; and names unnamed columns.
/// </summary>
internal static class Aggregates
{
    /// <summary>Binds one summarize aggregate assignment into its output columns.</summary>
    public static IReadOnlyList<AggregateOutput> Bind(Assignment assignment, BindContext ctx, Relation input, HashSet<string> keyNames, NameAllocator names, ref int structIndex, ExpressionBinder binder)
    {
        if (assignment.Expr is CallExpr { Name: "arg_max" or "arg_min" } argCall)
        {
            var row = BindArgRow(argCall, assignment.Name, ctx, input, keyNames, binder);
            return StructOutputs(row.Function, row.Target.Sql, row.Fields, names, ref structIndex);
        }

        if (assignment.Expr is CallExpr { Name: "take_any" or "any" } anyCall && (anyCall.Args.Count > 1 || anyCall.Args is [StarExpr]))
        {
            return BindTakeAnyMany(anyCall, ctx, input, keyNames, names, ref structIndex, binder);
        }

        if (assignment.Expr is CallExpr { Name: "percentiles" or "percentilesw" } pc)
        {
            return BindPercentiles(pc, assignment.Name, ctx, names, binder);
        }

        var value = binder.Bind(assignment.Expr, ctx);
        if (!value.HasAggregate)
        {
            throw assignment.Pos.Error("summarize needs an aggregation (count(), sum(x), …) here; to group by this expression put it after 'by'");
        }

        var given = assignment.Name ?? DefaultName(assignment.Expr);
        var name = given is null ? names.AllocateColumn() : names.Allocate(given);
        return [new AggregateOutput(name, value.Type == KqlType.Dynamic ? value.JsonSql : value.Sql, value.Type)];
    }

    /// <summary>Kusto's name for the column of an unnamed aggregate (<c>count_</c>, <c>dcount_HostId</c>), or null when <paramref name="expr"/> is not an aggregate call.</summary>
    internal static string? DefaultName(Expr expr)
    {
        if (expr is not CallExpr call || !FunctionRegistry.TryGetAggregate(call.Name, out var aggregate))
        {
            return null;
        }

        var argument = call.Args.Count > 0 ? ExpressionBinder.DefaultName(call.Args[0]) : null;
        return aggregate.ColumnName(call, argument);
    }

    // percentiles(x, p, …) and percentilesw(x, weight, p, …): one column per percentage, percentile_x_95.
    private static IReadOnlyList<AggregateOutput> BindPercentiles(CallExpr call, string? explicitName, BindContext ctx, NameAllocator names, ExpressionBinder binder)
    {
        var weighted = call.Name == "percentilesw";
        var first = weighted ? 2 : 1;
        if (call.Args.Count <= first)
        {
            throw call.Pos.Error(weighted ? "percentilesw needs a value, a weight and at least one percentage" : "percentiles needs a value and at least one percentage");
        }

        var c = new FunctionCall(call, ctx, binder);
        var v = c.Numeric(c.Arg(0), allowTimeSpan: true, allowDateTime: true);
        var type = v.Type switch
        {
            KqlType.Int => KqlType.Long,
            KqlType.Decimal when weighted => KqlType.Real,
            _ => v.Type,
        };
        var arg = ExpressionBinder.DefaultName(call.Args[0]);
        var outputs = new List<AggregateOutput>();
        for (var i = first; i < c.Count; i++)
        {
            var sql = weighted
                ? TDigestSql.Percentile(c, TDigestSql.Digest(c, 0, 1), TDigestSql.ConstantPercentValues(c, i, i)[0].ToString("R", CultureInfo.InvariantCulture), type).Sql
                : $"quantile_disc({v.Sql}, {c.Percentage(i)})";
            var suffix = call.Args[i] is LiteralExpr lit ? StatisticAggregates.PercentileSuffix(lit.Value) : "p";
            var name = names.Allocate(explicitName is not null && call.Args.Count == first + 1 ? explicitName : $"percentile_{arg}_{suffix}");
            outputs.Add(new AggregateOutput(name, sql, weighted ? type : v.Type));
        }

        return outputs;
    }

    /// <summary>Binds arg_max/arg_min: the value to maximize (or minimize) and the returned fields, in output order (the target first).</summary>
    public static ArgRow BindArgRow(CallExpr call, string? explicitName, BindContext ctx, Relation input, HashSet<string> keyNames, ExpressionBinder binder)
    {
        if (call.Args.Count < 1)
        {
            throw call.Pos.Error($"{call.Name} needs the expression to maximize and the columns to return: {call.Name}(Timestamp, *)");
        }

        var target = binder.Bind(call.Args[0], ctx);
        if (target.Type == KqlType.Dynamic)
        {
            throw call.Args[0].Pos.Error($"{call.Name} cannot order by a dynamic value; convert it first (tolong, todatetime …)");
        }

        var targetName = ExpressionBinder.DefaultName(call.Args[0]);
        var fields = new List<(string Name, SqlValue Value)>
        {
            (explicitName ?? targetName ?? (call.Name == "arg_max" ? "max_" : "min_"), target),
        };
        var returned = call.Args.Skip(1).ToList();
        foreach (var r in returned)
        {
            if (r is StarExpr)
            {
                foreach (var c in input.Columns)
                {
                    if (!keyNames.Contains(c.Name) && c.Name != targetName)
                    {
                        fields.Add((c.Name, c.Value));
                    }
                }
            }
            else
            {
                var v = binder.Bind(r, ctx);
                var n = ExpressionBinder.DefaultName(r) ?? throw r.Pos.Error($"{call.Name}: name this expression (Name = expr is not allowed here; project it first)");
                fields.Add((n, v));
            }
        }

        return new ArgRow(call.Name == "arg_max" ? "arg_max" : "arg_min", target, fields);
    }

    /// <summary>
    /// The SQL of <c>summarize arg_max(T, …) by keys</c> (or arg_min) as a window filter: one row per group,
    /// the row with the largest (smallest) T, rows with a null T only when the whole group has one (Kusto's rule).
    /// </summary>
    /// <remarks>
    /// Implementation note: DuckDB plans <c>QUALIFY row_number() OVER (PARTITION BY … ORDER BY …) = 1</c> as a
    /// grouped arg_max of the row id joined back to the input (late materialization) when the input is a table
    /// scan, which is several times faster than <c>arg_max(struct_pack(…), T)</c>, whose struct of strings is
    /// copied each time the running maximum changes (every row, for time-ordered snapshots). All values still
    /// come from one row. Null ordering is spelled out: nulls last either way, so a null T wins only alone.
    /// </remarks>
    public static (string Sql, IReadOnlyList<RelColumn> Columns) WindowSelect(ArgRow row, IReadOnlyList<(string Sql, RelColumn Column)> keys, string from, NameAllocator names)
    {
        var selects = new List<string>(keys.Select(k => $"{k.Sql} AS {k.Column.Ref}"));
        var columns = new List<RelColumn>(keys.Select(k => k.Column));
        foreach (var (name, value) in row.Fields)
        {
            var column = new RelColumn(names.Allocate(name), value.ListElement is null ? value.Type : KqlType.Dynamic);
            selects.Add($"{value.JsonSql} AS {column.Ref}");
            columns.Add(column);
        }

        var direction = row.Function == "arg_max" ? "DESC" : "ASC";
        var partition = string.Join(", ", keys.Select(k => k.Sql));
        var sql = $"SELECT {string.Join(", ", selects)} FROM {from} " +
            $"QUALIFY row_number() OVER (PARTITION BY {partition} ORDER BY {row.Target.Sql} {direction} NULLS LAST) = 1";
        return (sql, columns);
    }

    private static IReadOnlyList<AggregateOutput> BindTakeAnyMany(CallExpr call, BindContext ctx, Relation input, HashSet<string> keyNames, NameAllocator names, ref int structIndex, ExpressionBinder binder)
    {
        var fields = new List<(string Name, SqlValue Value)>();
        foreach (var r in call.Args)
        {
            if (r is StarExpr)
            {
                fields.AddRange(input.Columns.Where(c => !keyNames.Contains(c.Name)).Select(c => (c.Name, c.Value)));
            }
            else
            {
                var n = ExpressionBinder.DefaultName(r) ?? names.AllocateColumn();
                fields.Add((n, binder.Bind(r, ctx)));
            }
        }

        return StructOutputs("any_value", null, fields, names, ref structIndex);
    }

    // All returned values come from one row: pack them in a struct so one aggregate picks them together.
    private static IReadOnlyList<AggregateOutput> StructOutputs(string fn, string? orderSql, List<(string Name, SqlValue Value)> fields, NameAllocator names, ref int structIndex)
    {
        var structName = "__s" + (structIndex++).ToString(CultureInfo.InvariantCulture);
        var pack = "struct_pack(" + string.Join(", ", fields.Select((f, i) => $"f{i} := {f.Value.JsonSql}")) + ")";
        var inner = orderSql is null ? $"{fn}({pack}) AS {Sql.Ident(structName)}" : $"{fn}({pack}, {orderSql}) AS {Sql.Ident(structName)}";
        var outputs = new List<AggregateOutput>();
        for (var i = 0; i < fields.Count; i++)
        {
            var f = fields[i];
            var name = names.Allocate(f.Name);
            var sql = $"struct_extract({Sql.Ident(structName)}, 'f{i}')";
            if (f.Value.Type == KqlType.String)
            {
                sql = $"coalesce({sql}, '')";
            }

            outputs.Add(new AggregateOutput(name, sql, f.Value.ListElement is null ? f.Value.Type : KqlType.Dynamic, inner));
        }

        return outputs;
    }
}
