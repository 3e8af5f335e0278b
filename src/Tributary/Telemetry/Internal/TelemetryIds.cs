namespace Tributary.Telemetry.Internal;

/// <summary>What an id identifies; part of its key, so ids of different kinds never collide.</summary>
internal enum IdKind : ulong
{
    Event = 1,
    OversizeEvent = 2,
    BatchMsgid = 3,
    BatchMid = 4,
    ContentSession = 5,
    PlaySession = 6,
    Correlation = 7,
}

/// <summary>
/// Ids that look random but are unique by construction within one seed: a key (kind, a, b) goes through a bijection of 64
/// bits, and all 64 of those bits appear in the id.
/// </summary>
/// <remarks>
/// Implementation note: drawing <c>mid</c>s and <c>params.msgid</c>s from a <see cref="Random"/> would make a collision
/// unlikely, not impossible, and one collision would be an untallied duplicate. The SplitMix64 finalizer is a
/// bijection, so distinct keys give distinct low halves.
/// </remarks>
internal static class TelemetryIds
{
    /// <summary>A key: the kind in 4 bits, <paramref name="a"/> in 36, <paramref name="b"/> in 24.</summary>
    public static ulong Key(IdKind kind, long a, long b)
    {
        if ((ulong)a >= 1UL << 36 || (ulong)b >= 1UL << 24)
        {
            throw new ArgumentOutOfRangeException(nameof(a), $"id key ({a}, {b}) is out of range");
        }

        return ((ulong)kind << 60) | ((ulong)a << 24) | (ulong)b;
    }

    /// <summary>32 lowercase hex digits (the form of Sunbird's <c>mid</c> suffixes).</summary>
    public static string Hex32(int seed, ulong key)
    {
        var (hi, lo) = Halves(seed, key);
        return $"{hi:x16}{lo:x16}";
    }

    /// <summary>A version-4 UUID string whose 122 free bits hold the unique 64 and 58 more that look random.</summary>
    public static string Uuid(int seed, ulong key)
    {
        var (hi, lo) = Halves(seed, key);
        var timeLow = (uint)(lo >> 32);
        var timeMid = (ushort)(lo >> 16);
        var timeHi = (ushort)(0x4000 | ((uint)lo & 0x0FFF));
        var clock = (ushort)(0x8000 | (((uint)(lo >> 12) & 0xF) << 10) | ((uint)hi & 0x3FF));
        var node = (hi >> 10) & 0xFFFF_FFFF_FFFFUL;
        return $"{timeLow:x8}-{timeMid:x4}-{timeHi:x4}-{clock:x4}-{node:x12}";
    }

    /// <summary>The SplitMix64 finalizer: a bijection of 64 bits that scatters every input bit.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static (ulong Hi, ulong Lo) Halves(int seed, ulong key)
    {
        var mask = Mix(0x9E3779B97F4A7C15UL ^ (uint)seed);
        var lo = Mix(key ^ mask);
        var hi = Mix(lo ^ ~mask);
        return (hi, lo);
    }
}
