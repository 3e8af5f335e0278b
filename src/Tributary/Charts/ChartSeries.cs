namespace Tributary.Charts;

/// <summary>One plotted series: its legend name and its points, sorted by x for line-type charts.</summary>
/// <param name="Name">The legend text: the split values joined by <c>" / "</c>, plus the value column name when there are several.</param>
/// <param name="X">The x positions (OLE Automation dates for datetime, seconds for timespan, category indexes for bars).</param>
/// <param name="Y">The values, same length as <paramref name="X"/>; never NaN.</param>
/// <param name="Total">The sum of the absolute values, used to pick the series to keep.</param>
internal sealed record ChartSeries(string Name, double[] X, double[] Y, double Total);
