using System.Globalization;
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

/// <summary>Kusto's aggregation functions and their default column names (count_, dcount_HostId, percentile_Duration_95 …).</summary>
internal static class Aggregates
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "count", "countif", "sum", "sumif", "avg", "avgif", "min", "max", "minif", "maxif", "dcount", "dcountif",
        "arg_max", "arg_min", "percentile", "percentiles", "make_list", "make_set", "make_list_if", "make_set_if",
        "take_any", "any", "stdev", "variance", "stdevp", "variancep", "make_bag",
    };

    public static bool IsAggregate(string name) => Names.Contains(name);

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

        if (assignment.Expr is CallExpr { Name: "percentiles" } pc)
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

    internal static string? DefaultName(Expr expr)
    {
        if (expr is not CallExpr call)
        {
            return null;
        }

        var arg = call.Args.Count > 0 ? ExpressionBinder.DefaultName(call.Args[0]) : null;
        return call.Name switch
        {
            "count" => "count_" + arg,
            "countif" => "countif_",
            "take_any" => arg ?? "any_",
            "any" => "any_" + arg,
            "make_list" => "list_" + arg,
            "make_set" => "set_" + arg,
            "make_list_if" => "list_" + arg,
            "make_set_if" => "set_" + arg,
            "make_bag" => "bag_" + arg,
            "percentile" when call.Args.Count == 2 && call.Args[1] is LiteralExpr lit => $"percentile_{arg}_{PercentileSuffix(lit.Value)}",
            _ when IsAggregate(call.Name) => call.Name + "_" + arg,
            _ => null,
        };
    }

    private static string PercentileSuffix(object? p) =>
        System.Convert.ToString(p, CultureInfo.InvariantCulture)!.Replace('.', '_');

    /// <summary>Binds an aggregate call used as a value (possibly inside a larger expression).</summary>
    public static SqlValue BindSingle(CallExpr call, BindContext ctx, ExpressionBinder binder)
    {
        var a = call.Args;
        SqlValue Arg(int i) => binder.Bind(a[i], ctx);
        void Arity(int min, int max)
        {
            if (a.Count < min || a.Count > max)
            {
                throw call.Pos.Error($"aggregate '{call.Name}' takes {(min == max ? min.ToString(CultureInfo.InvariantCulture) : $"{min} to {max}")} argument(s) but was given {a.Count}");
            }
        }

        SqlValue Agg(string sql, KqlType type) => new(sql, type) { HasAggregate = true };
        SqlValue Pred(int i) => binder.RequireBool(Arg(i), a[i].Pos, call.Name);

        switch (call.Name)
        {
            case "count":
                Arity(0, 1);
                if (a.Count == 1 && a[0] is not StarExpr)
                {
                    // Kusto's count(x) counts rows, null values of x included.
                    _ = Arg(0);
                }

                return Agg("count(*)", KqlType.Long);
            case "countif":
                Arity(1, 1);
                return Agg($"count(*) FILTER (WHERE {Pred(0).Sql})", KqlType.Long);
            case "dcount":
                Arity(1, 2);
                return Agg($"count(DISTINCT {Arg(0).JsonSql})", KqlType.Long);
            case "dcountif":
                Arity(2, 3);
                return Agg($"count(DISTINCT {Arg(0).JsonSql}) FILTER (WHERE {Pred(1).Sql})", KqlType.Long);
            case "sum":
            case "sumif":
                {
                    Arity(call.Name == "sum" ? 1 : 2, call.Name == "sum" ? 1 : 2);
                    var v = Numeric(call, Arg(0), binder, allowTimeSpan: true);
                    var filter = call.Name == "sumif" ? $" FILTER (WHERE {Pred(1).Sql})" : "";
                    var type = v.Type is KqlType.Int ? KqlType.Long : v.Type;
                    // An empty group sums to 0, as in Kusto.
                    var sql = type is KqlType.Long or KqlType.TimeSpan ? $"CAST(coalesce(sum({v.Sql}){filter}, 0) AS BIGINT)" : $"coalesce(sum({v.Sql}){filter}, 0)";
                    return Agg(sql, type);
                }

            case "avg":
            case "avgif":
                {
                    Arity(call.Name == "avg" ? 1 : 2, call.Name == "avg" ? 1 : 2);
                    var v = Numeric(call, Arg(0), binder, allowTimeSpan: true);
                    var filter = call.Name == "avgif" ? $" FILTER (WHERE {Pred(1).Sql})" : "";
                    return v.Type == KqlType.TimeSpan
                        ? Agg($"CAST(round(avg({v.Sql}){filter}) AS BIGINT)", KqlType.TimeSpan)
                        // An empty group averages to NaN (0 / 0), as in Kusto.
                        : Agg($"coalesce(avg({v.Sql}){filter}, 'NaN'::DOUBLE)", KqlType.Real);
                }

            case "min":
            case "max":
            case "minif":
            case "maxif":
                {
                    var conditional = call.Name.EndsWith("if", StringComparison.Ordinal);
                    Arity(conditional ? 2 : 1, conditional ? 2 : 1);
                    var v = Arg(0);
                    var fn = call.Name.StartsWith("min", StringComparison.Ordinal) ? "min" : "max";
                    var filter = conditional ? $" FILTER (WHERE {Pred(1).Sql})" : "";
                    var sql = $"{fn}({v.JsonSql}){filter}";
                    if (v.Type == KqlType.String)
                    {
                        // Kusto ignores empty strings (string nulls) in min/max.
                        sql = $"coalesce({fn}(nullif({v.Sql}, '')){filter}, '')";
                    }

                    return Agg(sql, v.ListElement is null ? v.Type : KqlType.Dynamic);
                }

            case "percentile":
                {
                    Arity(2, 2);
                    var v = Numeric(call, Arg(0), binder, allowTimeSpan: true, allowDateTime: true);
                    var p = Percent(call, a[1], ctx, binder);
                    return Agg($"quantile_disc({v.Sql}, {p})", v.Type);
                }

            case "stdev":
            case "variance":
            case "stdevp":
            case "variancep":
                {
                    Arity(1, 1);
                    var v = Numeric(call, Arg(0), binder);
                    var fn = call.Name switch { "stdev" => "stddev_samp", "variance" => "var_samp", "stdevp" => "stddev_pop", _ => "var_pop" };
                    return Agg($"{fn}({v.Sql})", KqlType.Real);
                }

            case "make_list":
            case "make_set":
            case "make_list_if":
            case "make_set_if":
                {
                    var conditional = call.Name.EndsWith("_if", StringComparison.Ordinal);
                    Arity(conditional ? 2 : 1, conditional ? 3 : 2);
                    var v = binder.Convert(Arg(0), KqlType.Dynamic, call.Pos);
                    var raw = Arg(0);
                    var element = raw.Type is KqlType.DateTime or KqlType.TimeSpan || raw.Type == KqlType.Dynamic ? v.Sql : raw.Sql;
                    var where = $"{element} IS NOT NULL" + (conditional ? $" AND {Pred(1).Sql}" : "");
                    var list = $"list({element}) FILTER (WHERE {where})";
                    if (call.Name.StartsWith("make_set", StringComparison.Ordinal))
                    {
                        list = $"list_distinct({list})";
                    }

                    var limitIndex = conditional ? 2 : 1;
                    if (a.Count > limitIndex)
                    {
                        list = $"list_slice({list}, 1, {binder.ConstantLong(a[limitIndex], ctx, call.Name)})";
                    }

                    return Agg($"coalesce(to_json({list}), '[]'::JSON)", KqlType.Dynamic);
                }

            case "make_bag":
                Arity(1, 1);
                return Agg($"coalesce(json_merge_patch('{{}}', {Arg(0).JsonSql}), '{{}}'::JSON)", KqlType.Dynamic);
            case "take_any":
            case "any":
                {
                    Arity(1, 1);
                    var v = Arg(0);
                    return Agg(v.Type == KqlType.String ? $"coalesce(any_value({v.Sql}), '')" : $"any_value({v.JsonSql})", v.ListElement is null ? v.Type : KqlType.Dynamic);
                }

            case "arg_max":
            case "arg_min":
                throw call.Pos.Error($"{call.Name} must be used directly in summarize, not inside an expression");
            case "percentiles":
                throw call.Pos.Error("percentiles must be used directly in summarize, not inside an expression");
        }

        throw call.Pos.Error($"unknown aggregate '{call.Name}'");
    }

    private static string Percent(CallExpr call, Expr expr, BindContext ctx, ExpressionBinder binder)
    {
        var p = binder.Bind(expr, ctx);
        if (p is { IsConstant: true, Constant: long or double } && System.Convert.ToDouble(p.Constant, CultureInfo.InvariantCulture) is var d && d is >= 0 and <= 100)
        {
            return (d / 100.0).ToString("R", CultureInfo.InvariantCulture);
        }

        throw expr.Pos.Error($"{call.Name} needs a constant percentage between 0 and 100");
    }

    private static SqlValue Numeric(CallExpr call, SqlValue v, ExpressionBinder binder, bool allowTimeSpan = false, bool allowDateTime = false)
    {
        if (KqlTypes.IsNumeric(v.Type) || (allowTimeSpan && v.Type == KqlType.TimeSpan) || (allowDateTime && v.Type == KqlType.DateTime))
        {
            return v;
        }

        if (v.Type == KqlType.Dynamic || v.Type == KqlType.Bool)
        {
            return binder.Convert(v, KqlType.Real, call.Pos);
        }

        throw call.Pos.Error($"{call.Name} needs a numeric argument but got {KqlTypes.Name(v.Type)}");
    }

    private static IReadOnlyList<AggregateOutput> BindPercentiles(CallExpr call, string? explicitName, BindContext ctx, NameAllocator names, ExpressionBinder binder)
    {
        if (call.Args.Count < 2)
        {
            throw call.Pos.Error("percentiles needs a value and at least one percentage");
        }

        var v = Numeric(call, binder.Bind(call.Args[0], ctx), binder, allowTimeSpan: true, allowDateTime: true);
        var arg = ExpressionBinder.DefaultName(call.Args[0]);
        var outputs = new List<AggregateOutput>();
        foreach (var pExpr in call.Args.Skip(1))
        {
            var p = Percent(call, pExpr, ctx, binder);
            var suffix = pExpr is LiteralExpr lit ? PercentileSuffix(lit.Value) : "p";
            var name = names.Allocate(explicitName is not null && call.Args.Count == 2 ? explicitName : $"percentile_{arg}_{suffix}");
            outputs.Add(new AggregateOutput(name, $"quantile_disc({v.Sql}, {p})", v.Type));
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
