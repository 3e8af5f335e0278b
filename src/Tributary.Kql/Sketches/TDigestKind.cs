namespace Tributary.Kql.Sketches;

/// <summary>
/// The type of the values a <see cref="TDigest"/> holds, written first in its dynamic form: 7 is whole numbers, as in
/// Kusto's own output; the other codes are Tributary's. Datetimes and timespans are held as ticks.
/// </summary>
internal enum TDigestKind
{
    Long = 7,
    Real = 8,
    DateTime = 9,
    TimeSpan = 10,
}
