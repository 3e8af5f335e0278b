using Tributary.Kql.Binding;
using Tributary.Kql.Binding.Functions;

namespace Tributary.Kql.Tests.Coverage;

/// <summary>
/// Tributary's KQL coverage: the registry's names (aliases included) that are counted Kusto names, per category,
/// and the counts Kusto-Loco reaches for comparison.
/// </summary>
internal static class KqlCoverage
{
    /// <summary>
    /// Kusto-Loco's scalar functions, as issue 7 counts them. (Matched by name against the [scalar] list here,
    /// about 134 of them are counted names; the rest are geo_* or deprecated ones.)
    /// </summary>
    public const int KustoLocoScalars = 142;

    /// <summary>
    /// Kusto-Loco's aggregates (github.com/NeilMacMullen/kusto-loco at 9c4c565, the aggregates its evaluator
    /// registers, by Kusto name, without the obsolete <c>any</c>).
    /// </summary>
    public const int KustoLocoAggregates = 26;

    /// <summary>
    /// Kusto-Loco's tabular operators (same commit: the query operators its translator handles, with print, range
    /// and datatable counted as here; aliases once).
    /// </summary>
    public const int KustoLocoOperators = 23;

    public static CoverageCount Scalars(KustoNames kusto) =>
        Count("scalar functions", kusto.Scalars, FunctionRegistry.Scalars.Where(f => f.Origin == FunctionOrigin.Kusto).SelectMany(f => f.Names));

    public static CoverageCount Aggregates(KustoNames kusto) =>
        Count("aggregates", kusto.Aggregates, FunctionRegistry.Aggregates.Where(f => f.Origin == FunctionOrigin.Kusto).SelectMany(f => f.Names));

    public static CoverageCount Operators(KustoNames kusto) =>
        Count("tabular operators", kusto.Operators, TabularOperators.All.SelectMany(o => o.Names));

    private static CoverageCount Count(string category, IReadOnlySet<string> reference, IEnumerable<string> supported)
    {
        var names = supported.ToHashSet(StringComparer.Ordinal);
        var missing = reference.Where(n => !names.Contains(n)).Order(StringComparer.Ordinal).ToList();
        return new CoverageCount(category, reference.Count - missing.Count, missing);
    }
}
