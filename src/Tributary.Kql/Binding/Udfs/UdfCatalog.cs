namespace Tributary.Kql.Binding.Udfs;

/// <summary>
/// Every scalar function the translated SQL may call that C# implements. A family of KQL functions that needs some adds
/// its <c>Udfs</c> list here, one line.
/// </summary>
public static class UdfCatalog
{
    public static IReadOnlyList<ScalarUdf> All { get; } = Build(
    [
        HashUdfs.All,
        DecimalUdfs.All,
        ParseKvUdfs.All,
        BitUdfs.All,
        ErrorFunctionUdfs.All,
        BetaDistributionUdfs.All,
        TextUdfs.All,
        ParseUdfs.All,
        EncodingUdfs.All,
        IpUdfs.All,
        DateTimeUdfs.All,
        DynamicUdfs.All,
        UrlUdfs.All,
        SeriesUdfs.All,
        AggregateUdfs.All,
    ]);

    /// <summary>Registers every function with <paramref name="target"/> (once per connection, before its first query).</summary>
    public static void RegisterAll(IUdfTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        foreach (var udf in All)
        {
            udf.Register(target);
        }
    }

    private static List<ScalarUdf> Build(IEnumerable<IReadOnlyList<ScalarUdf>> families)
    {
        var all = families.SelectMany(f => f).ToList();
        var twice = all.GroupBy(u => u.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return twice is null ? all : throw new InvalidOperationException($"two UDFs are named '{twice.Key}'");
    }
}
