using static Tributary.Kql.Binding.ExpressionBinder;
using static Tributary.Kql.Binding.Functions.DynamicSql;

namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// Dynamic arrays as sets: the results hold each distinct element once, in the order it first appears. Elements are
/// equal when their JSON is (1 and 1.0 differ), or their values when every array has the same known element type. A
/// value that is not an array makes the result null.
/// </summary>
internal static class SetFunctions
{
    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("set_has_element", Arity.Exactly(2), "set_has_element(array: dynamic, value: any): bool", "True when the array holds the value.", SetHasElement),
        new("set_union", Arity.AtLeast(2), "set_union(set: dynamic, set: dynamic, ...): dynamic", "The distinct elements of all the arrays.", SetUnion),
        new("set_intersect", Arity.AtLeast(2), "set_intersect(set: dynamic, set: dynamic, ...): dynamic", "The distinct elements that are in every array.", c => Filtered(c, inOthers: true)),
        new("set_difference", Arity.AtLeast(2), "set_difference(set: dynamic, set: dynamic, ...): dynamic", "The distinct elements of the first array that are in none of the others.", c => Filtered(c, inOthers: false)),
        new("set_equals", Arity.Exactly(2), "set_equals(set1: dynamic, set2: dynamic): bool", "True when the arrays hold the same distinct elements.", SetEquals),
        new("jaccard_index", Arity.Exactly(2), "jaccard_index(set1: dynamic, set2: dynamic): real", "The size of the intersection of the distinct elements over the size of their union (NaN when both are empty).", JaccardIndex),
    ];

    private static SqlValue SetHasElement(FunctionCall c)
    {
        var array = Dynamic(c, 0);
        return Derived($"coalesce(list_contains({SearchList(array)}, {SearchItem(c, array, 1)}), FALSE)", KqlType.Bool, array, c.Arg(1));
    }

    private static SqlValue SetUnion(FunctionCall c)
    {
        var (lists, element) = Sets(c);
        return Array($"kql_list_distinct({string.Join(" || ", lists)})", element, [.. c.Args]);
    }

    private static SqlValue Filtered(FunctionCall c, bool inOthers)
    {
        var (lists, element) = Sets(c);
        var test = inOthers ? "IS NOT NULL" : "IS NULL";
        var conditions = lists.Skip(1).Select(l => $"list_position({l}, __x) {test}");
        var anyNull = string.Join(" OR ", lists.Skip(1).Select(l => $"{l} IS NULL"));
        var sql = $"(CASE WHEN {anyNull} THEN NULL ELSE list_filter(kql_list_distinct({lists[0]}), __x -> {string.Join(" AND ", conditions)}) END)";
        return Array(sql, element, [.. c.Args]);
    }

    private static SqlValue SetEquals(FunctionCall c)
    {
        var (lists, _) = Sets(c);
        return Derived($"kql_set_equals({lists[0]}, {lists[1]})", KqlType.Bool, [.. c.Args]);
    }

    private static SqlValue JaccardIndex(FunctionCall c)
    {
        var (lists, _) = Sets(c);
        var (a, b) = (lists[0], lists[1]);
        var union = $"len(kql_list_distinct({a} || {b}))";
        var intersection = $"len(list_filter(kql_list_distinct({a}), __x -> list_position({b}, __x) IS NOT NULL))";
        return Derived($"(CASE WHEN {union} = 0 THEN 'NaN'::DOUBLE ELSE {intersection} / {union} END)", KqlType.Real, [.. c.Args]);
    }

    /// <summary>Every argument as a LIST, of their shared element type or else of JSON elements.</summary>
    private static (List<string> Lists, KqlType? Element) Sets(FunctionCall c)
    {
        var arrays = DynamicArgs(c, 64);
        var element = SharedElement(arrays);
        return ([.. arrays.Select(a => List(a, element))], element);
    }
}
