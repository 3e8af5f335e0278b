using System.Globalization;
using System.Text.Json;
using Tributary.Kql.Binding.Udfs;
using Tributary.Kql.Patterns;
using Tributary.Kql.Syntax;
using static Tributary.Kql.Binding.ExpressionBinder;

namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// Dynamic values (JSON): parsing text into them, their canonical text, and reading JSON or regular expression matches
/// out of text. A dynamic is DuckDB JSON, or a DuckDB LIST when the translator knows it is an array of one type
/// (<see cref="SqlValue.ListElement"/>); arrays, sets and bags have their own families.
/// </summary>
internal static class DynamicFunctions
{
    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("parse_json", Arity.Exactly(1), "parse_json(json: string): dynamic", "The JSON text as a dynamic value; text that is not JSON stays a string value.", ParseJson)
        {
            Aliases = ["todynamic", "toobject", "parsejson"],
        },
        new("dynamic_to_json", Arity.Exactly(1), "dynamic_to_json(value: dynamic): string", "The value as canonical JSON text: no white space, the properties of every bag sorted by name.", DynamicToJson),
        new("extract_json", Arity.Between(2, 3), "extract_json(path: string, json: string [, type: typeof]): string", "The value at the JSONPath ($.a.b, $['a'][0]) in the JSON text, as text or converted to the type; \"\" (null for other types) when there is none.", ExtractJson)
        {
            Aliases = ["extractjson"],
            Difference = "the path must be a constant of names and indexes: no wildcards (*), slices or recursive descent (..)",
        },
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

        // Text that is not JSON stays a string value, as in Kusto; JSON is kept without white space.
        return Derived($"(CASE WHEN json_valid({v.Sql}) AND {v.Sql} <> '' THEN json({v.Sql}) ELSE to_json(nullif({v.Sql}, '')) END)", KqlType.Dynamic, v);
    }

    private static SqlValue DynamicToJson(FunctionCall c)
    {
        var v = c.Arg(0);
        return v.Type == KqlType.Dynamic
            ? Derived($"coalesce(kql_canonical_json({v.JsonSql}), '')", KqlType.String, v)
            : c.Binder.ToStringValue(v);
    }

    private static SqlValue ExtractJson(FunctionCall c)
    {
        if (c.Arg(0) is not { IsConstant: true, Constant: string path } || JsonPath.Parse(path, plainKey: false) is not { } parsed)
        {
            throw c.ArgError(0, $"{c.Name}() needs a constant JSONPath of names and indexes, such as $.a.b or $['a'][0]");
        }

        var text = c.Text(1).Sql;
        var pointer = Sql.String(parsed.ToPointer());
        var type = KqlType.String;
        if (c.Count == 3)
        {
            type = c.Syntax.Args[2] is TypeOfExpr t ? t.Type : throw c.ArgError(2, $"{c.Name}'s third argument is typeof(T)");
        }

        if (type == KqlType.Dynamic)
        {
            return Derived($"(CASE WHEN json_valid({text}) THEN json_extract({text}, {pointer}) END)", KqlType.Dynamic, c.Arg(1));
        }

        var value = Derived($"coalesce(CASE WHEN json_valid({text}) THEN json_extract_string({text}, {pointer}) END, '')", KqlType.String, c.Arg(1));
        return type == KqlType.String ? value : c.Convert(value, type);
    }
}
