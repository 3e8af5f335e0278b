using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Tributary.Demo;
using Tributary.Kql;

namespace Tributary.Fleet;

/// <summary>
/// Plays the seven source systems of seed 000 over a fleet of nodes and returns the rows they put in the three
/// source tables (<see cref="FleetSources.Tables"/>), ready to write as JSON lines (<see cref="WriteJsonLines"/>) and
/// ingest. Deterministic: equal <see cref="FleetGenerateOptions"/> give identical rows; no clock, no OS randomness.
/// </summary>
/// <remarks>
/// <para>Each node emits each system's rows as a Poisson process of the system's rate (<see cref="RatePerNodeHour"/>)
/// times the node's activity (log-normal, median 1): per node and hour OMRollout 8, OMRollout:SOC 3, BatchingEvents 4,
/// OAASRollout 2, ServiceVersionSwitch 1.5, ScheduledEvents_TMMgmt 0.5, ScheduledEvents_AzPE 0.3. With 200 nodes that is
/// about 4,200 rows an hour in all, some 400 in each 10-minute window for the OMRollouts jobs.</para>
/// <para>Every system draws from its own random streams, so a spike of one system leaves the others' rows unchanged, and
/// a spike leaves its own system's rows outside its interval unchanged too (see <see cref="FleetSpike"/>).</para>
/// </remarks>
public static class FleetChangeGenerator
{
    private const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    private const double MaxFactor = 1000;

    /// <summary>
    /// Generates the rows of every system in [<see cref="FleetGenerateOptions.From"/>, <see cref="FleetGenerateOptions.To"/>):
    /// one <see cref="SourceRows"/> per source table, in the order of <see cref="FleetSources.Tables"/>, each sorted by time.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">From is not before To, Nodes is outside 1..100,000, or a spike names an unknown
    /// system, has a factor outside 0..1000 or a duration not above zero; the message says which.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static IReadOnlyList<SourceRows> Generate(FleetGenerateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var from = CeilingMillisecond(Utc(options.From));
        var to = Utc(options.To);
        if (from >= to)
        {
            throw new ArgumentException(
                $"From ({Format(options.From)}) must be before To ({Format(options.To)})", nameof(options));
        }

        if (options.Nodes is < 1 or > FleetGenerateOptions.MaxNodes)
        {
            throw new ArgumentException(
                $"Nodes must be between 1 and {FleetGenerateOptions.MaxNodes:N0}, not {options.Nodes}", nameof(options));
        }

        var spikes = Validate(options.Spikes ?? []);
        var catalog = FleetCatalog.Create(options.Nodes, Stream(options.Seed, 1));
        using var factory = new FleetEventFactory(catalog);
        var tables = FleetSources.Tables.ToDictionary(t => t.Name, _ => new List<object?[]>(), StringComparer.Ordinal);
        for (var s = 0; s < FleetSources.All.Count; s++)
        {
            var source = FleetSources.All[s];
            var rows = tables[FleetSources.TableOf(source).Name];
            var segments = Segments(from, to, spikes.Where(p => p.Source == source).ToList());
            Play(source, catalog, factory, from, to, segments, Stream(options.Seed, 100 + s), Stream(options.Seed, 200 + s),
                Stream(options.Seed, 300 + s), rows);
        }

        var result = new List<SourceRows>(FleetSources.Tables.Count);
        foreach (var table in FleetSources.Tables)
        {
            var rows = tables[table.Name];
            DemoRandom.SortByTime(rows, 0);
            result.Add(new SourceRows(table, rows));
        }

        return result;
    }

    /// <summary>The usual rate of <paramref name="source"/>: rows per node and hour, before a node's activity and any spike.</summary>
    /// <exception cref="ArgumentException"><paramref name="source"/> is not a known system.</exception>
    public static double RatePerNodeHour(string source) => FleetSources.Canonical(source) switch
    {
        FleetSources.OMRollout => 8,
        FleetSources.OMRolloutSoc => 3,
        FleetSources.BatchingEvents => 4,
        FleetSources.OAASRollout => 2,
        FleetSources.ServiceVersionSwitch => 1.5,
        FleetSources.ScheduledEventsTMMgmt => 0.5,
        _ => 0.3,
    };

    /// <summary>
    /// How many of the generated rows belong to system <paramref name="source"/>, optionally only those whose
    /// <c>Timestamp</c> is in [<paramref name="from"/>, <paramref name="to"/>). Every row of the <c>ServiceVersionSwitch</c>
    /// table belongs to system <see cref="FleetSources.ServiceVersionSwitch"/>; the other tables say it in <c>Source</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="source"/> is not a known system.</exception>
    public static long ExpectedRows(IReadOnlyList<SourceRows> rows, string source, DateTime? from = null, DateTime? to = null) =>
        CountBySystem(rows, from, to)[FleetSources.Canonical(source)];

    /// <summary>
    /// The number of generated rows of every system (all seven keys, zero included), optionally only those whose
    /// <c>Timestamp</c> is in [<paramref name="from"/>, <paramref name="to"/>).
    /// </summary>
    public static IReadOnlyDictionary<string, long> CountBySystem(IReadOnlyList<SourceRows> rows, DateTime? from = null, DateTime? to = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var counts = FleetSources.All.ToDictionary(s => s, _ => 0L, StringComparer.Ordinal);
        var lo = from is { } f ? Utc(f) : DateTime.MinValue;
        var hi = to is { } t ? Utc(t) : DateTime.MaxValue;
        foreach (var table in rows)
        {
            var time = IndexOf(table.Table, "Timestamp");
            var source = table.Table.Find("Source") is null ? -1 : IndexOf(table.Table, "Source");
            foreach (var row in table.Rows)
            {
                var at = (DateTime)row[time]!;
                if (at < lo || at >= hi)
                {
                    continue;
                }

                var system = source < 0 ? FleetSources.ServiceVersionSwitch : (string)row[source]!;
                counts[system] = counts.GetValueOrDefault(system) + 1;
            }
        }

        return counts;
    }

    /// <summary>
    /// Writes <paramref name="rows"/> to <paramref name="path"/> as JSON lines, one object per row with the table's column
    /// names: <c>datetime</c> as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>, <c>dynamic</c> as a nested JSON value (not a string),
    /// <c>timespan</c> as <c>[d.]hh:mm:ss.fffffff</c>, numbers and booleans as JSON numbers and booleans. The store's
    /// JSON-lines ingestion reads it (<c>store.IngestFile(table, path)</c>). Creates the folder when missing.
    /// </summary>
    /// <exception cref="ArgumentException">A row has not one value per column, a value does not fit its column's type, or a
    /// <c>dynamic</c> value is not valid JSON text.</exception>
    public static void WriteJsonLines(SourceRows rows, string path)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var columns = rows.Table.Columns;
        using var stream = new FileStream(full, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var json = new Utf8JsonWriter(stream);
        var newline = "\n"u8.ToArray();
        var line = 0;
        foreach (var row in rows.Rows)
        {
            line++;
            if (row.Length != columns.Count)
            {
                throw new ArgumentException(
                    $"row {line} of {rows.Table.Name} has {row.Length} values for {columns.Count} columns ({rows.Table.CslSchema})", nameof(rows));
            }

            json.WriteStartObject();
            for (var i = 0; i < columns.Count; i++)
            {
                json.WritePropertyName(columns[i].Name);
                try
                {
                    WriteValue(json, columns[i].Type, row[i]);
                }
                catch (Exception e) when (e is InvalidCastException or JsonException or ArgumentException)
                {
                    throw new ArgumentException(
                        $"row {line} of {rows.Table.Name}, column {columns[i]}: cannot write {Describe(row[i])}: {e.Message}", nameof(rows), e);
                }
            }

            json.WriteEndObject();
            json.Flush();
            stream.Write(newline);
            json.Reset();
        }
    }

    private static void WriteValue(Utf8JsonWriter json, KqlType type, object? value)
    {
        if (value is null)
        {
            if (type == KqlType.String)
            {
                json.WriteStringValue("");
            }
            else
            {
                json.WriteNullValue();
            }

            return;
        }

        switch (type)
        {
            case KqlType.Dynamic:
                if (value is not string text)
                {
                    throw new InvalidCastException("a dynamic value must be its JSON text (a string)");
                }

                json.WriteRawValue(text);
                break;
            case KqlType.DateTime:
                json.WriteStringValue(Utc((DateTime)value).ToString(DateTimeFormat, CultureInfo.InvariantCulture));
                break;
            case KqlType.TimeSpan:
                json.WriteStringValue(DemoFiles.FormatTimeSpan((TimeSpan)value));
                break;
            case KqlType.Bool:
                json.WriteBooleanValue((bool)value);
                break;
            case KqlType.Int or KqlType.Long:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case KqlType.Real:
                json.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case KqlType.Decimal:
                json.WriteNumberValue(Convert.ToDecimal(value, CultureInfo.InvariantCulture));
                break;
            case KqlType.Guid:
                json.WriteStringValue(value is Guid g ? g.ToString("D") : (string)value);
                break;
            default:
                json.WriteStringValue(value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>
    /// Emits one system's rows on every node: the usual Poisson process (thinned where a spike's factor is below 1) from
    /// <paramref name="baseRng"/>, plus, where a spike's factor is above 1, a second Poisson process of the excess rate
    /// from <paramref name="extraRng"/>. The usual rows draw the same numbers whatever the spikes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Play(string source, FleetCatalog catalog, FleetEventFactory factory, DateTime from, DateTime to,
        List<(DateTime Start, DateTime End, double Factor)> segments, Random baseRng, Random extraRng, Random thinRng,
        List<object?[]> rows)
    {
        var rate = RatePerNodeHour(source);
        foreach (var node in catalog.Nodes)
        {
            var perHour = rate * node.Activity;
            for (var t = from + DemoRandom.Exponential(baseRng, perHour); t < to; t += DemoRandom.Exponential(baseRng, perHour))
            {
                var row = factory.Row(source, node, t, baseRng);
                var factor = FactorAt(segments, t);
                if (factor >= 1 || thinRng.NextDouble() < factor)
                {
                    rows.Add(row);
                }
            }

            foreach (var (start, end, factor) in segments)
            {
                if (factor <= 1)
                {
                    continue;
                }

                var excess = perHour * (factor - 1);
                for (var t = start + DemoRandom.Exponential(extraRng, excess); t < end; t += DemoRandom.Exponential(extraRng, excess))
                {
                    rows.Add(factory.Row(source, node, t, extraRng));
                }
            }
        }
    }

    /// <summary>The spans of [from, to) on which the spikes' product factor is not 1, in time order.</summary>
    private static List<(DateTime Start, DateTime End, double Factor)> Segments(DateTime from, DateTime to, List<FleetSpike> spikes)
    {
        var cuts = new SortedSet<DateTime>();
        foreach (var spike in spikes)
        {
            var (start, end) = Interval(spike);
            if (end > from && start < to)
            {
                cuts.Add(start < from ? from : start);
                cuts.Add(end > to ? to : end);
            }
        }

        var segments = new List<(DateTime, DateTime, double)>();
        var list = cuts.ToList();
        for (var i = 0; i + 1 < list.Count; i++)
        {
            var factor = 1.0;
            foreach (var spike in spikes)
            {
                var (start, end) = Interval(spike);
                if (start <= list[i] && list[i] < end)
                {
                    factor *= spike.Factor;
                }
            }

            if (factor != 1)
            {
                segments.Add((list[i], list[i + 1], factor));
            }
        }

        return segments;
    }

    private static double FactorAt(List<(DateTime Start, DateTime End, double Factor)> segments, DateTime t)
    {
        foreach (var (start, end, factor) in segments)
        {
            if (start <= t && t < end)
            {
                return factor;
            }
        }

        return 1;
    }

    /// <summary>A spike's [start, end), on whole milliseconds (the start rounded up, as every generated time is one).</summary>
    private static (DateTime Start, DateTime End) Interval(FleetSpike spike)
    {
        var start = CeilingMillisecond(Utc(spike.At));
        var duration = spike.EffectiveDuration;
        var end = DateTime.MaxValue - start <= duration ? DateTime.MaxValue : start + duration;
        return (start, CeilingMillisecond(end));
    }

    private static List<FleetSpike> Validate(IReadOnlyList<FleetSpike> spikes)
    {
        var list = new List<FleetSpike>(spikes.Count);
        for (var i = 0; i < spikes.Count; i++)
        {
            var spike = spikes[i] ?? throw new ArgumentException($"Spikes[{i}] is null", "options");
            var source = FleetSources.TryCanonical(spike.Source ?? "")
                ?? throw new ArgumentException($"Spikes[{i}]: {FleetSources.UnknownMessage(spike.Source ?? "")}", "options");
            if (!(spike.Factor is >= 0 and <= MaxFactor))
            {
                throw new ArgumentException(
                    $"Spikes[{i}] ({source}): Factor must be between 0 and {MaxFactor:0}, not {spike.Factor.ToString(CultureInfo.InvariantCulture)}", "options");
            }

            if (spike.EffectiveDuration <= TimeSpan.Zero)
            {
                throw new ArgumentException(
                    $"Spikes[{i}] ({source}): Duration must be above zero, not {spike.EffectiveDuration.ToString("c", CultureInfo.InvariantCulture)}", "options");
            }

            list.Add(spike with { Source = source });
        }

        return list;
    }

    private static int IndexOf(TableSchema table, string column)
    {
        for (var i = 0; i < table.Columns.Count; i++)
        {
            if (table.Columns[i].Name == column)
            {
                return i;
            }
        }

        throw new ArgumentException($"table {table.Name} ({table.CslSchema}) has no column '{column}'", nameof(table));
    }

    private static DateTime Utc(DateTime t) => t.Kind switch
    {
        DateTimeKind.Local => t.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(t, DateTimeKind.Utc),
        _ => t,
    };

    private static DateTime CeilingMillisecond(DateTime t)
    {
        var rest = t.Ticks % TimeSpan.TicksPerMillisecond;
        return rest == 0 || DateTime.MaxValue.Ticks - t.Ticks < TimeSpan.TicksPerMillisecond
            ? t
            : new DateTime(t.Ticks - rest + TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }

    private static string Format(DateTime t) => Utc(t).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static string Describe(object? value) => value is null ? "null" : $"a {value.GetType().Name}";

    private static Random Stream(int seed, int stream) => new(unchecked((seed * 1_000_003) + (stream * 7_919)));
}
