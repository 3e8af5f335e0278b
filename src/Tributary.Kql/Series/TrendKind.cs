namespace Tributary.Kql.Series;

/// <summary>How series_decompose models the trend: not at all, as the mean, or as a least-squares line.</summary>
internal enum TrendKind
{
    None,
    Average,
    LineFit,
}
