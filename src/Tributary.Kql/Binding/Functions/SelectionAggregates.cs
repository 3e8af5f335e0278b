namespace Tributary.Kql.Binding.Functions;

/// <summary>Aggregates that pick values from the group: min, max, take_any, and whole rows with arg_max and arg_min.</summary>
internal static class SelectionAggregates
{
    public static IReadOnlyList<AggregateFunction> All { get; } =
    [
        new("min", Arity.Exactly(1), "min(value: any): same type", "The smallest value (empty strings ignored).", c => Extreme(c, "min", conditional: false)),
        new("max", Arity.Exactly(1), "max(value: any): same type", "The largest value (empty strings ignored).", c => Extreme(c, "max", conditional: false)),
        new("minif", Arity.Exactly(2), "minif(value: any, condition: bool): same type", "The smallest value in the rows where the condition holds.", c => Extreme(c, "min", conditional: true)),
        new("maxif", Arity.Exactly(2), "maxif(value: any, condition: bool): same type", "The largest value in the rows where the condition holds.", c => Extreme(c, "max", conditional: true)),
        new("take_any", Arity.AtLeast(1), "take_any(value: any, ...): same type", "A value from some row; with several arguments or *, all from the same row (only directly in summarize).", TakeAny)
        {
            Aliases = ["any"],
            ColumnName = (call, argument) => call.Name == "any" ? "any_" + argument : argument ?? "any_",
        },
        new("take_anyif", Arity.Exactly(2), "take_anyif(value: any, condition: bool): same type", "A value from some row where the condition holds.", TakeAnyIf)
        {
            Aliases = ["anyif"],
            ColumnName = (call, argument) => call.Name == "anyif" ? "anyif_" + argument : argument ?? "take_anyif_",
        },
        new("arg_max", Arity.AtLeast(1), "arg_max(maximize: any [, column: any|*, ...]): row", "The columns of the row with the largest value (only directly in summarize).", AggregateFunction.OnlyInSummarize),
        new("arg_min", Arity.AtLeast(1), "arg_min(minimize: any [, column: any|*, ...]): row", "The columns of the row with the smallest value (only directly in summarize).", AggregateFunction.OnlyInSummarize),
    ];

    private static SqlValue Extreme(FunctionCall c, string sqlFunction, bool conditional)
    {
        var v = c.Arg(0);
        var filter = conditional ? $" FILTER (WHERE {c.Predicate(1).Sql})" : "";
        var sql = $"{sqlFunction}({v.JsonSql}){filter}";
        if (v.Type == KqlType.String)
        {
            // Kusto ignores empty strings (string nulls) in min/max.
            sql = $"coalesce({sqlFunction}(nullif({v.Sql}, '')){filter}, '')";
        }

        return SqlValue.Aggregated(sql, v.ListElement is null ? v.Type : KqlType.Dynamic);
    }

    private static SqlValue TakeAny(FunctionCall c)
    {
        if (c.Count != 1)
        {
            throw c.Error($"{c.Name} with several arguments must be used directly in summarize, not inside an expression");
        }

        var v = c.Arg(0);
        return SqlValue.Aggregated(v.Type == KqlType.String ? $"coalesce(any_value({v.Sql}), '')" : $"any_value({v.JsonSql})", v.ListElement is null ? v.Type : KqlType.Dynamic);
    }

    private static SqlValue TakeAnyIf(FunctionCall c)
    {
        var v = c.Arg(0);
        var filter = $" FILTER (WHERE {c.Predicate(1).Sql})";
        return SqlValue.Aggregated(v.Type == KqlType.String ? $"coalesce(any_value({v.Sql}){filter}, '')" : $"any_value({v.JsonSql}){filter}", v.ListElement is null ? v.Type : KqlType.Dynamic);
    }
}
