using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding.Functions;

/// <summary>Functions that read beyond the row's values: a subquery's first value, a column that may not exist, a stored row's ingestion time.</summary>
internal static class QueryFunctions
{
    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("toscalar", Arity.Exactly(1), "toscalar(query: tabular): any", "The first column of the query's first row (null, or \"\" for a string, when it has no rows); of a scalar expression, its value.", ToScalar)
        {
            BindsOwnArguments = true,
        },
        new("column_ifexists", Arity.Exactly(2), "column_ifexists(name: string, default: any): any", "The row's column of that name when there is one, else the default.", ColumnIfExists)
        {
            Aliases = ["columnifexists"],
            BindsOwnArguments = true,
        },
        new("ingestion_time", Arity.Exactly(0), "ingestion_time(): datetime", "When the row was stored; only on rows read from a stored table, before summarize, join or project change them.", IngestionTime)
        {
            BindsOwnArguments = true,
        },
    ];

    private static SqlValue ToScalar(FunctionCall c)
    {
        var arg = c.Syntax.Args[0];
        if (arg is not TabularArgExpr && !IsTableName(arg, c.Context.Scope))
        {
            // toscalar(expression) is the expression's value (the legacy partition form reads its key so).
            return c.Arg(0);
        }

        var query = arg is TabularArgExpr t ? t.Query : arg is NameExpr n ? new NameSource(n.Pos, n.Name) : throw arg.Pos.Error("toscalar needs a tabular expression");
        var rel = c.Query.BindTabular(query, new Scope(c.Context.Scope));
        if (rel.Columns.Count == 0)
        {
            throw c.Error("toscalar needs a tabular expression with at least one column");
        }

        var first = rel.Columns[0];
        var order = rel.Serialized ? $" ORDER BY {Sql.Ident(Relation.OrderColumn)}" : "";
        var sql = $"(SELECT {first.Value.JsonSql} FROM {rel.From} AS {c.Query.NextAlias()}{order} LIMIT 1)";
        return new SqlValue(first.Type == KqlType.String ? $"coalesce({sql}, '')" : sql, first.ListElement is null ? first.Type : KqlType.Dynamic);
    }

    // The default is bound only when the column is missing, so it may name columns the other case lacks.
    private static SqlValue ColumnIfExists(FunctionCall c)
    {
        if (c.Arg(0) is not { IsConstant: true, Constant: string name })
        {
            throw c.ArgError(0, "column_ifexists() needs a constant column name");
        }

        if (c.Context.Row?.Find(name) is { } column)
        {
            c.Context.Referenced?.Add(column.Name);
            return column.Value;
        }

        return c.Arg(1);
    }

    private static bool IsTableName(Expr arg, Scope scope) =>
        arg is NameExpr n && scope.Lookup(n.Name) is not ScalarBinding;

    private static SqlValue IngestionTime(FunctionCall c)
    {
        if (c.Context.Row is not { HasIngestionTime: true })
        {
            throw c.Error("ingestion_time() is only available on rows read from a stored table (before summarize, join or project changes them)");
        }

        return new SqlValue(Sql.Ident(TableSchema.IngestionTimeColumn), KqlType.DateTime);
    }
}
