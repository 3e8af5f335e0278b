using System.Globalization;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding.Functions;

/// <summary>Sums, averages, spreads and percentiles of numbers (and of timespans where Kusto allows them).</summary>
internal static class StatisticAggregates
{
    public static IReadOnlyList<AggregateFunction> All { get; } =
    [
        new("sum", Arity.Exactly(1), "sum(value: number|timespan): same type (long for int)", "The sum; 0 for no rows.", c => Sum(c, conditional: false)),
        new("sumif", Arity.Exactly(2), "sumif(value: number|timespan, condition: bool): same type (long for int)", "The sum over the rows where the condition holds.", c => Sum(c, conditional: true)),
        new("avg", Arity.Exactly(1), "avg(value: number|timespan): real (timespan for timespans)", "The mean; NaN for no rows.", c => Average(c, conditional: false)),
        new("avgif", Arity.Exactly(2), "avgif(value: number|timespan, condition: bool): real (timespan for timespans)", "The mean over the rows where the condition holds.", c => Average(c, conditional: true)),
        new("stdev", Arity.Exactly(1), "stdev(value: number): real", "The sample standard deviation.", c => Spread(c, "stddev_samp")),
        new("stdevp", Arity.Exactly(1), "stdevp(value: number): real", "The population standard deviation.", c => Spread(c, "stddev_pop")),
        new("variance", Arity.Exactly(1), "variance(value: number): real", "The sample variance.", c => Spread(c, "var_samp")),
        new("variancep", Arity.Exactly(1), "variancep(value: number): real", "The population variance.", c => Spread(c, "var_pop")),
        new("percentile", Arity.Exactly(2), "percentile(value: number|datetime|timespan, percentage: real): same type", "The value below which the percentage of values falls.", Percentile)
        {
            ColumnName = PercentileColumn,
            Difference = "nearest rank (one of the input values), as Kusto's estimate gives for small groups; large groups can differ within its error",
        },
        new("percentiles", Arity.AtLeast(2), "percentiles(value: number|datetime|timespan, percentage: real, ...): same type", "One column per percentage (percentile_x_50, percentile_x_95 …); only directly in summarize.", AggregateFunction.OnlyInSummarize)
        {
            Difference = "nearest rank, as percentile",
        },
    ];

    /// <summary>percentile_x_95 for a literal percentage (dots become underscores: percentile_x_99_9).</summary>
    public static string PercentileSuffix(object? percentage) =>
        System.Convert.ToString(percentage, CultureInfo.InvariantCulture)!.Replace('.', '_');

    private static string PercentileColumn(CallExpr call, string? argument) =>
        call.Args.Count == 2 && call.Args[1] is LiteralExpr lit ? $"percentile_{argument}_{PercentileSuffix(lit.Value)}" : "percentile_" + argument;

    private static SqlValue Sum(FunctionCall c, bool conditional)
    {
        var v = c.Numeric(c.Arg(0), allowTimeSpan: true);
        var filter = conditional ? $" FILTER (WHERE {c.Predicate(1).Sql})" : "";
        var type = v.Type is KqlType.Int ? KqlType.Long : v.Type;
        // An empty group sums to 0, as in Kusto.
        var sql = type is KqlType.Long or KqlType.TimeSpan ? $"CAST(coalesce(sum({v.Sql}){filter}, 0) AS BIGINT)" : $"coalesce(sum({v.Sql}){filter}, 0)";
        return SqlValue.Aggregated(sql, type);
    }

    private static SqlValue Average(FunctionCall c, bool conditional)
    {
        var v = c.Numeric(c.Arg(0), allowTimeSpan: true);
        var filter = conditional ? $" FILTER (WHERE {c.Predicate(1).Sql})" : "";
        return v.Type == KqlType.TimeSpan
            ? SqlValue.Aggregated($"CAST(round(avg({v.Sql}){filter}) AS BIGINT)", KqlType.TimeSpan)
            // An empty group averages to NaN (0 / 0), as in Kusto.
            : SqlValue.Aggregated($"coalesce(avg({v.Sql}){filter}, 'NaN'::DOUBLE)", KqlType.Real);
    }

    private static SqlValue Spread(FunctionCall c, string sqlFunction) =>
        SqlValue.Aggregated($"{sqlFunction}({c.Numeric(c.Arg(0)).Sql})", KqlType.Real);

    private static SqlValue Percentile(FunctionCall c)
    {
        var v = c.Numeric(c.Arg(0), allowTimeSpan: true, allowDateTime: true);
        return SqlValue.Aggregated($"quantile_disc({v.Sql}, {c.Percentage(1)})", v.Type);
    }
}
