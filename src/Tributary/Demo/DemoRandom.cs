using System.Runtime.CompilerServices;

namespace Tributary.Demo;

/// <summary>Random draws the generators share; every time they produce is a whole millisecond.</summary>
internal static class DemoRandom
{
    /// <summary>A version-4 GUID string drawn from <paramref name="rng"/> (not from the OS).</summary>
    public static string Guid(Random rng)
    {
        Span<byte> b = stackalloc byte[16];
        rng.NextBytes(b);
        b[7] = (byte)((b[7] & 0x0F) | 0x40);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        return new Guid(b).ToString("D");
    }

    /// <summary>A short lowercase hex commit hash of 7 digits.</summary>
    public static string CommitHash(Random rng) => rng.Next(0x1000000, 0x10000000).ToString("x7");

    /// <summary>A time in [<paramref name="from"/>, <paramref name="to"/>), whole milliseconds.</summary>
    public static DateTime Between(Random rng, DateTime from, DateTime to) => from + Span(rng, TimeSpan.Zero, to - from);

    /// <summary>A span in [<paramref name="min"/>, <paramref name="max"/>), whole milliseconds.</summary>
    public static TimeSpan Span(Random rng, TimeSpan min, TimeSpan max) =>
        Milliseconds(min.TotalMilliseconds + (rng.NextDouble() * (max - min).TotalMilliseconds));

    /// <summary>An exponentially distributed wait for a Poisson process of <paramref name="perHour"/> events an hour.</summary>
    public static TimeSpan Exponential(Random rng, double perHour) =>
        Milliseconds(Math.Max(1, -Math.Log(1 - rng.NextDouble()) / perHour * 3_600_000));

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Normal(Random rng)
    {
        var u1 = 1 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>A log-normal factor with median 1.</summary>
    public static double LogNormal(Random rng, double sigma) => Math.Exp(sigma * Normal(rng));

    /// <summary>One of <paramref name="items"/>, uniformly.</summary>
    public static T Pick<T>(Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    /// <summary>One of <paramref name="items"/>, with probability proportional to its weight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T Weighted<T>(Random rng, IReadOnlyList<(T Item, double Weight)> items)
    {
        // Index loops, not foreach: enumerating an IReadOnlyList allocates, and this runs per row.
        var total = 0.0;
        for (var i = 0; i < items.Count; i++)
        {
            total += items[i].Weight;
        }

        var x = rng.NextDouble() * total;
        for (var i = 0; i < items.Count; i++)
        {
            x -= items[i].Weight;
            if (x < 0)
            {
                return items[i].Item;
            }
        }

        return items[^1].Item;
    }

    /// <summary>A span of whole milliseconds, rounded.</summary>
    public static TimeSpan Milliseconds(double ms) => TimeSpan.FromTicks((long)Math.Round(ms) * TimeSpan.TicksPerMillisecond);

    /// <summary><paramref name="t"/> rounded down to a multiple of <paramref name="step"/> (Kusto's <c>bin</c>).</summary>
    public static DateTime Floor(DateTime t, TimeSpan step) => new(t.Ticks - (t.Ticks % step.Ticks), DateTimeKind.Utc);

    /// <summary>Sorts rows by the time in column <paramref name="column"/>; rows of equal time keep no particular order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SortByTime(List<object?[]> rows, int column)
    {
        var keys = new long[rows.Count];
        var items = rows.ToArray();
        for (var i = 0; i < items.Length; i++)
        {
            keys[i] = ((DateTime)items[i][column]!).Ticks;
        }

        Array.Sort(keys, items);
        rows.Clear();
        rows.AddRange(items);
    }

    /// <summary>
    /// Sorts <paramref name="items"/> by time and moves any time that equals or precedes the one before it
    /// to one millisecond after it, so an object's timestamps are strictly increasing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SortUnique<T>(List<T> items, Func<T, DateTime> time, Func<T, DateTime, T> withTime)
    {
        items.Sort((a, b) => time(a).CompareTo(time(b)));
        for (var i = 1; i < items.Count; i++)
        {
            var previous = time(items[i - 1]);
            if (time(items[i]) <= previous)
            {
                items[i] = withTime(items[i], previous.AddMilliseconds(1));
            }
        }
    }
}
