namespace Tributary.Demo;

/// <summary>A clock that reads the system time unless told to stand at a given instant (the demo replays batches at their past ingestion times).</summary>
public sealed class SimulatedClock(TimeProvider inner) : TimeProvider
{
    /// <summary>When set, the time this clock reports.</summary>
    public DateTimeOffset? Override { get; set; }

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => Override ?? inner.GetUtcNow();
}
