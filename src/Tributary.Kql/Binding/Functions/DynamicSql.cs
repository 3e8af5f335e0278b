using static Tributary.Kql.Binding.ExpressionBinder;

namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// What the array, set and bag functions share: an array argument as a DuckDB LIST (of its element type when the
/// translator knows it, else of JSON elements, see <see cref="DynamicMacros"/>), a LIST result as a dynamic value, and
/// a scalar as a JSON element.
/// </summary>
internal static class DynamicSql
{
    /// <summary>Every argument as a dynamic value (see <see cref="Dynamic"/>); Kusto takes at most <paramref name="max"/> of them.</summary>
    public static List<SqlValue> DynamicArgs(FunctionCall c, int max) =>
        c.Count <= max ? [.. Enumerable.Range(0, c.Count).Select(i => Dynamic(c, i))] : throw c.Error($"{c.Name}() takes at most {max} arguments but was given {c.Count}");

    /// <summary>Argument <paramref name="i"/>, which must be dynamic (an array or bag is checked when the query runs).</summary>
    public static SqlValue Dynamic(FunctionCall c, int i)
    {
        var value = c.Arg(i);
        return value.Type == KqlType.Dynamic
            ? value
            : throw c.ArgError(i, $"{c.Name}() expects a dynamic value but argument {i + 1} is {KqlTypes.Name(value.Type)}");
    }

    /// <summary>
    /// The element type the array arguments <paramref name="arrays"/> share as DuckDB LISTs, or null when one of them is
    /// JSON or they differ (then they are all taken as JSON elements).
    /// </summary>
    public static KqlType? SharedElement(IEnumerable<SqlValue> arrays)
    {
        var types = arrays.Select(a => a.ListElement).Distinct().ToList();
        return types is [{ } only] ? only : null;
    }

    /// <summary>An array as a LIST of <paramref name="element"/> (its own LIST), or of JSON elements when that is null; NULL when it is not an array.</summary>
    public static string List(SqlValue array, KqlType? element) =>
        element is not null && array.ListElement == element ? array.Sql : $"kql_json_list({array.JsonSql})";

    /// <summary>A LIST as a dynamic array: typed by <paramref name="element"/>, or JSON when that is null.</summary>
    public static SqlValue Array(string list, KqlType? element, params SqlValue[] from) =>
        element is null
            ? Derived($"to_json({list})", KqlType.Dynamic, from)
            : Derived(list, KqlType.Dynamic, from) with { ListElement = element };

    /// <summary>A value as a JSON element: a dynamic as it is, datetimes and timespans as Kusto prints them.</summary>
    public static string Json(FunctionCall c, SqlValue value) =>
        value.Type is KqlType.DateTime or KqlType.TimeSpan ? c.Convert(value, KqlType.Dynamic).Sql
        : value.Type == KqlType.Dynamic ? value.JsonSql
        : $"to_json({value.Sql})";

    /// <summary>A value as an element of a LIST of <paramref name="element"/>, or a JSON element when that is null.</summary>
    public static string Element(FunctionCall c, SqlValue value, KqlType? element) =>
        element is null ? Json(c, value) : c.Convert(value, element.Value).Sql;

    /// <summary>
    /// An array's elements as comparable DuckDB values, for searching it for a value: its own LIST, or its JSON elements
    /// as text (NULL when it is not an array).
    /// </summary>
    public static string SearchList(SqlValue array) =>
        array.ListElement is not null ? array.Sql : $"list_transform(kql_json_list({array.JsonSql}), __x -> json_extract_string(__x, '$'))";

    /// <summary>A value to search a <see cref="SearchList"/> for.</summary>
    public static string SearchItem(FunctionCall c, SqlValue array, int i) =>
        array.ListElement is not null ? c.ConvertArg(i, array.ListElement.Value).Sql : c.Text(i).Sql;

    /// <summary>A constant bool argument (nulls_last, ignore_null_empty …).</summary>
    public static bool ConstantBool(FunctionCall c, int i) =>
        c.Arg(i) is { IsConstant: true, Constant: bool b } ? b : throw c.ArgError(i, $"{c.Name}() needs a constant bool here (true or false)");
}
