using static Tributary.Kql.Binding.ExpressionBinder;
using static Tributary.Kql.Binding.Functions.DynamicSql;

namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// Dynamic arrays: building, measuring, slicing, reordering and searching them. Indexes are 0-based and a negative one
/// counts from the end. A value that is not an array gives null (array_length, array_sum …) unless a function says
/// otherwise; arrays of one known element type stay DuckDB LISTs of it.
/// </summary>
internal static class ArrayFunctions
{
    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("pack_array", Arity.AtLeast(0), "pack_array([value: any, ...]): dynamic", "An array of the values.", PackArray),
        new("array_length", Arity.Exactly(1), "array_length(array: dynamic): long", "The number of elements, or null when the value is not an array.", ArrayLength)
        {
            Aliases = ["arraylength"],
        },
        new("repeat", Arity.Exactly(2), "repeat(value: any, count: long): dynamic", "An array of count copies of the value: empty for 0, null for a negative count (or one of 2^32 or more).", Repeat),
        new("range", Arity.Between(2, 3), "range(start: number|datetime, stop: same kind [, step: number|timespan]): dynamic", "An array of the values from start to stop (inclusive) in steps (default 1).", Range),
        new("strcat_array", Arity.Exactly(2), "strcat_array(array: dynamic, delimiter: string): string", "The elements as strings, joined with the delimiter between them.", StrcatArray)
        {
            Aliases = ["array_strcat"],
        },
        new("array_concat", Arity.AtLeast(1), "array_concat(array: dynamic, ...): dynamic", "The arrays one after another, or null when one is not an array.", ArrayConcat),
        new("array_slice", Arity.Exactly(3), "array_slice(array: dynamic, start: long, end: long): dynamic", "The elements from start to end, both included; indexes out of range are clamped.", ArraySlice),
        new("array_reverse", Arity.Exactly(1), "array_reverse(array: dynamic): dynamic", "The elements in reverse order.", c => Reordered(c, list => $"list_reverse({list})")),
        new("array_rotate_left", Arity.Exactly(2), "array_rotate_left(array: dynamic, count: long): dynamic", "The elements rotated count places to the left (right when negative).", c => Rotated(c, left: true)),
        new("array_rotate_right", Arity.Exactly(2), "array_rotate_right(array: dynamic, count: long): dynamic", "The elements rotated count places to the right (left when negative).", c => Rotated(c, left: false)),
        new("array_shift_left", Arity.Between(2, 3), "array_shift_left(array: dynamic, count: long [, default: any]): dynamic", "The elements shifted count places to the left (right when negative), the emptied places holding default (null, or \"\" in an array of strings).", c => Shifted(c, left: true)),
        new("array_shift_right", Arity.Between(2, 3), "array_shift_right(array: dynamic, count: long [, default: any]): dynamic", "The elements shifted count places to the right (left when negative), the emptied places holding default (null, or \"\" in an array of strings).", c => Shifted(c, left: false)),
        new("array_split", Arity.Exactly(2), "array_split(array: dynamic, indexes: long|dynamic): dynamic", "The array cut before each index, as an array of the parts.", ArraySplit),
        new("array_iff", Arity.Exactly(3), "array_iff(conditions: dynamic, whenTrue: any, whenFalse: any): dynamic", "Per condition element, the element of whenTrue or whenFalse at its index (or the value itself when it is not an array); null for a condition that is neither bool nor number.", ArrayIff),
        new("array_index_of", Arity.Between(2, 5), "array_index_of(array: dynamic, value: any [, start: long [, length: long [, occurrence: long]]]): long", "The 0-based index of the occurrence-th (default first) element equal to the value among length elements (-1: all) from start, or -1.", ArrayIndexOf),
        new("array_sort_asc", Arity.AtLeast(1), "array_sort_asc(array: dynamic, ... [, nulls_last: bool]): dynamic", "The array sorted ascending: numbers, then strings, then other values; nulls last unless nulls_last is false. Further arrays are put in the same order.", c => ArraySort(c, descending: false))
        {
            Difference = "with several arrays, the result is one array holding the sorted arrays (index it: [1]), not a column per array; datetimes and timespans inside a dynamic array sort as their text",
        },
        new("array_sort_desc", Arity.AtLeast(1), "array_sort_desc(array: dynamic, ... [, nulls_last: bool]): dynamic", "The array sorted descending: other values, then strings, then numbers; nulls last unless nulls_last is false. Further arrays are put in the same order.", c => ArraySort(c, descending: true))
        {
            Difference = "with several arrays, the result is one array holding the sorted arrays (index it: [1]), not a column per array; datetimes and timespans inside a dynamic array sort as their text",
        },
        new("array_sum", Arity.Exactly(1), "array_sum(array: dynamic): real", "The sum of the elements, or null when one is not a number.", ArraySum),
        new("zip", Arity.AtLeast(2), "zip(array: dynamic, array: dynamic, ...): dynamic", "An array of arrays: the elements at each index of the arrays, null where an array is shorter.", Zip),
    ];

    private static SqlValue PackArray(FunctionCall c) =>
        Derived($"json_array({string.Join(", ", c.Args.Select(v => Json(c, v)))})", KqlType.Dynamic, [.. c.Args]);

    private static SqlValue ArrayLength(FunctionCall c)
    {
        var v = Dynamic(c, 0);
        return v.ListElement is not null
            ? Derived($"CAST(len({v.Sql}) AS BIGINT)", KqlType.Long, v)
            : Derived($"(CASE WHEN json_type({v.Sql}) = 'ARRAY' THEN CAST(json_array_length({v.Sql}) AS BIGINT) END)", KqlType.Long, v);
    }

    private static SqlValue Repeat(FunctionCall c)
    {
        var value = c.Arg(0);
        var count = Index(c, 1);
        var element = value.Type == KqlType.Dynamic ? (KqlType?)null : value.Type;
        var item = element is null ? value.JsonSql : value.Sql;
        // A DuckDB list holds fewer than 2^32 elements: a longer repeat is null.
        return Array($"(CASE WHEN {count} BETWEEN 0 AND 4294967295 THEN list_transform(range({count}), __i -> {item}) END)", element, value, c.Arg(1));
    }

    private static SqlValue Range(FunctionCall c) =>
        c.Binder.Series(c.Arg(0), c.Arg(1), c.Count == 3 ? c.Arg(2) : SqlValue.Literal(1L, KqlType.Long), c.Pos);

    private static SqlValue StrcatArray(FunctionCall c) =>
        Derived($"coalesce(array_to_string({SearchList(Dynamic(c, 0))}, {c.Text(1).Sql}), '')", KqlType.String, c.Arg(0), c.Arg(1));

    private static SqlValue ArrayConcat(FunctionCall c)
    {
        var arrays = DynamicArgs(c, 64);
        var element = SharedElement(arrays);
        // || gives null when either side is null (not an array).
        return Array(string.Join(" || ", arrays.Select(a => List(a, element))), element, [.. arrays]);
    }

    private static SqlValue ArraySlice(FunctionCall c) =>
        Reordered(c, list => $"kql_array_slice({list}, {Index(c, 1)}, {Index(c, 2)})");

    private static SqlValue Rotated(FunctionCall c, bool left) =>
        Reordered(c, list => $"kql_array_rotate_left({list}, {(left ? "" : "-")}{Index(c, 1)})");

    private static SqlValue Shifted(FunctionCall c, bool left)
    {
        var array = Dynamic(c, 0);
        var element = array.ListElement;
        var list = List(array, element);
        string fill;
        if (c.Count == 3)
        {
            fill = Element(c, c.Arg(2), element);
        }
        else
        {
            // Kusto fills an array of strings with "" and any other with null.
            fill = element is null ? $"(CASE WHEN json_type({list}[1]) = 'VARCHAR' THEN '\"\"'::JSON END)"
                : element == KqlType.String ? "''"
                : "NULL";
        }

        return Array($"kql_array_shift_left({list}, {(left ? "" : "-")}{Index(c, 1)}, {fill})", element, [.. c.Args]);
    }

    private static SqlValue ArraySplit(FunctionCall c)
    {
        var array = Dynamic(c, 0);
        var at = c.Arg(1);
        var indexes = at.Type == KqlType.Dynamic
            ? $"list_transform({List(at, null)}, __x -> TRY_CAST(json_extract_string(__x, '$') AS BIGINT))"
            : $"[{Index(c, 1)}]";
        return Array($"kql_array_split({List(array, null)}, {indexes})", null, array, at);
    }

    private static SqlValue ArrayIff(FunctionCall c)
    {
        var conditions = Dynamic(c, 0);
        return Array($"kql_array_iff({List(conditions, null)}, {Json(c, c.Arg(1))}, {Json(c, c.Arg(2))})", null, [.. c.Args]);
    }

    private static SqlValue ArrayIndexOf(FunctionCall c)
    {
        var array = Dynamic(c, 0);
        string Optional(int i, string absent) => i < c.Count ? Index(c, i) : absent;
        var sql = $"kql_array_index_of(coalesce({SearchList(array)}, []), {SearchItem(c, array, 1)}, {Optional(2, "0")}, {Optional(3, "-1")}, {Optional(4, "1")})";
        return Derived($"CAST({sql} AS BIGINT)", KqlType.Long, [.. c.Args]);
    }

    /// <summary>
    /// Sorts the first array, and puts the others (of the same length; null otherwise) in the same order: the sort
    /// gives the permutation of the first array's indexes. Equal elements keep their order.
    /// </summary>
    private static SqlValue ArraySort(FunctionCall c, bool descending)
    {
        var hasNullsLast = c.Count > 1 && c.Arg(c.Count - 1).Type == KqlType.Bool;
        var nullsLast = !hasNullsLast || ConstantBool(c, c.Count - 1);
        var arrays = Enumerable.Range(0, hasNullsLast ? c.Count - 1 : c.Count).Select(i => Dynamic(c, i)).ToList();
        var first = arrays[0];
        var element = first.ListElement;
        var firstList = List(first, element);

        // Nulls go last, or first, whatever the direction.
        var nullRank = nullsLast != descending ? "9" : "-1";
        var key = element is null ? $"kql_json_sort_key(__e, {nullRank})" : $"{{'r': CASE WHEN __e IS NULL THEN {nullRank} ELSE 0 END, 'v': __e}}";
        var order = descending ? "'DESC'" : "'ASC'";
        var position = descending ? "-__i" : "__i";
        var permutation = $"list_transform(list_sort(list_transform({firstList}, (__e, __i) -> {{'k': {key}, 'i': {position}}}), {order}), __x -> abs(__x.i))";
        if (arrays.Count == 1)
        {
            return Array($"list_transform({permutation}, __i -> {firstList}[__i])", element, [.. c.Args]);
        }

        var sorted = arrays.Select(a => List(a, null)).Select(l => $"(CASE WHEN len({l}) = len({firstList}) THEN list_transform({permutation}, __i -> {l}[__i]) END)");
        return Derived($"to_json([{string.Join(", ", sorted)}])", KqlType.Dynamic, [.. c.Args]);
    }

    private static SqlValue ArraySum(FunctionCall c)
    {
        var array = Dynamic(c, 0);
        var sql = array.ListElement switch
        {
            { } t when KqlTypes.IsNumeric(t) => $"coalesce(list_sum(CAST({array.Sql} AS DOUBLE[])), 0.0)",
            null => $"kql_array_sum(kql_json_list({array.Sql}))",
            _ => "CAST(NULL AS DOUBLE)",
        };
        return Derived(sql, KqlType.Real, array);
    }

    private static SqlValue Zip(FunctionCall c)
    {
        var lists = DynamicArgs(c, 16).Select(a => List(a, null)).ToList();
        var longest = $"greatest({string.Join(", ", lists.Select(l => $"len({l})"))})";
        var row = string.Join(", ", lists.Select(l => $"{l}[__i + 1]"));
        var anyNull = string.Join(" OR ", lists.Select(l => $"{l} IS NULL"));
        return Derived($"(CASE WHEN {anyNull} THEN NULL ELSE to_json(list_transform(range({longest}), __i -> [{row}])) END)", KqlType.Dynamic, [.. c.Args]);
    }

    /// <summary>Elements reordered or cut by <paramref name="reorder"/>: an array of one known element type keeps it.</summary>
    private static SqlValue Reordered(FunctionCall c, Func<string, string> reorder)
    {
        var array = Dynamic(c, 0);
        var element = array.ListElement;
        return Array(reorder(List(array, element)), element, [.. c.Args]);
    }

    /// <summary>
    /// Argument <paramref name="i"/> as a BIGINT index or count, clamped to ±2^40: a DuckDB list holds fewer than 2^32
    /// elements, so a larger index means the same, and index arithmetic cannot overflow.
    /// </summary>
    private static string Index(FunctionCall c, int i) =>
        $"least(greatest(CAST({c.Typed(c.Arg(i), KqlType.Long, "a whole number").Sql} AS BIGINT), -1099511627776), 1099511627776)";
}
