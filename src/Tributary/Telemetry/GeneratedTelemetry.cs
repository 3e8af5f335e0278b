namespace Tributary.Telemetry;

/// <summary>What <see cref="TelemetryGenerator.Generate"/> returns: the batches as the ingest endpoint receives them, and what they hold.</summary>
/// <param name="Batches">One text per batch, in the order they arrive: UTF-8-ready JSON objects on one line each (a malformed
/// batch is text that is not JSON).</param>
/// <param name="Tally">The exact counts of batches and events by category and eid.</param>
public sealed record GeneratedTelemetry(IReadOnlyList<string> Batches, TelemetryTally Tally);
