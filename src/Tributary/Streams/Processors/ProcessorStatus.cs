namespace Tributary.Streams.Processors;

/// <summary>
/// A processor as <c>processors list</c> shows it: state (running, paused, failed, stopped), how many input records it
/// has not read (lag), when the oldest of them was written and when retention would drop it (seed 004's backlog:
/// paused work keeps its records for the topic's retention), its last error and its counters over its whole life (what
/// earlier processes reported to the store's <c>ProcessorMetrics</c>, plus what this one has not reported yet).
/// </summary>
public sealed record ProcessorStatus(
    string Name,
    string Kind,
    string Input,
    string State,
    long Lag,
    DateTime? OldestUnread,
    DateTime? OldestUnreadExpiresOn,
    string Error,
    IReadOnlyDictionary<string, long> Counts);
