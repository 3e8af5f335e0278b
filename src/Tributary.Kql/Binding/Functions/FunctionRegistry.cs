using System.Diagnostics.CodeAnalysis;

namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// Every built-in scalar function and aggregate, by name. The binder looks calls up here; "did you mean" hints,
/// the lists in docs/kql.md and the coverage test against Kusto's own lists read the same entries.
/// </summary>
/// <remarks>
/// A family of functions is one file (a static class with an <c>All</c> list) and one line in the family lists below. Names are
/// case-sensitive, as in Kusto; a name (or alias) may be both a scalar function and an aggregate, never two of one
/// kind. Built once, read-only, thread-safe.
/// </remarks>
internal static class FunctionRegistry
{
    public static IReadOnlyList<FunctionFamily<ScalarFunction>> ScalarFamilies { get; } =
    [
        new("Conditions and nulls", ConditionalFunctions.All),
        new("Strings", StringFunctions.All),
        new("Searching text", TextSearchFunctions.All),
        new("Encodings", EncodingFunctions.All),
        new("IP addresses", IpFunctions.All),
        new("Dates and times", DateTimeFunctions.All),
        new("Bins", BinFunctions.All),
        new("Math", MathFunctions.All),
        new("Bits", BitFunctions.All),
        new("Hashes", HashFunctions.All),
        new("Conversions", ConversionFunctions.All),
        new("Dynamic values", DynamicFunctions.All),
        new("Arrays", ArrayFunctions.All),
        new("Sets", SetFunctions.All),
        new("Property bags", BagFunctions.All),
        new("URLs", UrlFunctions.All),
        new("Series arithmetic", SeriesFunctions.All),
        new("Series analysis", SeriesAnalysisFunctions.All),
        new("Digests and hll values", SketchFunctions.All),
        new("Serialized rows", WindowFunctions.All),
        new("Subqueries and row metadata", QueryFunctions.All),
    ];

    public static IReadOnlyList<FunctionFamily<AggregateFunction>> AggregateFamilies { get; } =
    [
        new("Counting", CountAggregates.All),
        new("Statistics", StatisticAggregates.All),
        new("Picking values and rows", SelectionAggregates.All),
        new("Collecting values", CollectionAggregates.All),
        new("Digests and hll values", SketchAggregates.All),
    ];

    public static IReadOnlyList<ScalarFunction> Scalars { get; } = [.. ScalarFamilies.SelectMany(f => f.Functions)];

    public static IReadOnlyList<AggregateFunction> Aggregates { get; } = [.. AggregateFamilies.SelectMany(f => f.Functions)];

    private static readonly Dictionary<string, ScalarFunction> ScalarsByName = Index(Scalars);

    private static readonly Dictionary<string, AggregateFunction> AggregatesByName = Index(Aggregates);

    public static bool TryGetScalar(string name, [NotNullWhen(true)] out ScalarFunction? function) =>
        ScalarsByName.TryGetValue(name, out function);

    public static bool TryGetAggregate(string name, [NotNullWhen(true)] out AggregateFunction? aggregate) =>
        AggregatesByName.TryGetValue(name, out aggregate);

    /// <summary>The names a user can call (aliases included; operator bindings such as has_any left out), for "did you mean".</summary>
    public static IEnumerable<string> CallableNames =>
        Scalars.Concat<BuiltInFunction>(Aggregates).Where(f => f.Origin != FunctionOrigin.Operator).SelectMany(f => f.Names);

    private static Dictionary<string, T> Index<T>(IEnumerable<T> functions)
        where T : BuiltInFunction
    {
        var byName = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var function in functions)
        {
            foreach (var name in function.Names)
            {
                if (!byName.TryAdd(name, function))
                {
                    throw new InvalidOperationException($"the function registry has two entries named '{name}'");
                }
            }
        }

        return byName;
    }
}
