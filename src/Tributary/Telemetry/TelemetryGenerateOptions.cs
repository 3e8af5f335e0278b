using System.Globalization;

namespace Tributary.Telemetry;

/// <summary>What <see cref="TelemetryGenerator"/> generates: the period, how many batches, the seed, and the share of each kind of trouble.</summary>
/// <param name="From">The first instant of the period: every event's <c>ets</c> is in [From, To). A value of kind
/// <see cref="DateTimeKind.Unspecified"/> is taken as UTC.</param>
/// <param name="To">The end of the period (excluded); after <paramref name="From"/>.</param>
/// <remarks>
/// Fractions are shares of a whole, rounded to the nearest count: <see cref="DuplicateBatches"/> and <see cref="MalformedBatches"/>
/// of <see cref="Batches"/>; <see cref="DuplicateEvents"/>, <see cref="InvalidEvents"/> and <see cref="OversizeEvents"/> of the
/// events of the batches sent for the first time. Equal options give identical output: no clock, no OS randomness.
/// </remarks>
public sealed record TelemetryGenerateOptions(DateTime From, DateTime To)
{
    /// <summary>The most batches one run generates.</summary>
    public const int MaxBatches = 1_000_000;

    /// <summary>The most events one batch holds.</summary>
    public const int MaxEventsPerBatch = 1_000;

    /// <summary>The most users the population may have.</summary>
    public const int MaxUsers = 1_000_000;

    /// <summary>The smallest oversize limit: every event that is not oversize is well below it.</summary>
    public const int MinOversizeBytes = 4_096;

    /// <summary>The largest oversize limit.</summary>
    public const int MaxOversizeBytes = 64 * 1024 * 1024;

    /// <summary>How many batches (lines) in all, re-sent and malformed ones included; 1 to <see cref="MaxBatches"/>.</summary>
    public int Batches { get; init; } = 100;

    /// <summary>The most events a batch holds, 1 to <see cref="MaxEventsPerBatch"/>: a client sends its buffer when it holds
    /// this many, and what is left when a session ends, so batches hold 1 to this many events.</summary>
    public int EventsPerBatch { get; init; } = 20;

    /// <summary>The seed of every random draw.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>How many signed-in users the population has (they share a quarter as many anonymous devices); null for
    /// one per six batches, at least 10.</summary>
    public int? Users { get; init; }

    /// <summary>Share of events that repeat a valid event (same <c>mid</c>) of an earlier batch, 0 to 1.</summary>
    public double DuplicateEvents { get; init; } = 0.02;

    /// <summary>Share of events that break the schemas (<see cref="TelemetryDefect"/>), 0 to 1.</summary>
    public double InvalidEvents { get; init; } = 0.02;

    /// <summary>Share of events larger than <see cref="OversizeBytes"/>, 0 to 1.</summary>
    public double OversizeEvents { get; init; }

    /// <summary>The size (UTF-8 bytes of the event's JSON) an oversize event exceeds; Sunbird's production limit by default.</summary>
    public int OversizeBytes { get; init; } = 1024 * 1024;

    /// <summary>Share of batches that re-send an earlier batch (same <c>params.msgid</c>), 0 to 1.</summary>
    public double DuplicateBatches { get; init; } = 0.01;

    /// <summary>Share of batches that are not JSON (a body cut short), 0 to 1.</summary>
    public double MalformedBatches { get; init; }

    /// <summary>The number of users the generator plays (<see cref="Users"/>, or its default for <see cref="Batches"/>).</summary>
    public int EffectiveUsers => Users ?? Math.Max(10, Batches / 6);

    /// <summary>Checks every value.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it and says what it may be.</exception>
    public void Validate()
    {
        if (Utc(From) >= Utc(To))
        {
            throw new ArgumentException($"From ({Format(From)}) must be before To ({Format(To)})");
        }

        if (Utc(From) < DateTime.UnixEpoch)
        {
            throw new ArgumentException($"From ({Format(From)}) must not be before 1970 (ets counts milliseconds since then)");
        }

        Range(nameof(Batches), Batches, 1, MaxBatches);
        Range(nameof(EventsPerBatch), EventsPerBatch, 1, MaxEventsPerBatch);
        if (Users is { } users)
        {
            Range(nameof(Users), users, 1, MaxUsers);
        }

        Range(nameof(OversizeBytes), OversizeBytes, MinOversizeBytes, MaxOversizeBytes);
        Fraction(nameof(DuplicateEvents), DuplicateEvents);
        Fraction(nameof(InvalidEvents), InvalidEvents);
        Fraction(nameof(OversizeEvents), OversizeEvents);
        Fraction(nameof(DuplicateBatches), DuplicateBatches);
        Fraction(nameof(MalformedBatches), MalformedBatches);
        if (DuplicateEvents + InvalidEvents + OversizeEvents > 1)
        {
            throw new ArgumentException(
                $"DuplicateEvents + InvalidEvents + OversizeEvents ({N(DuplicateEvents)} + {N(InvalidEvents)} + {N(OversizeEvents)}) must not exceed 1");
        }

        if (DuplicateBatches + MalformedBatches > 1)
        {
            throw new ArgumentException($"DuplicateBatches + MalformedBatches ({N(DuplicateBatches)} + {N(MalformedBatches)}) must not exceed 1");
        }

        var resent = Count(DuplicateBatches, Batches);
        if (resent > 0 && resent + Count(MalformedBatches, Batches) >= Batches)
        {
            throw new ArgumentException($"DuplicateBatches ({N(DuplicateBatches)}) leaves no batch of the {Batches} to re-send: at least one must be sent for the first time");
        }
    }

    /// <summary>A share of a whole as a count: the nearest whole number, halves up.</summary>
    internal static int Count(double fraction, long whole) => (int)Math.Min(whole, Math.Floor((fraction * whole) + 0.5));

    /// <summary>A time as UTC (Unspecified is taken as UTC).</summary>
    internal static DateTime Utc(DateTime t) => t.Kind switch
    {
        DateTimeKind.Utc => t,
        DateTimeKind.Local => t.ToUniversalTime(),
        _ => DateTime.SpecifyKind(t, DateTimeKind.Utc),
    };

    private static void Range(string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            throw new ArgumentException($"{name} must be between {min:N0} and {max:N0}, not {value:N0}");
        }
    }

    private static void Fraction(string name, double value)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentException($"{name} must be a fraction between 0 and 1, not {N(value)}");
        }
    }

    private static string N(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Format(DateTime t) => Utc(t).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
