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
        new("make_list_with_nulls", Arity.Exactly(1), "make_list_with_nulls(value: any): dynamic", "An array of the values, nulls included.", ListWithNulls)
        {
            ColumnName = (_, argument) => "list_" + argument,
        },
        new("make_bag", Arity.Between(1, 2), "make_bag(bag: dynamic [, max_size: long]): dynamic", "One property bag with the keys of all the bags (values that are not bags are skipped), at most max_size keys.", c => MakeBag(c, conditional: false))
        {
            ColumnName = (_, argument) => "bag_" + argument,
            Difference = "a key in several bags keeps the value met first (Kusto: any one of them)",
        },
        new("make_bag_if", Arity.Between(2, 3), "make_bag_if(bag: dynamic, condition: bool [, max_size: long]): dynamic", "The make_bag of the rows where the condition holds.", c => MakeBag(c, conditional: true))
        {
            ColumnName = (_, argument) => "bag_" + argument,
            Difference = "as make_bag",
        },
        new("buildschema", Arity.Exactly(1), "buildschema(value: dynamic): dynamic", "The smallest schema that admits every value: type names, bags of property schemas, and {\"`indexer`\": …} for arrays.", BuildSchema)
        {
            ColumnName = (_, argument) => "schema_" + argument,
        },
    ];

    /// <summary>Kusto's limit on the keys of make_bag's result, its default.</summary>
    private const long MaxBagSize = 1048576;

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

    private static SqlValue ListWithNulls(FunctionCall c)
    {
        var raw = c.Arg(0);
        var element = raw.Type is KqlType.DateTime or KqlType.TimeSpan || raw.Type == KqlType.Dynamic ? c.Convert(raw, KqlType.Dynamic).Sql : raw.Sql;
        return SqlValue.Aggregated($"coalesce(to_json(list({element})), '[]'::JSON)", KqlType.Dynamic);
    }

    // The bags of the group go to kql_bag_merge as JSON text; a group with none gives {}.
    private static SqlValue MakeBag(FunctionCall c, bool conditional)
    {
        var bag = c.Convert(c.Arg(0), KqlType.Dynamic).JsonSql;
        var where = $"json_type({bag}) = 'OBJECT'" + (conditional ? $" AND {c.Predicate(1).Sql}" : "");
        var limitIndex = conditional ? 2 : 1;
        var limit = c.Count > limitIndex ? c.ConstantLong(limitIndex) : MaxBagSize;
        if (limit is < 1 or > MaxBagSize)
        {
            throw c.ArgError(limitIndex, $"{c.Name} needs a max_size from 1 to {MaxBagSize}");
        }

        return SqlValue.Aggregated($"CAST(kql_bag_merge(list(CAST({bag} AS VARCHAR)) FILTER (WHERE {where}), {limit}) AS JSON)", KqlType.Dynamic);
    }

    private static SqlValue BuildSchema(FunctionCall c)
    {
        var value = c.Convert(c.Arg(0), KqlType.Dynamic).JsonSql;
        return SqlValue.Aggregated($"CAST(kql_buildschema(list(CAST({value} AS VARCHAR)) FILTER (WHERE {value} IS NOT NULL)) AS JSON)", KqlType.Dynamic);
    }
}
