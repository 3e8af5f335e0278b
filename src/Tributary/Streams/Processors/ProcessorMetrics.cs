using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Tributary.Streams.Processors;

/// <summary>
/// A processor's counters (success, failed, duplicate, skipped, cache hit and miss…, with Sunbird's metric names where
/// they exist). Totals since the process started, and the change since the last report to the store. Thread-safe.
/// </summary>
public sealed class ProcessorMetrics
{
    // A counter is a box added to with Interlocked: counting an event (the hot path) neither locks nor allocates.
    private readonly ConcurrentDictionary<string, StrongBox<long>> _totals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _reported = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="count"/> to a counter.</summary>
    public void Add(string metric, long count = 1) => Interlocked.Add(ref _totals.GetOrAdd(metric, static _ => new StrongBox<long>()).Value, count);

    /// <summary>A counter's total (0 when never counted).</summary>
    public long this[string metric] => _totals.TryGetValue(metric, out var box) ? Volatile.Read(ref box.Value) : 0;

    /// <summary>Every counter's total, by name.</summary>
    public IReadOnlyDictionary<string, long> Totals => Snapshot().OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <summary>What each counter gained since the last <see cref="TakeChanges"/> (non-zero ones only), without taking it.</summary>
    public IReadOnlyDictionary<string, long> Unreported =>
        Snapshot().Select(p => (p.Key, Value: p.Value - _reported.GetValueOrDefault(p.Key))).Where(p => p.Value != 0)
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <summary>What each counter gained since the previous call (non-zero ones only); they count as reported.</summary>
    public IReadOnlyList<(string Metric, long Value)> TakeChanges()
    {
        var changes = new List<(string, long)>();
        foreach (var (metric, total) in Snapshot())
        {
            var before = _reported.GetValueOrDefault(metric);
            if (total != before)
            {
                changes.Add((metric, total - before));
                _reported[metric] = total;
            }
        }

        return changes;
    }

    private IEnumerable<KeyValuePair<string, long>> Snapshot() => _totals.Select(p => KeyValuePair.Create(p.Key, Volatile.Read(ref p.Value.Value)));
}
