using System.Globalization;
using Tributary.Kql.Binding.Functions;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding.Plugins;

/// <summary>
/// <c>pivot(PivotColumn [, Aggregation] [, Column, …]) [: (Name: type, …)]</c>: one row per value of the columns
/// (by default all but the pivot column and the aggregation's column), one column per value of the pivot column
/// holding the aggregation (default <c>count()</c>) over those rows.
/// </summary>
/// <remarks>
/// A summarize by the columns and the pivot value computes the cells; a second grouping spreads them into columns,
/// so the aggregation has summarize's semantics. A cell without rows holds what the aggregation gives for none: 0
/// for counts and sums, an empty array or bag for make_list, make_set and make_bag, null otherwise. Without an
/// output schema a probe reads the pivot column's distinct values.
/// </remarks>
internal sealed class PivotPlugin : EvaluatePlugin
{
    private const string ValueColumn = "__pivot_value";
    private const string PivotColumn = "__pivot";

    public override string Name => "pivot";

    public override string Syntax => "pivot(PivotColumn [, Aggregation] [, Column, …]) [: (Name: type, …)]";

    public override string Summary =>
        "One column per value of the pivot column, holding the aggregation (default count()) of the rows with that value, one row per value of the other columns (or of the columns named).";

    public override string Difference =>
        $"the value columns are in the order of their names; without an output schema the store reads the input once more to learn them (more than {BagUnpackPlugin.MaxColumns} need an output schema)";

    public override Arity Arity => Arity.AtLeast(1);

    public override bool TakesOutputSchema => true;

    public override Relation Bind(PluginCall call)
    {
        var args = call.Args.Select(a => a!).ToList();
        var pivot = call.Column(args[0], "its first argument");
        if (pivot.Type == KqlType.Dynamic)
        {
            throw args[0].Expr.Pos.Error($"pivot needs a column of a scalar type to pivot on, but '{pivot.Name}' is dynamic");
        }

        var given = args.Count > 1 && args[1].Expr is CallExpr c && FunctionRegistry.TryGetAggregate(c.Name, out _) ? c : null;
        var aggregation = given ?? new CallExpr(call.Syntax.PluginPos, "count", []);
        var keys = args.Skip(given is null ? 1 : 2).Select(a => call.Column(a, "each column after the aggregation")).ToList();
        if (keys.Count == 0)
        {
            var aggregated = aggregation.Args is [NameExpr n, ..] ? n.Name : null;
            keys = call.Input.Columns.Where(k => k != pivot && k.Name != aggregated).ToList();
        }

        var cells = Cells(call, aggregation, keys, pivot);
        var valueType = cells.Find(ValueColumn)!.Type;
        var values = call.Schema is { } schema
            ? SchemaValues(schema, keys)
            : DiscoverValues(call, cells, keys, valueType);

        var empty = EmptyValue(aggregation, valueType);
        var selects = new List<string>();
        var columns = new List<RelColumn>();
        foreach (var key in keys.Where(k => call.Schema is null || call.Schema.Columns.Any(s => s.Name == k.Name)))
        {
            selects.Add(key.Ref);
            columns.Add(key);
        }

        foreach (var (value, name, type) in values)
        {
            var cell = $"any_value({Sql.Ident(ValueColumn)}) FILTER (WHERE {Sql.Ident(PivotColumn)} = {Sql.String(value)})";
            var filled = new SqlValue(empty is null ? cell : $"coalesce({cell}, {empty})", valueType);
            selects.Add($"{call.Expressions.Convert(filled, type, call.Syntax.PluginPos).Sql} AS {Sql.Ident(name)}");
            columns.Add(new RelColumn(name, type));
        }

        var groupBy = keys.Count == 0 ? "" : " GROUP BY " + string.Join(", ", keys.Select(k => k.Ref));
        var select = selects.Count == 0 ? "NULL AS __empty" : string.Join(", ", selects);
        return new Relation($"(SELECT {select} FROM {cells.From} AS {call.Query.NextAlias()}{groupBy})", columns);
    }

    /// <summary>summarize __pivot_value = Aggregation by Keys…, __pivot = tostring(PivotColumn).</summary>
    private static Relation Cells(PluginCall call, CallExpr aggregation, List<RelColumn> keys, RelColumn pivot)
    {
        var pos = aggregation.Pos;
        var by = keys.Select(k => new Assignment(k.Name, new NameExpr(pos, k.Name), pos))
            .Append(new Assignment(PivotColumn, new CallExpr(pos, "tostring", [new NameExpr(pos, pivot.Name)]), pos))
            .ToList();
        var cells = call.Query.Summarize(call.Input, new SummarizeOperator(pos, [new Assignment(ValueColumn, aggregation, pos)], by), call.Scope);
        return cells.Columns.Count == keys.Count + 2
            ? cells
            : throw aggregation.Pos.Error($"pivot needs an aggregation with one result, not {aggregation.Name}");
    }

    /// <summary>The pivot values an output schema names: its columns that are not grouping columns.</summary>
    private static List<(string Value, string Name, KqlType Type)> SchemaValues(OutputSchema schema, List<RelColumn> keys) =>
        schema.Columns.Where(s => !keys.Any(k => k.Name == s.Name)).Select(s => (s.Name, s.Name, s.Type)).ToList();

    /// <summary>The pivot column's distinct values (not empty ones), in order, as columns of the aggregation's type.</summary>
    private static List<(string Value, string Name, KqlType Type)> DiscoverValues(PluginCall call, Relation cells, List<RelColumn> keys, KqlType type)
    {
        var sql = $"SELECT DISTINCT {Sql.Ident(PivotColumn)} FROM {cells.From} AS {call.Query.NextAlias()} "
            + $"WHERE {Sql.Ident(PivotColumn)} <> '' ORDER BY 1 LIMIT {(BagUnpackPlugin.MaxColumns + 1).ToString(CultureInfo.InvariantCulture)}";
        var rows = call.Probe(sql);
        if (rows.Count > BagUnpackPlugin.MaxColumns)
        {
            throw call.Error($"pivot would make more than {BagUnpackPlugin.MaxColumns} columns; give an output schema: pivot(…) : (Name: type, …)");
        }

        var names = new NameAllocator(keys.Select(k => k.Name));
        return rows.Select(r => (r[0]!, names.Allocate(r[0]!), type)).ToList();
    }

    /// <summary>What the aggregation gives for no rows, as SQL, or null when that is null.</summary>
    private static string? EmptyValue(CallExpr aggregation, KqlType type)
    {
        FunctionRegistry.TryGetAggregate(aggregation.Name, out var function);
        return function?.Name switch
        {
            "count" or "countif" or "dcount" or "dcountif" or "sum" or "sumif" => $"CAST(0 AS {KqlTypes.SqlType(type)})",
            "make_list" or "make_list_if" or "make_set" or "make_set_if" => "'[]'::JSON",
            "make_bag" => "'{}'::JSON",
            _ => null,
        };
    }
}
