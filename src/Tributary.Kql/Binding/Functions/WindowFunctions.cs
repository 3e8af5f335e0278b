namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// Functions over serialized rows (after sort, order by, top or serialize): they read neighbouring rows through a
/// SQL window ordered by the relation's row order.
/// </summary>
internal static class WindowFunctions
{
    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("prev", Arity.Between(1, 3), "prev(value: any [, offset: long [, default: same as value]]): same as value", "The value offset rows before (default 1), or the default (\"\" for strings, else null).", c => Neighbour(c, "lag"))
        {
            BindsOwnArguments = true,
        },
        new("next", Arity.Between(1, 3), "next(value: any [, offset: long [, default: same as value]]): same as value", "The value offset rows after (default 1), or the default (\"\" for strings, else null).", c => Neighbour(c, "lead"))
        {
            BindsOwnArguments = true,
        },
        new("row_number", Arity.Between(0, 2), "row_number([start: long [, restart: bool]]): long", "The row's number in order, from start (default 1).", RowNumber)
        {
            BindsOwnArguments = true,
            Difference = "the restart argument is not supported yet",
        },
    ];

    private static SqlValue Neighbour(FunctionCall c, string sqlFunction)
    {
        c.RequireSerialized();
        var value = c.Arg(0);
        var offset = c.Count > 1 ? c.ConstantLong(1) : 1;
        var sql = $"{sqlFunction}({value.JsonSql}, {offset}) OVER (ORDER BY {Sql.Ident(Relation.OrderColumn)})";
        if (c.Count > 2)
        {
            var fallback = c.Binder.Convert(c.Arg(2), value.Type, c.ArgPos(2));
            sql = $"coalesce({sql}, {fallback.Sql})";
        }
        else if (value.Type == KqlType.String)
        {
            // Kusto: the string default is "" (there is no null string).
            sql = $"coalesce({sql}, '')";
        }

        return new SqlValue(sql, value.ListElement is null ? value.Type : KqlType.Dynamic) { HasWindow = true };
    }

    private static SqlValue RowNumber(FunctionCall c)
    {
        c.RequireSerialized();
        if (c.Count == 2)
        {
            throw c.ArgError(1, "row_number's restart argument is not supported yet");
        }

        var start = c.Count > 0 ? c.ConstantLong(0) : 1;
        return new SqlValue($"(row_number() OVER (ORDER BY {Sql.Ident(Relation.OrderColumn)}) + {start - 1})", KqlType.Long) { HasWindow = true };
    }
}
