namespace Tributary.Kql.Binding.Functions;

/// <summary>Aggregates that collect the group's values into a dynamic array or property bag.</summary>
internal static class CollectionAggregates
{
    public static IReadOnlyList<AggregateFunction> All { get; } =
    [
        new("make_list", Arity.Between(1, 2), "make_list(value: any [, max_size: long]): dynamic", "An array of the values (nulls skipped), at most max_size long.", c => Collect(c, distinct: false, conditional: false))
        {
            ColumnName = (_, argument) => "list_" + argument,
        },
        new("make_list_if", Arity.Between(2, 3), "make_list_if(value: any, condition: bool [, max_size: long]): dynamic", "An array of the values in the rows where the condition holds.", c => Collect(c, distinct: false, conditional: true))
        {
            ColumnName = (_, argument) => "list_" + argument,
        },
        new("make_set", Arity.Between(1, 2), "make_set(value: any [, max_size: long]): dynamic", "An array of the distinct values (nulls skipped), at most max_size long.", c => Collect(c, distinct: true, conditional: false))
        {
            ColumnName = (_, argument) => "set_" + argument,
        },
        new("make_set_if", Arity.Between(2, 3), "make_set_if(value: any, condition: bool [, max_size: long]): dynamic", "An array of the distinct values in the rows where the condition holds.", c => Collect(c, distinct: true, conditional: true))
        {
            ColumnName = (_, argument) => "set_" + argument,
        },
        new("make_bag", Arity.Exactly(1), "make_bag(bag: dynamic): dynamic", "One property bag with the keys of all the bags.", MakeBag)
        {
            ColumnName = (_, argument) => "bag_" + argument,
        },
    ];

    private static SqlValue Collect(FunctionCall c, bool distinct, bool conditional)
    {
        var raw = c.Arg(0);
        var asDynamic = c.Convert(raw, KqlType.Dynamic);
        // Datetimes and timespans are listed as Kusto prints them in JSON; other values keep their SQL type.
        var element = raw.Type is KqlType.DateTime or KqlType.TimeSpan || raw.Type == KqlType.Dynamic ? asDynamic.Sql : raw.Sql;
        var where = $"{element} IS NOT NULL" + (conditional ? $" AND {c.Predicate(1).Sql}" : "");
        var list = $"list({element}) FILTER (WHERE {where})";
        if (distinct)
        {
            list = $"list_distinct({list})";
        }

        var limitIndex = conditional ? 2 : 1;
        if (c.Count > limitIndex)
        {
            list = $"list_slice({list}, 1, {c.ConstantLong(limitIndex)})";
        }

        return SqlValue.Aggregated($"coalesce(to_json({list}), '[]'::JSON)", KqlType.Dynamic);
    }

    private static SqlValue MakeBag(FunctionCall c) =>
        SqlValue.Aggregated($"coalesce(json_merge_patch('{{}}', {c.Arg(0).JsonSql}), '{{}}'::JSON)", KqlType.Dynamic);
}
