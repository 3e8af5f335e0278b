using System.Collections.ObjectModel;
using System.Text;

namespace Tributary.Telemetry;

/// <summary>
/// The exact content of a run of <see cref="TelemetryGenerator"/>: batches by kind, and events by
/// <see cref="TelemetryEventCategory"/> and eid. Immutable; thread-safe.
/// </summary>
/// <remarks>
/// <para>Every batch is one of unique (its <c>params.msgid</c> is new), duplicate (re-sends an earlier batch: same msgid,
/// events and ets; new server <c>mid</c> and <c>syncts</c>) and malformed (not JSON).</para>
/// <para>Every event of a unique batch is one of valid, invalid, duplicate and oversize. What a table fed through
/// extractor → validator → dedup holds is <see cref="ValidEvents"/> (minus the LOG events, <c>ByEid(Valid)["LOG"]</c>, when
/// the extractor routes them elsewhere); the validator fails <see cref="InvalidEvents"/>, dedup drops
/// <see cref="DuplicateEvents"/>, and the extractor fails <see cref="OversizeEvents"/> (and no other event) when its size
/// limit is between <see cref="TelemetryGenerateOptions.MinOversizeBytes"/> and <see cref="TelemetryGenerateOptions.OversizeBytes"/>.</para>
/// </remarks>
public sealed class TelemetryTally
{
    private readonly IReadOnlyDictionary<string, int>[] _byEid;

    internal TelemetryTally(int uniqueBatches, int duplicateBatches, int malformedBatches, SortedDictionary<string, int>[] byEid,
        IReadOnlyDictionary<TelemetryDefect, int> invalidByDefect)
    {
        UniqueBatches = uniqueBatches;
        DuplicateBatches = duplicateBatches;
        MalformedBatches = malformedBatches;
        _byEid = [.. byEid.Select(d => (IReadOnlyDictionary<string, int>)new ReadOnlyDictionary<string, int>(d))];
        InvalidByDefect = invalidByDefect;
    }

    /// <summary>All batches (lines): <see cref="UniqueBatches"/> + <see cref="DuplicateBatches"/> + <see cref="MalformedBatches"/>.</summary>
    public int Batches => UniqueBatches + DuplicateBatches + MalformedBatches;

    /// <summary>Well-formed batches sent for the first time: each has a <c>params.msgid</c> no earlier batch had.</summary>
    public int UniqueBatches { get; }

    /// <summary>Batches that re-send an earlier one (same <c>params.msgid</c>).</summary>
    public int DuplicateBatches { get; }

    /// <summary>Batches that are not JSON.</summary>
    public int MalformedBatches { get; }

    /// <summary>Events of the unique batches: valid + invalid + duplicate + oversize.</summary>
    public int Events => ValidEvents + InvalidEvents + DuplicateEvents + OversizeEvents;

    /// <summary>Valid events, each with its own <c>mid</c> (see <see cref="TelemetryEventCategory.Valid"/>).</summary>
    public int ValidEvents => Count(TelemetryEventCategory.Valid);

    /// <summary>Events that break the schemas (see <see cref="InvalidByDefect"/>).</summary>
    public int InvalidEvents => Count(TelemetryEventCategory.Invalid);

    /// <summary>Events repeating the <c>mid</c> of a valid event of an earlier batch.</summary>
    public int DuplicateEvents => Count(TelemetryEventCategory.Duplicate);

    /// <summary>Events larger than the oversize limit.</summary>
    public int OversizeEvents => Count(TelemetryEventCategory.Oversize);

    /// <summary>Events inside duplicate batches (not part of <see cref="Events"/>).</summary>
    public int DuplicateBatchEvents => Count(TelemetryEventCategory.InDuplicateBatch);

    /// <summary>The invalid events by how they break the schemas; every defect is present (0 when none).</summary>
    public IReadOnlyDictionary<TelemetryDefect, int> InvalidByDefect { get; }

    /// <summary>The events of <paramref name="category"/>.</summary>
    public int Count(TelemetryEventCategory category) => ByEid(category).Values.Sum();

    /// <summary>The events of <paramref name="category"/> by eid as written in the event (an invalid event's unknown eid
    /// included), in ordinal order of eid; eids with no event are absent.</summary>
    public IReadOnlyDictionary<string, int> ByEid(TelemetryEventCategory category) =>
        (uint)category < (uint)_byEid.Length ? _byEid[(int)category] : throw new ArgumentOutOfRangeException(nameof(category), category, "not a category");

    /// <summary>The tally as a few lines of text with a table of events by eid and category.</summary>
    public string Format()
    {
        var sb = new StringBuilder();
        sb.Append($"batches: {Batches} ({UniqueBatches} unique, {DuplicateBatches} duplicate, {MalformedBatches} malformed)\n");
        sb.Append($"events in unique batches: {Events} ({ValidEvents} valid, {InvalidEvents} invalid, {DuplicateEvents} duplicate, {OversizeEvents} oversize)\n");
        sb.Append($"invalid by defect: {string.Join(", ", InvalidByDefect.Select(p => $"{p.Key} {p.Value}"))}\n");
        sb.Append($"events in duplicate batches: {DuplicateBatchEvents}\n");
        var categories = Enum.GetValues<TelemetryEventCategory>();
        var eids = categories.SelectMany(c => ByEid(c).Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        sb.Append($"{"eid",-12}");
        foreach (var c in categories)
        {
            sb.Append($" {Name(c),10}");
        }

        sb.Append('\n');
        foreach (var eid in eids)
        {
            sb.Append($"{eid,-12}");
            foreach (var c in categories)
            {
                sb.Append($" {ByEid(c).GetValueOrDefault(eid),10}");
            }

            sb.Append('\n');
        }

        sb.Append($"{"total",-12}");
        foreach (var c in categories)
        {
            sb.Append($" {Count(c),10}");
        }

        return sb.Append('\n').ToString();
    }

    public override string ToString() => Format();

    private static string Name(TelemetryEventCategory category) => category switch
    {
        TelemetryEventCategory.Valid => "valid",
        TelemetryEventCategory.Invalid => "invalid",
        TelemetryEventCategory.Duplicate => "duplicate",
        TelemetryEventCategory.Oversize => "oversize",
        _ => "resent",
    };
}
