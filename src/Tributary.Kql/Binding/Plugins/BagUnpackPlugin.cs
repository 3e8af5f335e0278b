using System.Globalization;
using Tributary.Kql.Binding.Functions;

namespace Tributary.Kql.Binding.Plugins;

/// <summary>
/// <c>bag_unpack(Column [, OutputColumnPrefix] [, columnsConflict] [, ignoredProperties]) [: ([*,] Name: type, …)]</c>:
/// one column per top-level property of a dynamic column's bags, in place of that column.
/// </summary>
/// <remarks>
/// Without an output schema the properties come from the data: a probe asks for the distinct property names and the
/// JSON types of their values (a property whose non-null values share one type gets it, any other is dynamic), and
/// the columns are ordered by name, as in Kusto. A row whose value is not a bag gives nulls.
/// </remarks>
internal sealed class BagUnpackPlugin : EvaluatePlugin
{
    /// <summary>The most properties unpacked without an output schema.</summary>
    internal const int MaxColumns = 1000;

    private static readonly string[] Conflicts = ["error", "replace_source", "keep_source"];

    public override string Name => "bag_unpack";

    public override string Syntax => "bag_unpack(Column [, OutputColumnPrefix] [, columnsConflict] [, ignoredProperties]) [: ([*,] Name: type, …)]";

    public override string Summary =>
        "One column per property of a dynamic column's bags, named Prefix + property and typed by the property's values (their common type, else dynamic), in place of that column; "
        + "columnsConflict = error (default), replace_source or keep_source when a name is an existing column's.";

    public override string Difference =>
        $"without an output schema the store reads the input once more to learn the properties (more than {MaxColumns} need an output schema)";

    public override Arity Arity => Arity.Between(1, 4);

    public override IReadOnlyList<string> ParameterNames => ["Column", "OutputColumnPrefix", "columnsConflict", "ignoredProperties"];

    public override bool TakesOutputSchema => true;

    public override Relation Bind(PluginCall call)
    {
        var source = call.Column(call.Arg(0) ?? throw call.Error("bag_unpack needs the dynamic column to unpack"), "its first argument");
        if (source.Type != KqlType.Dynamic)
        {
            throw call.Arg(0)!.Expr.Pos.Error($"bag_unpack needs a dynamic column, but '{source.Name}' is {KqlTypes.Name(source.Type)}");
        }

        var prefix = call.ConstantString(1, "the output column prefix") ?? "";
        var conflict = call.ConstantString(2, "columnsConflict", Conflicts) ?? "error";
        var ignored = call.ConstantStrings(3, "ignoredProperties").ToHashSet(StringComparer.Ordinal);
        var input = call.Input;
        var slots = call.Schema is { } schema
            ? schema.Columns.Select(c => (Property: c.Name.StartsWith(prefix, StringComparison.Ordinal) ? c.Name[prefix.Length..] : c.Name, c.Name, c.Type)).ToList()
            : DiscoverSlots(call, source, prefix, ignored);

        var json = source.Value.JsonSql;
        var outputs = new List<(RelColumn Column, string Sql)>();
        if (call.Schema is null || call.Schema.KeepsInput)
        {
            outputs.AddRange(input.Columns.Where(c => c != source).Select(c => (c, c.Ref)));
        }

        foreach (var (property, name, type) in slots)
        {
            var pointer = Sql.String("/" + Sql.PointerSegment(property));
            var raw = new SqlValue($"(CASE WHEN json_type({json}) = 'OBJECT' THEN json_extract({json}, {pointer}) END)", KqlType.Dynamic);
            var value = (new RelColumn(name, type), call.Expressions.Convert(raw, type, call.Syntax.PluginPos).Sql);
            var clash = outputs.FindIndex(o => o.Column.Name == name);
            if (clash < 0)
            {
                outputs.Add(value);
            }
            else if (conflict == "replace_source")
            {
                outputs[clash] = value;
            }
            else if (conflict == "error")
            {
                throw call.Error($"bag_unpack: the property '{property}' would make a column '{name}', which the input already has; "
                    + "pass columnsConflict='replace_source' or 'keep_source', or a column prefix");
            }
        }

        var select = outputs.Count == 0 ? "NULL AS __empty" : string.Join(", ", outputs.Select(o => $"{o.Sql} AS {o.Column.Ref}"));
        var sql = $"(SELECT {select}{input.HiddenSelect} FROM {input.From} AS {call.Query.NextAlias()})";
        return new Relation(sql, outputs.Select(o => o.Column).ToList()) { HasIngestionTime = input.HasIngestionTime, Serialized = input.Serialized };
    }

    /// <summary>The properties in the data, by name, with the type of their values.</summary>
    private static List<(string Property, string Name, KqlType Type)> DiscoverSlots(PluginCall call, RelColumn source, string prefix, HashSet<string> ignored)
    {
        var bags = call.Query.NextAlias();
        var sql = $"SELECT e.key, string_agg(DISTINCT e.type, ',') "
            + $"FROM (SELECT {source.Value.JsonSql} AS v FROM {call.Input.From} AS {call.Query.NextAlias()}) AS {bags}, json_each({bags}.v) AS e "
            + $"WHERE json_type({bags}.v) = 'OBJECT' GROUP BY e.key ORDER BY e.key LIMIT {(MaxColumns + ignored.Count + 1).ToString(CultureInfo.InvariantCulture)}";
        var slots = call.Probe(sql)
            .Where(row => row[0] is { Length: > 0 } key && !ignored.Contains(key))
            .Select(row => (Property: row[0]!, Name: prefix + row[0], Type: SlotType(row[1])))
            .ToList();
        return slots.Count <= MaxColumns
            ? slots
            : throw call.Error($"bag_unpack would make more than {MaxColumns} columns; give an output schema: bag_unpack(…) : (Name: type, …)");
    }

    /// <summary>A property's column type from the JSON types of its values ("BIGINT,VARCHAR"): their one Kusto type, else dynamic.</summary>
    private static KqlType SlotType(string? jsonTypes)
    {
        var types = (jsonTypes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Where(t => t != "NULL")
            .Select(t => t switch
            {
                "BIGINT" or "UBIGINT" => KqlType.Long,
                "DOUBLE" => KqlType.Real,
                "VARCHAR" => KqlType.String,
                "BOOLEAN" => KqlType.Bool,
                _ => KqlType.Dynamic,
            })
            .Distinct()
            .ToList();
        return types.Count == 1 ? types[0] : KqlType.Dynamic;
    }
}
