using System.Globalization;

namespace Tributary.Jobs;

/// <summary>A half-open time range <c>[Start, End)</c> in UTC: a job window.</summary>
/// <remarks>The default value is the empty window at <see cref="DateTime.MinValue"/>. Immutable and thread-safe.</remarks>
public readonly record struct TimeWindow(DateTime Start, DateTime End)
{
    /// <summary>The window's length.</summary>
    public TimeSpan Size => End - Start;

    /// <summary>True when the two half-open ranges share at least one instant.</summary>
    public bool Overlaps(TimeWindow other) => Start < other.End && other.Start < End;

    /// <summary>True when <paramref name="t"/> is in <c>[Start, End)</c>.</summary>
    public bool Contains(DateTime t) => t >= Start && t < End;

    /// <summary>The window of <paramref name="size"/>, on the grid that starts at <paramref name="origin"/>, that contains <paramref name="t"/>.</summary>
    public static TimeWindow Containing(DateTime t, DateTime origin, TimeSpan size)
    {
        // Integer floor division: exact for every size (a double quotient loses ticks far from the origin).
        var delta = (t - origin).Ticks;
        var k = delta / size.Ticks;
        if (delta % size.Ticks < 0)
        {
            k--;
        }

        var start = origin + TimeSpan.FromTicks(k * size.Ticks);
        return new TimeWindow(start, start + size);
    }

    /// <summary>The start as ISO-8601 UTC text (<c>2023-05-22T10:00:00Z</c>; fractions only when present).</summary>
    public static string Format(DateTime t) =>
        t.Ticks % TimeSpan.TicksPerSecond == 0
            ? t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : t.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override string ToString() => $"[{Format(Start)}, {Format(End)})";
}
