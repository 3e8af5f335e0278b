using Tributary.Kql.Binding.Udfs;
using Tributary.Kql.Syntax;
using static Tributary.Kql.Binding.ExpressionBinder;
using static Tributary.Kql.Binding.Functions.DynamicSql;

namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// Property bags (JSON objects): building them from pairs, columns or arrays, and reading and editing their keys. A
/// key is a top-level name, or for bag_has_key, bag_remove_keys and bag_set_key a JSONPath of names (<c>$.a.b</c>,
/// <c>$['a']</c>; no array indexes). A value that is not a bag gives null (false for bag_has_key).
/// </summary>
internal static class BagFunctions
{
    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("bag_pack", Arity.AtLeast(0), "bag_pack([key: string, value: any, ...]): dynamic", "A property bag of the key/value pairs.", BagPack)
        {
            Aliases = ["pack", "pack_dictionary"],
        },
        new("bag_pack_columns", Arity.AtLeast(1), "bag_pack_columns(column: any, ...): dynamic", "A property bag of the columns, each under its name.", BagPackColumns)
        {
            BindsOwnArguments = true,
        },
        new("pack_all", Arity.Between(0, 1), "pack_all([ignore_null_empty: bool]): dynamic", "A property bag of every column of the row, each under its name; with true, without the null and empty ones.", PackAll),
        new("bag_zip", Arity.Exactly(2), "bag_zip(keys: dynamic, values: dynamic): dynamic", "A property bag of the keys (the strings of the first array) and the values at the same index (null when missing).", BagZip),
        new("bag_keys", Arity.Exactly(1), "bag_keys(bag: dynamic): dynamic", "The keys of a property bag as an array, or null when the value is not a bag.", BagKeys),
        new("bag_has_key", Arity.Exactly(2), "bag_has_key(bag: dynamic, key: string): bool", "True when the bag has the key (a name or a JSONPath).", BagHasKey),
        new("bag_merge", Arity.AtLeast(2), "bag_merge(bag: dynamic, bag: dynamic, ...): dynamic", "One bag with the properties of all; for a key in several, the leftmost value wins.", BagMerge),
        new("bag_remove_keys", Arity.Exactly(2), "bag_remove_keys(bag: dynamic, keys: dynamic): dynamic", "The bag without the keys of the array (names or JSONPaths).", BagRemoveKeys),
        new("bag_set_key", Arity.Exactly(3), "bag_set_key(bag: dynamic, key: string, value: any): dynamic", "The bag with the key (a name or a JSONPath) set to the value, adding the bags on its path.", BagSetKey),
        new("treepath", Arity.Exactly(1), "treepath(bag: dynamic): dynamic", "The paths of every property and array element below the bag (array elements all as [0]).", TreePath),
    ];

    private static SqlValue BagPack(FunctionCall c)
    {
        if (c.Count % 2 != 0)
        {
            throw c.Error($"{c.Name} needs key/value pairs");
        }

        var pairs = Enumerable.Range(0, c.Count / 2).Select(i => (c.Text(2 * i).Sql, Json(c, c.Arg((2 * i) + 1))));
        return Object(pairs, [.. c.Args]);
    }

    private static SqlValue BagPackColumns(FunctionCall c)
    {
        var pairs = new List<(string, string)>();
        for (var i = 0; i < c.Count; i++)
        {
            if (c.Syntax.Args[i] is not NameExpr name || c.Context.Row?.Find(name.Name) is null)
            {
                throw c.ArgError(i, "bag_pack_columns() takes columns of the row, by name");
            }

            pairs.Add((Sql.String(name.Name), Json(c, c.Arg(i))));
        }

        return Object(pairs, [.. Enumerable.Range(0, c.Count).Select(c.Arg)]);
    }

    private static SqlValue PackAll(FunctionCall c)
    {
        if (c.Context.Row is not { } row)
        {
            throw c.Error("pack_all() needs the columns of a row (use it in extend, project or where)");
        }

        var ignoreNullEmpty = c.Count == 1 && ConstantBool(c, 0);
        var pairs = row.Columns.Select(column => (Sql.String(column.Name), Json(c, column.Value))).ToList();
        if (!ignoreNullEmpty)
        {
            return Object(pairs);
        }

        // Without the null and empty values: the pairs as {key, value} entries, filtered, then a bag of them.
        var entries = string.Join(", ", pairs.Select(p => $"{{'key': {p.Item1}, 'value': {p.Item2}}}"));
        return Derived($"kql_bag_of_entries(list_filter([{entries}], __e -> __e.value IS NOT NULL AND CAST(__e.value AS VARCHAR) NOT IN ('null', '\"\"')))", KqlType.Dynamic);
    }

    private static SqlValue BagZip(FunctionCall c)
    {
        var (keys, values) = (Dynamic(c, 0), Dynamic(c, 1));
        var keyList = List(keys, null);
        var entries = $"list_transform(list_filter(list_transform({keyList}, (__k, __i) -> {{'k': __k, 'i': __i}}), __e -> json_type(__e.k) = 'VARCHAR'), " +
            $"__e -> {{'key': json_extract_string(__e.k, '$'), 'value': (CASE WHEN json_type({values.JsonSql}) = 'ARRAY' THEN json_extract({values.JsonSql}, '$[' || CAST(__e.i - 1 AS VARCHAR) || ']') END)}})";
        return Derived($"(CASE WHEN {keyList} IS NOT NULL THEN kql_bag_of_entries({entries}) END)", KqlType.Dynamic, keys, values);
    }

    private static SqlValue BagKeys(FunctionCall c)
    {
        var v = Dynamic(c, 0);
        return Derived($"(CASE WHEN json_type({v.JsonSql}) = 'OBJECT' THEN json_keys({v.JsonSql}) END)", KqlType.Dynamic, v) with { ListElement = KqlType.String };
    }

    private static SqlValue BagHasKey(FunctionCall c) =>
        Derived($"kql_bag_has_key({Dynamic(c, 0).JsonSql}, {Key(c, 1).Sql})", KqlType.Bool, c.Arg(0), c.Arg(1));

    private static SqlValue BagMerge(FunctionCall c)
    {
        var entries = DynamicArgs(c, 64).Select(b => $"kql_bag_entries({b.JsonSql})");
        var firstIsBag = $"json_type({c.Arg(0).JsonSql}) = 'OBJECT'";
        return Derived($"(CASE WHEN {firstIsBag} THEN kql_bag_of_entries({string.Join(" || ", entries)}) END)", KqlType.Dynamic, [.. c.Args]);
    }

    private static SqlValue BagRemoveKeys(FunctionCall c)
    {
        var keys = Dynamic(c, 1);
        if (keys is { IsConstant: true, Constant: string json })
        {
            CheckConstantKeys(c, json);
        }

        return Derived($"CAST(kql_bag_remove_keys({Dynamic(c, 0).JsonSql}, {keys.JsonSql}) AS JSON)", KqlType.Dynamic, c.Arg(0), keys);
    }

    private static SqlValue BagSetKey(FunctionCall c)
    {
        var key = Key(c, 1);
        if (!key.IsConstant)
        {
            throw c.ArgError(1, "bag_set_key() needs a constant key");
        }

        return Derived($"CAST(kql_bag_set_key({Dynamic(c, 0).JsonSql}, {key.Sql}, {Json(c, c.Arg(2))}) AS JSON)", KqlType.Dynamic, [.. c.Args]);
    }

    private static SqlValue TreePath(FunctionCall c) =>
        Derived($"CAST(kql_treepath({Dynamic(c, 0).JsonSql}) AS JSON)", KqlType.Dynamic, c.Arg(0));

    /// <summary>A key argument (a string); a constant one must be a name or a JSONPath of names.</summary>
    private static SqlValue Key(FunctionCall c, int i)
    {
        var key = c.Arg(i).Type == KqlType.String ? c.Arg(i) : throw c.ArgError(i, $"{c.Name}() expects a string key but argument {i + 1} is {KqlTypes.Name(c.Arg(i).Type)}");
        if (key is { IsConstant: true, Constant: string text } && DynamicUdfs.BagPath(text) is null)
        {
            throw c.ArgError(i, $"'{text}' is no key: write a name or a JSONPath of names such as $.a.b (array indexes and the root are not supported)");
        }

        return key;
    }

    // bag_remove_keys(…, dynamic(['a', '$.b.c'])): every constant key must be a name or a path of names.
    private static void CheckConstantKeys(FunctionCall c, string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != System.Text.Json.JsonValueKind.Array)
        {
            throw c.ArgError(1, "bag_remove_keys() needs an array of keys");
        }

        foreach (var key in document.RootElement.EnumerateArray())
        {
            if (key.ValueKind == System.Text.Json.JsonValueKind.String && DynamicUdfs.BagPath(key.GetString()) is null)
            {
                throw c.ArgError(1, $"'{key.GetString()}' is no key: write a name or a JSONPath of names such as $.a.b (array indexes and the root are not supported)");
            }
        }
    }

    /// <summary>A bag of (key SQL, JSON value SQL) pairs.</summary>
    private static SqlValue Object(IEnumerable<(string Key, string Value)> pairs, params SqlValue[] from) =>
        Derived($"json_object({string.Join(", ", pairs.Select(p => $"{p.Key}, {p.Value}"))})", KqlType.Dynamic, from);
}
