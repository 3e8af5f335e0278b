using System.Text;
using System.Text.Json;
using Tributary.Streams.Validation;
using Tributary.Telemetry;

namespace Tributary.Tests.Telemetry;

/// <summary>
/// Counts generated batches again from their text alone, the way extractor → validator → dedup sees them: a line that is
/// not JSON is malformed; a params.msgid seen before makes a duplicate batch; an event our schemas refuse is invalid; one
/// larger than the limit is oversize; a mid seen before (on a valid event) is a duplicate; the rest are valid.
/// </summary>
internal sealed class TelemetryRecount
{
    public int UniqueBatches { get; private set; }

    public int DuplicateBatches { get; private set; }

    public int MalformedBatches { get; private set; }

    public Dictionary<TelemetryEventCategory, SortedDictionary<string, int>> ByEid { get; } =
        Enum.GetValues<TelemetryEventCategory>().ToDictionary(c => c, _ => new SortedDictionary<string, int>(StringComparer.Ordinal));

    public Dictionary<TelemetryDefect, int> Defects { get; } = Enum.GetValues<TelemetryDefect>().ToDictionary(d => d, _ => 0);

    public static TelemetryRecount Of(IEnumerable<string> lines, int oversizeBytes)
    {
        var validator = TelemetrySchemas.Validator;
        var recount = new TelemetryRecount();
        var msgids = new HashSet<string>(StringComparer.Ordinal);
        var mids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException)
            {
                recount.MalformedBatches++;
                continue;
            }

            using (document)
            {
                var batch = document.RootElement;
                var events = batch.GetProperty("events").EnumerateArray().ToList();
                if (!msgids.Add(batch.GetProperty("params").GetProperty("msgid").GetString()!))
                {
                    recount.DuplicateBatches++;
                    events.ForEach(e => recount.Add(TelemetryEventCategory.InDuplicateBatch, e));
                    continue;
                }

                recount.UniqueBatches++;
                foreach (var e in events)
                {
                    var verdict = validator.Validate(e);
                    if (!verdict.IsValid)
                    {
                        recount.Add(TelemetryEventCategory.Invalid, e);
                        recount.Defects[verdict.Kind == SchemaVerdictKind.SchemaNotFound ? TelemetryDefect.UnknownEid
                            : !e.TryGetProperty("actor", out _) ? TelemetryDefect.MissingActor
                            : e.GetProperty("ets").ValueKind == JsonValueKind.String ? TelemetryDefect.EtsNotANumber
                            : throw new InvalidOperationException($"an invalid event of no known defect: {verdict}")]++;
                    }
                    else if (Encoding.UTF8.GetByteCount(e.GetRawText()) > oversizeBytes)
                    {
                        recount.Add(TelemetryEventCategory.Oversize, e);
                    }
                    else if (!mids.Add(e.GetProperty("mid").GetString()!))
                    {
                        recount.Add(TelemetryEventCategory.Duplicate, e);
                    }
                    else
                    {
                        recount.Add(TelemetryEventCategory.Valid, e);
                    }
                }
            }
        }

        return recount;
    }

    /// <summary>Every count of <paramref name="tally"/> equals the recount.</summary>
    public void AssertEqual(TelemetryTally tally)
    {
        Assert.Equal(UniqueBatches, tally.UniqueBatches);
        Assert.Equal(DuplicateBatches, tally.DuplicateBatches);
        Assert.Equal(MalformedBatches, tally.MalformedBatches);
        foreach (var category in Enum.GetValues<TelemetryEventCategory>())
        {
            Assert.Equal(ByEid[category].ToList(), tally.ByEid(category).ToList());
            Assert.Equal(ByEid[category].Values.Sum(), tally.Count(category));
        }

        Assert.Equal(Defects.OrderBy(p => p.Key).ToList(), tally.InvalidByDefect.OrderBy(p => p.Key).ToList());
    }

    private void Add(TelemetryEventCategory category, JsonElement e)
    {
        var eid = e.GetProperty("eid").GetString()!;
        ByEid[category][eid] = ByEid[category].GetValueOrDefault(eid) + 1;
    }
}
