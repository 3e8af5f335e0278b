using System.Globalization;
using Tributary.Kql.Binding.Functions;

namespace Tributary.Kql.Binding.Plugins;

/// <summary>
/// <c>narrow()</c>: unpivots a wide table into <c>Row</c> (the 0-based row number), <c>Column</c> (a column name) and
/// <c>Value</c> (its value as text), one row per cell, in row then column order.
/// </summary>
internal sealed class NarrowPlugin : EvaluatePlugin
{
    public override string Name => "narrow";

    public override string Syntax => "narrow()";

    public override string Summary => "One row per cell: Row (the row's 0-based number), Column (the column's name) and Value (the value as text).";

    public override Arity Arity => Arity.Exactly(0);

    public override Relation Bind(PluginCall call)
    {
        var input = call.Input;
        RelColumn[] columns = [new("Row", KqlType.Long), new("Column", KqlType.String), new("Value", KqlType.String)];
        if (input.Columns.Count == 0)
        {
            return new Relation("(SELECT 0::BIGINT AS \"Row\", '' AS \"Column\", '' AS \"Value\" WHERE FALSE)", columns);
        }

        var over = input.Serialized ? $"ORDER BY {Sql.Ident(Relation.OrderColumn)}" : "";
        var numbered = $"(SELECT *, row_number() OVER ({over}) - 1 AS __row FROM {input.From} AS {call.Query.NextAlias()})";
        var names = string.Join(", ", input.Columns.Select(c => Sql.String(c.Name)));
        var values = string.Join(", ", input.Columns.Select(c => call.Expressions.ToStringValue(c.Value).Sql));
        var count = input.Columns.Count.ToString(CultureInfo.InvariantCulture);
        var cells = $"(SELECT __row, unnest([{names}]) AS \"Column\", unnest([{values}]) AS \"Value\", unnest(range({count})) AS __column FROM {numbered} AS {call.Query.NextAlias()})";
        var sql = $"(SELECT __row AS \"Row\", \"Column\", \"Value\", __row * {count} + __column AS {Sql.Ident(Relation.OrderColumn)} FROM {cells} AS {call.Query.NextAlias()})";
        return new Relation(sql, columns) { Serialized = true };
    }
}
