namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// Functions over serialized rows (after sort, order by, top, serialize or range): they read neighbouring rows through
/// a SQL window ordered by the relation's row order. A <c>restart</c> argument starts the count, sum or rank again at
/// every row where it is true; an argument that itself reads neighbouring rows (<c>prev(a) != a</c>) is computed in a
/// stage below (<see cref="FunctionCall.Staged"/>).
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
        new("row_number", Arity.Between(0, 2), "row_number([start: long [, restart: bool]]): long", "The row's number in order, from start (default 1), starting again from start where restart is true.", RowNumber)
        {
            BindsOwnArguments = true,
        },
        new("row_cumsum", Arity.Between(1, 2), "row_cumsum(term: number [, restart: bool]): same as term", "The sum of term over the rows so far (nulls count as 0), from 0 again where restart is true.", RowCumsum)
        {
            BindsOwnArguments = true,
        },
        new("row_rank_dense", Arity.Between(1, 2), "row_rank_dense(term: any [, restart: bool]): long", "A rank that starts at 1 and grows by 1 at each row whose term differs from the previous row's; 1 again where restart is true.", RowRankDense)
        {
            BindsOwnArguments = true,
        },
        new("row_rank_min", Arity.Between(1, 2), "row_rank_min(term: any [, restart: bool]): long", "The row number of the first of the rows, up to this one, that have this row's term without a change between them; from 1 again where restart is true.", RowRankMin)
        {
            BindsOwnArguments = true,
        },
        new("row_window_session", Arity.Between(3, 4), "row_window_session(value: datetime, maxFromFirst: timespan, maxBetweenNeighbors: timespan [, restart: bool]): datetime", "The value that starts the row's session: a session ends when a value is maxFromFirst after its start or maxBetweenNeighbors after the previous value, after a null, or where restart is true.", RowWindowSession)
        {
            BindsOwnArguments = true,
        },
    ];

    private static string OrderBy => $"ORDER BY {Sql.Ident(Relation.OrderColumn)}";

    private static SqlValue Neighbour(FunctionCall c, string sqlFunction)
    {
        c.RequireSerialized();
        var value = c.Staged(c.Arg(0));
        var offset = c.Count > 1 ? c.ConstantLong(1) : 1;
        var sql = $"{sqlFunction}({value.JsonSql}, {offset}) OVER ({OrderBy})";
        if (c.Count > 2)
        {
            var fallback = c.Staged(c.Binder.Convert(c.Arg(2), value.Type, c.ArgPos(2)));
            sql = $"coalesce({sql}, {fallback.Sql})";
        }
        else if (value.Type == KqlType.String)
        {
            // Kusto: the string default is "" (there is no null string).
            sql = $"coalesce({sql}, '')";
        }

        return Window(sql, value.ListElement is null ? value.Type : KqlType.Dynamic);
    }

    private static SqlValue RowNumber(FunctionCall c)
    {
        c.RequireSerialized();
        var start = c.Count > 0 ? c.Staged(c.Typed(c.Arg(0), KqlType.Long, "a whole number start")).Sql : "1";
        var group = RestartGroup(c, 1);
        return Window($"TRY_CAST(CAST(row_number() {Over(group)} AS HUGEINT) + {start} - 1 AS BIGINT)", KqlType.Long);
    }

    private static SqlValue RowCumsum(FunctionCall c)
    {
        c.RequireSerialized();
        var term = c.Staged(c.Numeric(c.Arg(0)));
        var group = RestartGroup(c, 1);
        var sum = $"coalesce(sum({term.Sql}) {Over(group, running: true)}, 0)";
        return Window($"TRY_CAST({sum} AS {KqlTypes.SqlType(term.Type)})", term.Type);
    }

    private static SqlValue RowRankDense(FunctionCall c)
    {
        c.RequireSerialized();
        var group = RestartGroup(c, 1);
        var changed = c.Staged(Window($"(CASE WHEN {ChangedSql(c, group)} THEN 1 ELSE 0 END)", KqlType.Long));
        return Window($"CAST(sum({changed.Sql}) {Over(group, running: true)} AS BIGINT)", KqlType.Long);
    }

    private static SqlValue RowRankMin(FunctionCall c)
    {
        c.RequireSerialized();
        var group = RestartGroup(c, 1);
        var firstOfRun = c.Staged(Window($"(CASE WHEN {ChangedSql(c, group)} THEN row_number() {Over(group)} END)", KqlType.Long));
        return Window($"CAST(max({firstOfRun.Sql}) {Over(group, running: true)} AS BIGINT)", KqlType.Long);
    }

    private static SqlValue RowWindowSession(FunctionCall c)
    {
        c.RequireSerialized();
        var value = c.Staged(c.DateTime(c.Arg(0)));
        var fromFirst = Interval(c, 1);
        var betweenNeighbors = Interval(c, 2);
        var restart = c.Count > 3 ? c.Staged(c.Predicate(3)).Sql : "FALSE";

        // Runs: rows whose neighbours are close enough, without a null or a restart between them. Within a run, a
        // session ends at the first value maxFromFirst after its start, so the start is a fold over the run so far.
        var previous = $"lag({value.Sql}) OVER ({OrderBy})";
        var breaks = c.Staged(Window(
            $"(CASE WHEN {previous} IS NULL OR {value.Sql} IS NULL OR coalesce({restart}, FALSE) OR {value.Sql} >= {previous} + {betweenNeighbors} THEN 1 ELSE 0 END)",
            KqlType.Long));
        var run = c.Staged(Window($"sum({breaks.Sql}) OVER ({OrderBy} ROWS UNBOUNDED PRECEDING)", KqlType.Long));
        var sofar = $"list({value.Sql}) OVER (PARTITION BY {run.Sql} {OrderBy} ROWS UNBOUNDED PRECEDING)";
        return Window($"list_reduce({sofar}, (__start, __v) -> CASE WHEN __v >= __start + {fromFirst} THEN __v ELSE __start END)", KqlType.DateTime);
    }

    private static string Interval(FunctionCall c, int i) =>
        c.Staged(c.Typed(c.Arg(i), KqlType.TimeSpan, "a timespan")).Sql;

    /// <summary>
    /// The restart group of each row, when argument <paramref name="i"/> is given: how many rows so far (this one
    /// included) restart the count. Null when the call has no restart argument.
    /// </summary>
    private static string? RestartGroup(FunctionCall c, int i)
    {
        if (c.Count <= i)
        {
            return null;
        }

        var restart = c.Staged(c.Predicate(i));
        var group = Window($"sum(CASE WHEN {restart.Sql} THEN 1 ELSE 0 END) OVER ({OrderBy} ROWS UNBOUNDED PRECEDING)", KqlType.Long);
        return c.Staged(group).Sql;
    }

    /// <summary>SQL that is true where the term (argument 0) differs from the previous row's in its group, and on a group's first row.</summary>
    private static string ChangedSql(FunctionCall c, string? group)
    {
        var term = c.Staged(c.Arg(0));
        if (term.Type == KqlType.Dynamic)
        {
            throw c.ArgError(0, $"{c.Name}() needs a term that is not dynamic (convert it with tostring(), tolong() …)");
        }

        return $"(row_number() {Over(group)} = 1 OR {term.Sql} IS DISTINCT FROM lag({term.Sql}) {Over(group)})";
    }

    /// <summary>The OVER clause: the row order within the restart group; <paramref name="running"/> frames it from the group's first row to this one.</summary>
    private static string Over(string? group, bool running = false) =>
        $"OVER ({(group is null ? "" : $"PARTITION BY {group} ")}{OrderBy}{(running ? " ROWS UNBOUNDED PRECEDING" : "")})";

    private static SqlValue Window(string sql, KqlType type) => new(sql, type) { HasWindow = true };
}
