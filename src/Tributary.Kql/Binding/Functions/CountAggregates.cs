using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding.Functions;

/// <summary>Counting rows and distinct values: count, countif, dcount, dcountif.</summary>
internal static class CountAggregates
{
    public static IReadOnlyList<AggregateFunction> All { get; } =
    [
        new("count", Arity.Between(0, 1), "count([value: any]): long", "The number of rows (null values of the argument included).", Count),
        new("countif", Arity.Exactly(1), "countif(condition: bool): long", "The number of rows where the condition holds.", c => SqlValue.Aggregated($"count(*) FILTER (WHERE {c.Predicate(0).Sql})", KqlType.Long))
        {
            ColumnName = (_, _) => "countif_",
        },
        new("dcount", Arity.Between(1, 2), "dcount(value: any [, accuracy: long]): long", "The number of distinct values.", c => SqlValue.Aggregated($"count(DISTINCT {c.Arg(0).JsonSql})", KqlType.Long))
        {
            Difference = "exact, where Kusto estimates (an exact count is within its error); the accuracy argument is ignored",
        },
        new("dcountif", Arity.Between(2, 3), "dcountif(value: any, condition: bool [, accuracy: long]): long", "The number of distinct values in the rows where the condition holds.", DCountIf)
        {
            Difference = "exact, as dcount",
        },
        new("count_distinct", Arity.Exactly(1), "count_distinct(value: any): long", "The exact number of distinct values (nulls not counted).", c => CountDistinct(c, conditional: false)),
        new("count_distinctif", Arity.Exactly(2), "count_distinctif(value: any, condition: bool): long", "The exact number of distinct values in the rows where the condition holds.", c => CountDistinct(c, conditional: true)),
    ];

    private static SqlValue CountDistinct(FunctionCall c, bool conditional)
    {
        var value = c.Arg(0);
        if (value.Type == KqlType.Dynamic)
        {
            throw c.ArgError(0, $"{c.Name} cannot count dynamic values; convert them first (tostring, tolong …)");
        }

        var filter = conditional ? $" FILTER (WHERE {c.Predicate(1).Sql})" : "";
        return SqlValue.Aggregated($"count(DISTINCT {value.Sql}){filter}", KqlType.Long);
    }

    private static SqlValue Count(FunctionCall c)
    {
        if (c.Count == 1 && c.Syntax.Args[0] is not StarExpr)
        {
            // Kusto's count(x) counts rows, null values of x included; x is bound only to check it.
            _ = c.Arg(0);
        }

        return SqlValue.Aggregated("count(*)", KqlType.Long);
    }

    private static SqlValue DCountIf(FunctionCall c)
    {
        var value = c.Arg(0).JsonSql;
        return SqlValue.Aggregated($"count(DISTINCT {value}) FILTER (WHERE {c.Predicate(1).Sql})", KqlType.Long);
    }
}
