using System.Globalization;

namespace Tributary.Kql.Tests.Coverage;

/// <summary>How many of one category's Kusto names Tributary supports, and which are missing (sorted).</summary>
internal sealed record CoverageCount(string Category, int Supported, IReadOnlyList<string> Missing)
{
    public int Total => Supported + Missing.Count;

    public double Percent => Total == 0 ? 100 : 100.0 * Supported / Total;

    /// <summary>How many more names reach <paramref name="percent"/> of the total.</summary>
    public int MissingFor(double percent) => Math.Max(0, (int)Math.Ceiling(Total * percent / 100) - Supported);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Category}: {Supported} of {Total} ({Percent:0.0}%)");
}
