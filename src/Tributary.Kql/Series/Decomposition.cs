namespace Tributary.Kql.Series;

/// <summary>
/// A series split into components, each as long as the series: <see cref="Baseline"/> = <see cref="Seasonal"/> +
/// <see cref="Trend"/>, and <see cref="Residual"/> = series − baseline (NaN where the series has no value).
/// </summary>
internal sealed record Decomposition(double[] Baseline, double[] Seasonal, double[] Trend, double[] Residual);
