using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tributary.Demo;

namespace Tributary.Telemetry.Internal;

/// <summary>
/// Decides everything a run generates before writing a byte: the sessions, which of their client batches are sent and in
/// which order (by <c>syncts</c>), which lines re-send a batch or are malformed, and which events are duplicate, invalid or
/// oversize; so the <see cref="Tally"/> is known up front and exact. <see cref="Lines"/> then writes the batches, playing
/// each session again (it is deterministic) and keeping only the sessions and batches a later line still needs.
/// </summary>
/// <remarks>
/// Implementation note: every decision draws from its own random stream, so changing a fraction changes which events are
/// touched but not the sessions themselves, and the same options always give the same text.
/// </remarks>
internal sealed class TelemetryPlan
{
    private const string BatchId = "api.sunbird.telemetry";
    private const int RecentLines = 50;

    private static readonly JsonSerializerOptions NodeOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string[] UnknownEids = ["CLICK", "PAGEVIEW", "VIEW", "TOUCH", "PAGE_LOAD"];

    /// <summary>Every eid a slot can be written with; a slot keeps the index (one byte, not a reference).</summary>
    private static readonly string[] Eids =
        ["START", "END", "IMPRESSION", "INTERACT", "LOG", "ERROR", "SEARCH", "SHARE", "AUDIT", "ASSESS", "RESPONSE", "HEARTBEAT", "FEEDBACK", "INTERRUPT", "SUMMARY", "METRICS", .. UnknownEids];

    private static readonly Dictionary<string, byte> EidCodes = Eids.Select((e, i) => (e, i)).ToDictionary(p => p.e, p => (byte)p.i, StringComparer.Ordinal);

    private readonly TelemetryGenerateOptions _options;
    private readonly TelemetryPopulation _population;
    private readonly long _fromMs;
    private readonly long _toMs;
    private readonly List<SessionPlan> _sessions = [];
    private readonly List<byte[]> _sessionEids = [];
    private readonly List<Chunk> _chunks = [];
    private Line[] _lines = [];
    private int[] _slotStart = [];
    private Slot[] _slots = [];

    private TelemetryPlan(TelemetryGenerateOptions options)
    {
        _options = options;
        _fromMs = CeilingMilliseconds(TelemetryGenerateOptions.Utc(options.From));
        _toMs = CeilingMilliseconds(TelemetryGenerateOptions.Utc(options.To));
        if (_fromMs >= _toMs)
        {
            throw new ArgumentException("the period from From to To holds no whole millisecond");
        }

        _population = TelemetryPopulation.Create(options.EffectiveUsers, Stream(1));
    }

    private enum LineKind : byte
    {
        Unique,
        Resend,
        Malformed,
    }

    private enum SlotKind : byte
    {
        Valid,
        Invalid,
        Duplicate,
        Oversize,
    }

    public TelemetryTally Tally { get; private set; } = null!;

    /// <summary>Validates <paramref name="options"/> and plans the run.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static TelemetryPlan Create(TelemetryGenerateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var plan = new TelemetryPlan(options);
        var resent = TelemetryGenerateOptions.Count(options.DuplicateBatches, options.Batches);
        var malformed = Math.Min(TelemetryGenerateOptions.Count(options.MalformedBatches, options.Batches), options.Batches - resent);
        var unique = options.Batches - resent - malformed;
        plan.PlaySessions(unique);
        plan.PlanLines(unique, resent, malformed);
        plan.PlanSlots();
        plan.Tally = plan.Count();
        return plan;
    }

    /// <summary>The batches, one text each, in order; lazily, so a large run never holds all of them.</summary>
    public IEnumerable<string> Lines(CancellationToken cancellationToken)
    {
        // The last line that needs each session's events, and each re-sent batch's text.
        var lastUse = new Dictionary<int, int>();
        var keepBatch = new Dictionary<int, int>();
        for (var line = 0; line < _lines.Length; line++)
        {
            var l = _lines[line];
            if (l.Kind == LineKind.Unique)
            {
                var chunk = _chunks[l.Chunk];
                lastUse[chunk.Session] = line;
                for (var k = 0; k < chunk.Count; k++)
                {
                    var slot = _slots[_slotStart[line] + k];
                    if (slot.Kind == SlotKind.Duplicate)
                    {
                        lastUse[_chunks[_lines[_slots[slot.Source].Line].Chunk].Session] = line;
                    }
                }
            }
            else if (l.Kind == LineKind.Resend)
            {
                keepBatch[l.Of] = line;
            }
        }

        return Write(Invert(lastUse), Invert(keepBatch), [.. keepBatch.Keys], cancellationToken);
    }

    private static Dictionary<int, List<int>> Invert(Dictionary<int, int> lastLine)
    {
        var byLine = new Dictionary<int, List<int>>();
        foreach (var (item, line) in lastLine)
        {
            if (!byLine.TryGetValue(line, out var items))
            {
                byLine[line] = items = [];
            }

            items.Add(item);
        }

        return byLine;
    }

    private IEnumerable<string> Write(Dictionary<int, List<int>> sessionsDone, Dictionary<int, List<int>> batchesDone, HashSet<int> resentLines,
        CancellationToken cancellationToken)
    {
        using var player = new TelemetrySessionPlayer(_population, _options.Seed, _toMs);
        var played = new Dictionary<int, List<SessionEvent>>();
        var kept = new Dictionary<int, (Chunk Chunk, string Events)>();
        var cut = Stream(7);
        var oversize = Stream(8);
        string? previous = null;
        List<SessionEvent> Events(int session)
        {
            if (!played.TryGetValue(session, out var events))
            {
                events = player.Play(_sessions[session]);
                played.Add(session, events);
            }

            return events;
        }

        for (var line = 0; line < _lines.Length; line++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var l = _lines[line];
            string text;
            switch (l.Kind)
            {
                case LineKind.Unique:
                    var chunk = _chunks[l.Chunk];
                    var own = Events(chunk.Session);
                    var events = new StringBuilder();
                    for (var k = 0; k < chunk.Count; k++)
                    {
                        var slot = _slots[_slotStart[line] + k];
                        var e = own[chunk.First + k];
                        events.Append(k == 0 ? "" : ",").Append(slot.Kind switch
                        {
                            SlotKind.Valid => e.Json,
                            SlotKind.Invalid => Break(e, slot),
                            SlotKind.Oversize => Oversize(e, chunk.Session, chunk.First + k, oversize),
                            _ => SourceEvent(slot, Events),
                        });
                    }

                    text = Batch(line, chunk, line, chunk.Syncts, events.ToString());
                    if (resentLines.Contains(line))
                    {
                        kept[line] = (chunk, events.ToString());
                    }

                    break;
                case LineKind.Resend:
                    var (original, originalEvents) = kept[l.Of];
                    text = Batch(l.Of, original, line, l.Syncts, originalEvents);
                    break;
                default:
                    text = previous ?? $"{{\"id\":\"{BatchId}\",\"ver\":\"3.0\",\"ets\":{_fromMs},\"params\":{{\"msgid\":\"{TelemetryIds.Uuid(_options.Seed, TelemetryIds.Key(IdKind.BatchMsgid, line, 0))}\"}},\"events\":[";
                    text = text[..(text.Length / 3 + cut.Next(Math.Max(1, text.Length / 3)))];
                    break;
            }

            yield return text;
            previous = text;
            foreach (var session in sessionsDone.GetValueOrDefault(line) ?? [])
            {
                played.Remove(session);
            }

            foreach (var batch in batchesDone.GetValueOrDefault(line) ?? [])
            {
                kept.Remove(batch);
            }
        }
    }

    private string SourceEvent(Slot slot, Func<int, List<SessionEvent>> events)
    {
        var source = _slots[slot.Source];
        var chunk = _chunks[_lines[source.Line].Chunk];
        return events(chunk.Session)[chunk.First + (slot.Source - _slotStart[source.Line])].Json;
    }

    private string Batch(int msgidLine, Chunk chunk, int line, long syncts, string events)
    {
        var did = _population.Devices[_sessions[chunk.Session].Device].Did;
        return $"{{\"id\":\"{BatchId}\",\"ver\":\"3.0\",\"ets\":{chunk.BatchEts},\"params\":{{\"msgid\":\"{TelemetryIds.Uuid(_options.Seed, TelemetryIds.Key(IdKind.BatchMsgid, msgidLine, 0))}\",\"did\":\"{did}\"}}," +
               $"\"mid\":\"{TelemetryIds.Uuid(_options.Seed, TelemetryIds.Key(IdKind.BatchMid, line, 0))}\",\"syncts\":{syncts},\"events\":[{events}]}}";
    }

    /// <summary>The event with its defect.</summary>
    private static string Break(SessionEvent e, Slot slot)
    {
        var node = JsonNode.Parse(e.Json)!.AsObject();
        switch (slot.Defect)
        {
            case TelemetryDefect.MissingActor:
                node.Remove("actor");
                break;
            case TelemetryDefect.EtsNotANumber:
                node["ets"] = DateTimeOffset.FromUnixTimeMilliseconds(e.Ets).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                break;
            default:
                node["eid"] = Eids[slot.Eid];
                break;
        }

        return node.ToJsonString(NodeOptions);
    }

    /// <summary>An ERROR event in the context of <paramref name="e"/> whose stack trace makes it larger than the limit.</summary>
    private string Oversize(SessionEvent e, int session, int index, Random rng)
    {
        var node = JsonNode.Parse(e.Json)!.AsObject();
        var page = node["edata"]?["pageid"]?.GetValue<string>() ?? "home";
        node["eid"] = "ERROR";
        node["mid"] = "ERROR:" + TelemetryIds.Hex32(_options.Seed, TelemetryIds.Key(IdKind.OversizeEvent, session, index));
        var edata = new JsonObject { ["err"] = "RangeError", ["errtype"] = "SYSTEM", ["stacktrace"] = "", ["pageid"] = page };
        node["edata"] = edata;
        // A frame is under 64 bytes, so the event ends up 1 to 1,024 bytes over the limit.
        var target = (long)_options.OversizeBytes + 1 + rng.Next(960);
        var need = target - Encoding.UTF8.GetByteCount(node.ToJsonString(NodeOptions));
        var stack = new StringBuilder("RangeError: Maximum call stack size exceeded");
        var escaped = (long)stack.Length;
        for (var frame = 0; escaped < need; frame++)
        {
            var text = $"\n    at renderNode (main.{frame % 7}.js:1:{1000 + (frame * 37 % 90_000)})";
            stack.Append(text);
            escaped += text.Length + 1; // a line break is written as the two bytes \n
        }

        edata["stacktrace"] = stack.ToString();
        var json = node.ToJsonString(NodeOptions);
        return Encoding.UTF8.GetByteCount(json) > _options.OversizeBytes
            ? json
            : throw new InvalidOperationException($"an oversize event came out at {Encoding.UTF8.GetByteCount(json)} bytes, not above {_options.OversizeBytes}");
    }

    /// <summary>Plays sessions until their client batches number at least <paramref name="unique"/>, then keeps the first that many by syncts.</summary>
    private void PlaySessions(int unique)
    {
        var rng = Stream(2);
        using var player = new TelemetrySessionPlayer(_population, _options.Seed, _toMs);
        var n = _options.EventsPerBatch;
        while (_chunks.Count < unique)
        {
            var plan = new SessionPlan(_sessions.Count, rng.Next(), DiurnalStart(rng), _population.PickDevice(rng));
            var events = player.Play(plan);
            _sessions.Add(plan);
            _sessionEids.Add([.. events.Select(e => EidCodes[e.Eid])]);
            var offline = _population.Devices[plan.Device].Platform != ClientPlatform.Portal && rng.NextDouble() < 0.05
                ? (long)DemoRandom.Span(rng, TimeSpan.FromMinutes(10), TimeSpan.FromHours(6)).TotalMilliseconds
                : 0;
            for (var first = 0; first < events.Count; first += n)
            {
                var count = Math.Min(n, events.Count - first);
                var batchEts = events[first + count - 1].Ets + rng.Next(5, 500);
                var latency = (long)Math.Clamp(300 * DemoRandom.LogNormal(rng, 0.8), 20, 10_000);
                var syncts = offline > 0 ? events[^1].Ets + offline + (first / n * 40) + latency : batchEts + latency;
                _chunks.Add(new Chunk(plan.Index, first, count, batchEts, syncts));
            }
        }

        _chunks.Sort((a, b) => a.Syncts != b.Syncts ? a.Syncts.CompareTo(b.Syncts) : a.Session != b.Session ? a.Session.CompareTo(b.Session) : a.First.CompareTo(b.First));
        _chunks.RemoveRange(unique, _chunks.Count - unique);
    }

    /// <summary>Which lines are unique batches (the first always is), re-sends (of one of the 5 unique batches before) and malformed.</summary>
    private void PlanLines(int unique, int resent, int malformed)
    {
        var rng = Stream(3);
        var total = _options.Batches;
        _lines = new Line[total];
        var special = resent + malformed;
        var kinds = new LineKind[total];
        if (unique == 0)
        {
            Array.Fill(kinds, LineKind.Malformed);
        }
        else
        {
            // Selection sampling: exactly `special` of lines 1..total-1, each subset equally likely; then which are re-sends.
            var left = total - 1;
            for (var line = 1; line < total; line++, left--)
            {
                if (rng.NextInt64(left) < special)
                {
                    kinds[line] = rng.NextInt64(special) < resent ? LineKind.Resend : LineKind.Malformed;
                    if (kinds[line] == LineKind.Resend)
                    {
                        resent--;
                    }

                    special--;
                }
            }
        }

        var next = 0;
        var recent = new List<int>();
        var lastSyncts = long.MinValue;
        for (var line = 0; line < total; line++)
        {
            switch (kinds[line])
            {
                case LineKind.Unique:
                    _lines[line] = new Line(LineKind.Unique, next, -1, _chunks[next].Syncts);
                    lastSyncts = _chunks[next].Syncts;
                    next++;
                    recent.Add(line);
                    if (recent.Count > 5)
                    {
                        recent.RemoveAt(0);
                    }

                    break;
                case LineKind.Resend:
                    var upTo = next < _chunks.Count ? _chunks[next].Syncts : lastSyncts + 3_000;
                    var syncts = lastSyncts + rng.NextInt64(Math.Clamp(upTo - lastSyncts, 0, 3_000) + 1);
                    _lines[line] = new Line(LineKind.Resend, -1, DemoRandom.Pick(rng, recent), syncts);
                    lastSyncts = syncts;
                    break;
                default:
                    _lines[line] = new Line(LineKind.Malformed, -1, -1, 0);
                    break;
            }
        }
    }

    /// <summary>Which events of the unique batches are duplicate (of a valid event of an earlier line), invalid and oversize.</summary>
    private void PlanSlots()
    {
        _slotStart = new int[_lines.Length];
        var total = 0;
        var firstLineSlots = -1;
        for (var line = 0; line < _lines.Length; line++)
        {
            _slotStart[line] = total;
            if (_lines[line].Kind == LineKind.Unique)
            {
                var count = _chunks[_lines[line].Chunk].Count;
                firstLineSlots = firstLineSlots < 0 ? count : firstLineSlots;
                total += count;
            }
        }

        _slots = new Slot[total];
        for (var line = 0; line < _lines.Length; line++)
        {
            if (_lines[line].Kind == LineKind.Unique)
            {
                var chunk = _chunks[_lines[line].Chunk];
                for (var k = 0; k < chunk.Count; k++)
                {
                    _slots[_slotStart[line] + k] = new Slot(line, SlotKind.Valid, default, _sessionEids[chunk.Session][chunk.First + k], -1);
                }
            }
        }

        var eligible = total == 0 ? 0 : total - firstLineSlots;
        var duplicates = Math.Min(TelemetryGenerateOptions.Count(_options.DuplicateEvents, total), eligible);
        var invalid = Math.Min(TelemetryGenerateOptions.Count(_options.InvalidEvents, total), total - duplicates);
        var oversize = Math.Min(TelemetryGenerateOptions.Count(_options.OversizeEvents, total), total - duplicates - invalid);
        var rng = Stream(4);
        for (var s = total - eligible; s < total; s++, eligible--)
        {
            if (rng.NextInt64(eligible) < duplicates)
            {
                _slots[s] = _slots[s] with { Kind = SlotKind.Duplicate };
                duplicates--;
            }
        }

        var defects = Stream(5);
        var pool = _slots.Count(s => s.Kind != SlotKind.Duplicate);
        for (var s = 0; s < total; s++)
        {
            if (_slots[s].Kind == SlotKind.Duplicate)
            {
                continue;
            }

            var r = rng.NextInt64(pool--);
            if (r < invalid)
            {
                var defect = (TelemetryDefect)defects.Next(3);
                var eid = defect == TelemetryDefect.UnknownEid ? EidCodes[DemoRandom.Pick(defects, UnknownEids)] : _slots[s].Eid;
                _slots[s] = _slots[s] with { Kind = SlotKind.Invalid, Defect = defect, Eid = eid };
                invalid--;
            }
            else if (r < invalid + oversize)
            {
                _slots[s] = _slots[s] with { Kind = SlotKind.Oversize, Eid = EidCodes["ERROR"] };
                oversize--;
            }
        }

        ChooseSources();
    }

    /// <summary>
    /// The valid event each duplicate repeats: mostly one of the device's previous batch (a client re-sending part of its
    /// buffer), else one of the last 50 lines. A duplicate with no valid event before it becomes a valid event itself.
    /// </summary>
    private void ChooseSources()
    {
        var rng = Stream(6);
        var valid = new List<int>();
        var validStart = new List<int>();
        var validEnd = new List<int>();
        var lastOfDevice = new Dictionary<int, int>();
        var ordinal = -1;
        for (var line = 0; line < _lines.Length; line++)
        {
            if (_lines[line].Kind != LineKind.Unique)
            {
                continue;
            }

            ordinal++;
            var chunk = _chunks[_lines[line].Chunk];
            var device = _sessions[chunk.Session].Device;
            var windowStart = ordinal > RecentLines ? validStart[ordinal - RecentLines] : 0;
            var before = valid.Count;
            validStart.Add(before);
            for (var k = 0; k < chunk.Count; k++)
            {
                var s = _slotStart[line] + k;
                if (_slots[s].Kind == SlotKind.Duplicate)
                {
                    int source;
                    if (lastOfDevice.TryGetValue(device, out var previous) && validEnd[previous] > validStart[previous] && rng.NextDouble() < 0.7)
                    {
                        source = valid[validStart[previous] + rng.Next(validEnd[previous] - validStart[previous])];
                    }
                    else if (before > windowStart)
                    {
                        source = valid[windowStart + rng.Next(before - windowStart)];
                    }
                    else
                    {
                        _slots[s] = _slots[s] with { Kind = SlotKind.Valid };
                        valid.Add(s);
                        continue;
                    }

                    _slots[s] = _slots[s] with { Source = source, Eid = _slots[source].Eid };
                }
                else if (_slots[s].Kind == SlotKind.Valid)
                {
                    valid.Add(s);
                }
            }

            validEnd.Add(valid.Count);
            lastOfDevice[device] = ordinal;
        }
    }

    private TelemetryTally Count()
    {
        var byEid = Enum.GetValues<TelemetryEventCategory>().Select(_ => new SortedDictionary<string, int>(StringComparer.Ordinal)).ToArray();
        var defects = Enum.GetValues<TelemetryDefect>().ToDictionary(d => d, _ => 0);
        int unique = 0, resent = 0, malformed = 0;
        for (var line = 0; line < _lines.Length; line++)
        {
            var l = _lines[line];
            if (l.Kind == LineKind.Malformed)
            {
                malformed++;
                continue;
            }

            var source = l.Kind == LineKind.Unique ? line : l.Of;
            var count = _chunks[_lines[source].Chunk].Count;
            for (var k = 0; k < count; k++)
            {
                var slot = _slots[_slotStart[source] + k];
                var category = l.Kind == LineKind.Resend ? TelemetryEventCategory.InDuplicateBatch : slot.Kind switch
                {
                    SlotKind.Valid => TelemetryEventCategory.Valid,
                    SlotKind.Invalid => TelemetryEventCategory.Invalid,
                    SlotKind.Duplicate => TelemetryEventCategory.Duplicate,
                    _ => TelemetryEventCategory.Oversize,
                };
                var counts = byEid[(int)category];
                counts[Eids[slot.Eid]] = counts.GetValueOrDefault(Eids[slot.Eid]) + 1;
                if (category == TelemetryEventCategory.Invalid)
                {
                    defects[slot.Defect]++;
                }
            }

            if (l.Kind == LineKind.Unique)
            {
                unique++;
            }
            else
            {
                resent++;
            }
        }

        return new TelemetryTally(unique, resent, malformed, byEid, defects);
    }

    /// <summary>A session start in the period, more likely in Indian daytime (Sunbird's users are mostly in India).</summary>
    private long DiurnalStart(Random rng)
    {
        while (true)
        {
            var t = _fromMs + (long)(rng.NextDouble() * (_toMs - _fromMs));
            var hour = (int)((t + 19_800_000) / 3_600_000 % 24);
            var activity = hour switch
            {
                < 6 => 0.08,
                6 => 0.3,
                7 => 0.5,
                8 => 0.7,
                < 14 => 1.0,
                < 17 => 0.85,
                < 22 => 0.95,
                22 => 0.5,
                _ => 0.25,
            };
            if (rng.NextDouble() < activity)
            {
                return t;
            }
        }
    }

    private Random Stream(int stream) => new(unchecked((_options.Seed * 1_000_003) + (stream * 7_919)));

    private static long CeilingMilliseconds(DateTime t)
    {
        var ticks = t.Ticks - DateTime.UnixEpoch.Ticks;
        return (ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
    }

    /// <summary>A client batch: events [First, First + Count) of a session, built at BatchEts and received at Syncts.</summary>
    private readonly record struct Chunk(int Session, int First, int Count, long BatchEts, long Syncts);

    /// <summary>One output line: a unique batch (of a chunk), a re-send (of line Of) or a malformed text.</summary>
    private readonly record struct Line(LineKind Kind, int Chunk, int Of, long Syncts);

    /// <summary>One event of a unique batch: what it is, its defect, the eid it is written with, and the slot a duplicate repeats.</summary>
    private readonly record struct Slot(int Line, SlotKind Kind, TelemetryDefect Defect, byte Eid, int Source);
}
