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
        new("stdevif", Arity.Exactly(2), "stdevif(value: number, condition: bool): real", "The sample standard deviation over the rows where the condition holds.", c => Spread(c, "stddev_samp", conditional: true)),
        new("stdevp", Arity.Exactly(1), "stdevp(value: number): real", "The population standard deviation.", c => Spread(c, "stddev_pop")),
        new("variance", Arity.Exactly(1), "variance(value: number): real", "The sample variance.", c => Spread(c, "var_samp")),
        new("varianceif", Arity.Exactly(2), "varianceif(value: number, condition: bool): real", "The sample variance over the rows where the condition holds.", c => Spread(c, "var_samp", conditional: true)),
        new("variancep", Arity.Exactly(1), "variancep(value: number): real", "The population variance.", c => Spread(c, "var_pop")),
        new("variancepif", Arity.Exactly(2), "variancepif(value: number, condition: bool): real", "The population variance over the rows where the condition holds.", c => Spread(c, "var_pop", conditional: true)),
        new("covariance", Arity.Exactly(2), "covariance(x: number, y: number): real", "The sample covariance of the two.", c => Covariance(c, "covar_samp")),
        new("covarianceif", Arity.Exactly(3), "covarianceif(x: number, y: number, condition: bool): real", "The sample covariance over the rows where the condition holds.", c => Covariance(c, "covar_samp")),
        new("covariancep", Arity.Exactly(2), "covariancep(x: number, y: number): real", "The population covariance of the two.", c => Covariance(c, "covar_pop")),
        new("covariancepif", Arity.Exactly(3), "covariancepif(x: number, y: number, condition: bool): real", "The population covariance over the rows where the condition holds.", c => Covariance(c, "covar_pop")),
        new("binary_all_and", Arity.Exactly(1), "binary_all_and(value: long): long", "The bitwise AND of all the values.", c => Bitwise(c, "bit_and"))
        {
            ColumnName = (_, argument) => argument ?? "binary_all_and_",
        },
        new("binary_all_or", Arity.Exactly(1), "binary_all_or(value: long): long", "The bitwise OR of all the values.", c => Bitwise(c, "bit_or"))
        {
            ColumnName = (_, argument) => argument ?? "binary_all_or_",
        },
        new("binary_all_xor", Arity.Exactly(1), "binary_all_xor(value: long): long", "The bitwise XOR of all the values.", c => Bitwise(c, "bit_xor"))
        {
            ColumnName = (_, argument) => argument ?? "binary_all_xor_",
        },
        new("percentile", Arity.Exactly(2), "percentile(value: number|datetime|timespan, percentage: real): same type", "The value below which the percentage of values falls.", Percentile)
        {
            ColumnName = PercentileColumn,
            Difference = "nearest rank (one of the input values), as Kusto's estimate gives for small groups; large groups can differ within its error",
        },
        new("percentiles", Arity.AtLeast(2), "percentiles(value: number|datetime|timespan, percentage: real, ...): same type", "One column per percentage (percentile_x_50, percentile_x_95 …); only directly in summarize.", AggregateFunction.OnlyInSummarize)
        {
            Difference = "nearest rank, as percentile",
        },
        new("percentiles_array", Arity.AtLeast(2), "percentiles_array(value: number|datetime|timespan, percentages: real|dynamic, ...): dynamic", "The values at the percentages (numbers, or one dynamic array), as one array.", PercentilesArray)
        {
            ColumnName = (_, argument) => "percentiles_" + argument,
            Difference = "nearest rank, as percentile; the percentages must be constants",
        },
        new("percentilew", Arity.Exactly(3), "percentilew(value: number|datetime|timespan, weight: long, percentage: real): same type", "The weighted percentile: each value counts weight times.", WeightedPercentile)
        {
            ColumnName = PercentileColumn,
            Difference = "exact nearest rank over the weighted values (Kusto estimates)",
        },
        new("percentilesw", Arity.AtLeast(3), "percentilesw(value: number|datetime|timespan, weight: long, percentage: real, ...): same type", "One weighted percentile column per percentage; only directly in summarize.", AggregateFunction.OnlyInSummarize)
        {
            Difference = "as percentilew",
        },
        new("percentilesw_array", Arity.AtLeast(3), "percentilesw_array(value: number|datetime|timespan, weight: long, percentages: real|dynamic, ...): dynamic", "The weighted percentiles as one array.", WeightedPercentilesArray)
        {
            ColumnName = (_, argument) => "percentiles_" + argument,
            Difference = "as percentilew; the percentages must be constants",
        },
    ];

    /// <summary>percentile_x_95 for a literal percentage (dots become underscores: percentile_x_99_9).</summary>
    public static string PercentileSuffix(object? percentage) =>
        System.Convert.ToString(percentage, CultureInfo.InvariantCulture)!.Replace('.', '_');

    private static string PercentileColumn(CallExpr call, string? argument) =>
        call.Args[^1] is LiteralExpr lit && call.Args.Count is 2 or 3 ? $"percentile_{argument}_{PercentileSuffix(lit.Value)}" : "percentile_" + argument;

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

    private static SqlValue Spread(FunctionCall c, string sqlFunction, bool conditional = false) =>
        SqlValue.Aggregated($"{sqlFunction}({c.Numeric(c.Arg(0)).Sql}){(conditional ? $" FILTER (WHERE {c.Predicate(1).Sql})" : "")}", KqlType.Real);

    // covariance(x, y [, condition])
    private static SqlValue Covariance(FunctionCall c, string sqlFunction) =>
        SqlValue.Aggregated($"{sqlFunction}({c.Numeric(c.Arg(0)).Sql}, {c.Numeric(c.Arg(1)).Sql}){(c.Count == 3 ? $" FILTER (WHERE {c.Predicate(2).Sql})" : "")}", KqlType.Real);

    private static SqlValue Bitwise(FunctionCall c, string sqlFunction)
    {
        var v = c.Arg(0);
        if (v.Type is not (KqlType.Int or KqlType.Long))
        {
            throw c.ArgError(0, $"{c.Name} needs whole numbers (int or long), not {KqlTypes.Name(v.Type)}");
        }

        return SqlValue.Aggregated($"{sqlFunction}(CAST({v.Sql} AS BIGINT))", KqlType.Long);
    }

    private static SqlValue PercentilesArray(FunctionCall c)
    {
        var v = c.Numeric(c.Arg(0), allowTimeSpan: true, allowDateTime: true);
        var fractions = "[" + string.Join(", ", TDigestSql.ConstantPercentValues(c, 1, c.Count - 1).Select(p => (p / 100).ToString("R", CultureInfo.InvariantCulture))) + "]";
        var element = v.Type is KqlType.Int ? KqlType.Long : v.Type;
        return SqlValue.Aggregated($"quantile_disc({v.Sql}, {fractions})", KqlType.Dynamic) with { ListElement = element };
    }

    private static SqlValue WeightedPercentile(FunctionCall c)
    {
        var type = c.Arg(0).Type switch
        {
            KqlType.Int => KqlType.Long,
            KqlType.Decimal => KqlType.Real,
            var t => t,
        };
        var percent = TDigestSql.ConstantPercentValues(c, 2, 2)[0].ToString("R", CultureInfo.InvariantCulture);
        return SqlValue.Aggregated(TDigestSql.Percentile(c, TDigestSql.Digest(c, 0, 1), percent, type).Sql, type);
    }

    private static SqlValue WeightedPercentilesArray(FunctionCall c) =>
        SqlValue.Aggregated(TDigestSql.Percentiles(TDigestSql.Digest(c, 0, 1), TDigestSql.ConstantPercents(c, 2, c.Count - 1)), KqlType.Dynamic);

    private static SqlValue Percentile(FunctionCall c)
    {
        var v = c.Numeric(c.Arg(0), allowTimeSpan: true, allowDateTime: true);
        return SqlValue.Aggregated($"quantile_disc({v.Sql}, {c.Percentage(1)})", v.Type);
    }
}
