using System.Globalization;
using Tributary.Kql;

namespace Tributary.Demo;

/// <summary>
/// Plays the systems of the seed documents — a VM fleet, its hosts' service builds and Windows events,
/// a rollout change feed and the Kusto Orchestrator jobs that ingest it — and writes what they emit as
/// files for the demo to ingest. Deterministic: equal <see cref="DemoOptions"/> give identical files.
/// </summary>
/// <remarks>
/// <para>
/// The tables (<see cref="Schemas"/>) and what each holds, with defaults (2000 VMs, 200 hosts), all
/// ending at the anchor time <c>now</c>:
/// </para>
/// <list type="bullet">
/// <item><c>VMSnapshot</c>: hourly snapshots of every VM over 6 hours, plus one on every state or host change.</item>
/// <item><c>HostServiceSnapshot</c>: hourly snapshots of every host's build over 2 days plus one on every build change;
/// three rollouts sweep the regions in waves, the last still in progress; some hosts have a silent gap of 4–7 hours.</item>
/// <item><c>WindowsEvent</c>: events on every host over 2 days, host-agent crashes while a host runs the bad (second)
/// build, and events from a few hosts that never emit a snapshot.</item>
/// <item><c>OMRollouts_EntityModel_Staging</c>: one JSON-lines batch per 10-minute slot over 3.5 hours, ingested 1–2
/// minutes after its slot; source "OMRollout:SOC" nearly stops for the last 4 slots.</item>
/// <item><c>KO_RepeatableQueryStatistic</c>: six jobs, one run per 10-minute window over 5 days (failures retried up to
/// twice), hourly batches; "OMRollOuts_EntityModel" fails often in the last 6 hours and the durations of
/// "MapOMRollouts_ChangeEventV2" rise sharply over the last day.</item>
/// <item><c>KO_StreamingQueryStatistic</c>: the activity of every actor of the last 8 hours, hourly batches.</item>
/// </list>
/// <para>
/// Timestamps are whole milliseconds and strictly increasing per object (VM, host), so <c>arg_max</c>,
/// <c>top</c> and as-of joins have no ties. Files go straight into the directory, named after their table
/// (and slot); files of an earlier generation with other names are left alone.
/// </para>
/// </remarks>
public static class FleetGenerator
{
    /// <summary>The VM of seed 001, on <see cref="SpecialHostId"/> in westus, started, image RServer-WS2016.</summary>
    public const string SpecialVmId = "3f576830-2d8f-481b-8448-bca561090831";

    /// <summary>The host of seed 001, in westus, taking every rollout (three build changes).</summary>
    public const string SpecialHostId = "a3d1a948-53ae-4175-8030-d7d174c427d1";

    /// <summary>The six demo tables, in the order <see cref="Generate"/> writes them.</summary>
    public static IReadOnlyList<TableSchema> Schemas => DemoSchemas.All;

    /// <summary>
    /// Generates the fleet and writes its files into <paramref name="directory"/> (created if missing).
    /// Returns one batch per file, ordered by ingestion time, then table, then path.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one VM or host.</exception>
    public static IReadOnlyList<DemoBatch> Generate(DemoOptions options, string directory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Vms, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Hosts, 1, nameof(options));

        var now = Anchor(options.NowUtc);
        var root = Path.GetFullPath(directory);
        Directory.CreateDirectory(root);

        // Implementation note: every table draws from its own stream, so a change to one generator does
        // not reshuffle the others' data. The generators' loops run once over ~10^5 rows, so they are
        // marked AggressiveOptimization: tiered JIT would run most of them as unoptimized tier-0 code.
        var fleet = Fleet.Create(now, options.Hosts, Stream(options.Seed, 1));
        var batches = new List<DemoBatch>
        {
            Write(root, DemoSchemas.VmSnapshot, "csv", null, now, VmSnapshots.Generate(fleet, now, options.Vms, Stream(options.Seed, 2))),
            Write(root, DemoSchemas.HostServiceSnapshot, "csv", null, now, HostServiceSnapshots.Generate(fleet, now, Stream(options.Seed, 3))),
            Write(root, DemoSchemas.WindowsEvent, "csv", null, now, WindowsEvents.Generate(fleet, now, Stream(options.Seed, 4))),
        };

        foreach (var batch in StagingChanges.Generate(fleet, now, Stream(options.Seed, 5)))
        {
            batches.Add(Write(root, DemoSchemas.Staging, "jsonl", batch.SlotStart, batch.IngestionTime, batch.Rows));
        }

        var (repeatable, streaming) = JobStatistics.Generate(now, Stream(options.Seed, 6));
        foreach (var batch in repeatable)
        {
            batches.Add(Write(root, DemoSchemas.RepeatableQueryStatistic, "csv", batch.SlotStart, batch.IngestionTime, batch.Rows));
        }

        foreach (var batch in streaming)
        {
            batches.Add(Write(root, DemoSchemas.StreamingQueryStatistic, "csv", batch.SlotStart, batch.IngestionTime, batch.Rows));
        }

        return batches
            .OrderBy(b => b.IngestionTimeUtc)
            .ThenBy(b => DemoSchemas.All.TakeWhile(t => t != b.Table).Count())
            .ThenBy(b => b.Path, StringComparer.Ordinal)
            .ToList();
    }

    private static DemoBatch Write(string root, TableSchema table, string format, DateTime? slot, DateTime ingested, List<object?[]> rows)
    {
        var suffix = slot is { } s ? "-" + s.ToString("yyyyMMdd'T'HHmm", CultureInfo.InvariantCulture) : "";
        var name = table.Name + suffix;
        var path = Path.Combine(root, $"{name}.{format}");
        if (format == "jsonl")
        {
            DemoFiles.WriteJsonLines(path, table, rows);
        }
        else
        {
            DemoFiles.WriteCsv(path, table, rows);
        }

        return new DemoBatch(table, path, format, ingested, "demo-" + name);
    }

    private static DateTime Anchor(DateTime now)
    {
        var utc = now.Kind == DateTimeKind.Local ? now.ToUniversalTime() : DateTime.SpecifyKind(now, DateTimeKind.Utc);
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
    }

    private static Random Stream(int seed, int table) => new(unchecked((seed * 1_000_003) + (table * 7_919)));
}
