using static Tributary.Kql.Binding.ExpressionBinder;

namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// Dynamic values (JSON): parsing, arrays and property bags. A dynamic is DuckDB JSON, or a DuckDB LIST when the
/// translator knows it is an array of one type (<see cref="SqlValue.ListElement"/>).
/// </summary>
internal static class DynamicFunctions
{
    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("parse_json", Arity.Exactly(1), "parse_json(json: string): dynamic", "The JSON text as a dynamic value; text that is not JSON stays a string value.", ParseJson)
        {
            Aliases = ["todynamic", "toobject"],
        },
        new("array_length", Arity.Exactly(1), "array_length(array: dynamic): long", "The number of elements, or null when the value is not an array.", ArrayLength),
        new("bag_pack", Arity.AtLeast(0), "bag_pack([key: string, value: any, ...]): dynamic", "A property bag of the key/value pairs.", BagPack)
        {
            Aliases = ["pack", "pack_dictionary"],
        },
        new("bag_keys", Arity.Exactly(1), "bag_keys(bag: dynamic): dynamic", "The keys of a property bag as an array, or null when the value is not a bag.", BagKeys),
        new("pack_array", Arity.AtLeast(0), "pack_array([value: any, ...]): dynamic", "An array of the values.", PackArray),
        new("strcat_array", Arity.Exactly(2), "strcat_array(array: dynamic, delimiter: string): string", "The elements as strings, joined with the delimiter between them.", StrcatArray),
        new("set_has_element", Arity.Exactly(2), "set_has_element(array: dynamic, value: any): bool", "True when the array holds the value.", c => Find(c, position: false)),
        new("array_index_of", Arity.Exactly(2), "array_index_of(array: dynamic, value: any): long", "The 0-based index of the first element equal to the value, or -1.", c => Find(c, position: true)),
        new("range", Arity.Between(2, 3), "range(start: number|datetime, stop: same kind [, step: number|timespan]): dynamic", "An array of the values from start to stop (inclusive) in steps (default 1).", Range),
    ];

    private static SqlValue ParseJson(FunctionCall c)
    {
        var v = c.Arg(0);
        if (v.Type == KqlType.Dynamic)
        {
            return v;
        }

        if (v.Type != KqlType.String)
        {
            return c.Convert(v, KqlType.Dynamic);
        }

        // Text that is not JSON stays a string value, as in Kusto.
        return Derived($"(CASE WHEN json_valid({v.Sql}) AND {v.Sql} <> '' THEN CAST({v.Sql} AS JSON) ELSE to_json(nullif({v.Sql}, '')) END)", KqlType.Dynamic, v);
    }

    private static SqlValue ArrayLength(FunctionCall c)
    {
        var v = c.Arg(0);
        if (v.ListElement is not null)
        {
            return Derived($"CAST(len({v.Sql}) AS BIGINT)", KqlType.Long, v);
        }

        if (v.Type != KqlType.Dynamic)
        {
            throw c.Error($"array_length needs a dynamic array, not {KqlTypes.Name(v.Type)}");
        }

        return Derived($"(CASE WHEN json_type({v.Sql}) = 'ARRAY' THEN CAST(json_array_length({v.Sql}) AS BIGINT) END)", KqlType.Long, v);
    }

    private static SqlValue BagPack(FunctionCall c)
    {
        if (c.Count % 2 != 0)
        {
            throw c.Error($"{c.Name} needs key/value pairs");
        }

        var parts = new List<string>();
        for (var i = 0; i < c.Count; i += 2)
        {
            parts.Add(c.Text(i).Sql);
            parts.Add(Element(c, c.Arg(i + 1)));
        }

        return Derived($"json_object({string.Join(", ", parts)})", KqlType.Dynamic, [.. c.Args]);
    }

    private static SqlValue BagKeys(FunctionCall c)
    {
        var v = c.Arg(0);
        if (v.Type != KqlType.Dynamic)
        {
            throw c.Error($"bag_keys needs a dynamic property bag, not {KqlTypes.Name(v.Type)}");
        }

        return Derived($"(CASE WHEN json_type({v.JsonSql}) = 'OBJECT' THEN json_keys({v.JsonSql}) END)", KqlType.Dynamic, v) with { ListElement = KqlType.String };
    }

    private static SqlValue PackArray(FunctionCall c) =>
        Derived($"json_array({string.Join(", ", c.Args.Select(v => Element(c, v)))})", KqlType.Dynamic, [.. c.Args]);

    private static SqlValue StrcatArray(FunctionCall c) =>
        Derived($"coalesce(array_to_string({ElementList(c.Arg(0))}, {c.Text(1).Sql}), '')", KqlType.String, c.Arg(0), c.Arg(1));

    private static SqlValue Find(FunctionCall c, bool position)
    {
        var array = c.Arg(0);
        var list = ElementList(array);
        var item = array.ListElement is not null ? c.ConvertArg(1, array.ListElement.Value).Sql : c.Text(1).Sql;
        return position
            ? Derived($"CAST(coalesce(list_position({list}, {item}), 0) - 1 AS BIGINT)", KqlType.Long, array, c.Arg(1))
            : Derived($"list_contains({list}, {item})", KqlType.Bool, array, c.Arg(1));
    }

    private static SqlValue Range(FunctionCall c) =>
        c.Binder.Series(c.Arg(0), c.Arg(1), c.Count == 3 ? c.Arg(2) : SqlValue.Literal(1L, KqlType.Long), c.Pos);

    // Datetimes and timespans go into JSON as Kusto prints them.
    private static string Element(FunctionCall c, SqlValue v) =>
        v.Type is KqlType.DateTime or KqlType.TimeSpan ? c.Convert(v, KqlType.Dynamic).Sql : v.JsonSql;

    /// <summary>A dynamic array as a DuckDB LIST: the LIST itself when known, else its JSON elements as text.</summary>
    private static string ElementList(SqlValue v) =>
        v.ListElement is not null ? v.Sql : $"list_transform(CAST({v.JsonSql} AS JSON[]), x -> json_extract_string(x, '$'))";
}
