using Tributary.Query;
using Tributary.Store;

namespace Tributary.Demo;

/// <summary>One seed question the demo asks, verbatim from the seed documents.</summary>
/// <param name="Seed">Which seed it comes from ("001 pattern 1" …).</param>
/// <param name="Title">What the question asks.</param>
/// <param name="Query">The KQL, as written in the seed.</param>
public sealed record DemoQuestion(string Seed, string Title, string Query);

/// <summary>The demo's script: the tables, stored function and questions of seeds 000 and 001.</summary>
public static class DemoScript
{
    /// <summary>A stored function the seed-000 load query calls: failed job attempts per job in a time range.</summary>
    public const string UserRecentFailuresFunction =
        ".create-or-alter function with (folder='demo', docstring='Failed KO job attempts by job between two times') UserRecentFailures(_startTime:datetime, _endTime:datetime) {\n" +
        "    KO_RepeatableQueryStatistic\n" +
        "    | where StartedOn between (_startTime .. _endTime) and State == \"Failed\"\n" +
        "    | extend JobName = tostring(split(ActorId, \":\")[0])\n" +
        "    | summarize Failures = count(), LastFailure = max(StartedOn), p95Duration = percentile(Duration, 95) by JobName\n" +
        "    | order by Failures desc\n" +
        "}";

    /// <summary>The questions, in the order the demo asks them.</summary>
    public static IReadOnlyList<DemoQuestion> Questions { get; } =
    [
        new("001 pattern 1", "Latest state of one VM",
            "VMSnapshot\n| where VMId == \"3f576830-2d8f-481b-8448-bca561090831\" | top 1 by PreciseTimeStamp desc"),
        new("001 pattern 1", "Latest VM state distribution in westus",
            "VMSnapshot\n| where Region == \"westus\" and PreciseTimeStamp > ago(2h)\n| summarize arg_max(PreciseTimeStamp, *) by VMId\n| summarize count() by State"),
        new("001 pattern 1", "Build distribution across the host fleet",
            "HostServiceSnapshot\n| summarize arg_max(PreciseTimeStamp, *) by HostId\n| summarize dcount(HostId) by Region, BuildCommitHash"),
        new("001 pattern 2", "When did one host's build change?",
            "HostServiceSnapshot\n| where HostId == \"a3d1a948-53ae-4175-8030-d7d174c427d1\"\n| sort by PreciseTimeStamp asc\n| extend shouldSelect = iff(BuildCommitHash != prev(BuildCommitHash), true, false)\n| where shouldSelect | project-away shouldSelect"),
        new("001 pattern 2", "Build changes across all hosts",
            "HostServiceSnapshot\n| sort by HostId, PreciseTimeStamp asc\n| extend prevBuildCommitHash = prev(BuildCommitHash)\n| extend buildCommitHashChange = case(\nHostId != prev(HostId), \"\",\nBuildCommitHash != prevBuildCommitHash , strcat(prevBuildCommitHash, \" -> \", BuildCommitHash),\n\"\")\n| where buildCommitHashChange != \"\" | project PreciseTimeStamp, HostId, buildCommitHashChange"),
        new("001 pattern 3", "Last known build of the host at each Windows event",
            "let lookupWindow = 2h;\nlet lookupBin = lookupWindow / 2.0;\nWindowsEvent\n| extend TimeKey = range(bin(PreciseTimeStamp - lookupWindow, lookupBin),\n                                  bin(PreciseTimeStamp + lookupBin, lookupBin),\n                                  lookupBin)\n| mvexpand TimeKey to typeof(datetime)      \n| join kind= leftouter (\n   HostServiceSnapshot  |\n   project Object1Time = PreciseTimeStamp, HostId , BuildCommitHash,\n       TimeKey = bin(PreciseTimeStamp, lookupBin)\n) on HostId , TimeKey\n| extend timeDistance1 = case(\nBuildCommitHash == \"\", totimespan(365d), // No Snapshot found. Ignore these records.\nObject1Time > PreciseTimeStamp, totimespan(365d), // Snapshot is newer than event. Ignore this as well.\nPreciseTimeStamp - Object1Time) // Compute the time distance between the event and snapshot\n| where timeDistance1 != totimespan(365d) // 365d is just used as a value to filter out invalid matches\n| summarize hint.shufflekey = HostId arg_min(timeDistance1, *) by HostId, PreciseTimeStamp // Find the closest snapshot. Shufflekey is used to optimize query performance.\n| project PreciseTimeStamp, HostId, BuildCommitHash, Message"),
        new("000 step 4a", "Is data still arriving in staging? (rows by source per 10 minutes of ingestion)",
            "OMRollouts_EntityModel_Staging \n| where ingestion_time() >= ago(3h) \n| extend IngestionTime = ingestion_time() \n| summarize count() by Source, bin(IngestionTime, 10min)"),
        new("000 step 4b", "Which job instances failed, with their parameters?",
            "KO_StreamingQueryStatistic \n| where ActivityId ==  'OMRollOuts_EntityModel_ChangeEventV2' and StartedOn >= ago(6h) \n| join kind=inner KO_RepeatableQueryStatistic on $left.RepeatableQueryActorId == $right.ActorId \n| where State == \"Failed\" \n| project QueryString "),
        new("000 load", "Who is loading the cluster?",
            "let _startTime = ago(6h); \nlet _endTime = now(); \nUserRecentFailures( _startTime, _endTime)"),
        new("000 latency step 1", "p95 job duration per hour over 5 days (chart)",
            "KO_RepeatableQueryStatistic \n| where ingestion_time() >= ago(5d) \n| extend JobName = tostring(split(ActorId, \":\")[0]) \n| extend KustoFunctionName = tostring(split(QueryString, \"(\")[0]) \n| summarize percentile(Duration, 95) by JobName, KustoFunctionName, bin(StartedOn, 1h) \n| render timechart "),
    ];

    /// <summary>Creates (or re-creates) the demo tables, dropping materialized views built on them, and loads every batch with its own ingestion time.</summary>
    /// <param name="onlyTables">When given, only these demo tables are (re-)created and loaded, and the stored function is not created.</param>
    public static IReadOnlyList<IngestResult> Load(TributaryStore store, IReadOnlyList<DemoBatch> batches, SimulatedClock clock, IProgress<int>? progress = null,
        IReadOnlySet<string>? onlyTables = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(clock);
        if (onlyTables is not null)
        {
            batches = batches.Where(b => onlyTables.Contains(b.Table.Name)).ToList();
        }

        var schemas = FleetGenerator.Schemas.Where(s => onlyTables is null || onlyTables.Contains(s.Name)).ToList();
        var demoTables = schemas.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var view in store.Execute(".show materialized-views").Rows.Where(r => demoTables.Contains((string)r[1]!)))
        {
            store.Execute($".drop materialized-view {Kql.MaterializedViewPlan.Quote((string)view[0]!)}");
        }

        foreach (var schema in schemas)
        {
            store.Execute($".drop table {schema.Name} ifexists");
            store.Execute($".create table {schema.Name} ({schema.CslSchema})");
        }

        var results = new List<IngestResult>(batches.Count);
        try
        {
            for (var i = 0; i < batches.Count; i++)
            {
                var batch = batches[i];
                clock.Override = new DateTimeOffset(batch.IngestionTimeUtc, TimeSpan.Zero);
                var format = batch.Format == "jsonl" ? Store.Ingestion.IngestFormat.JsonLines : Store.Ingestion.IngestFormat.Csv;
                results.Add(store.IngestFile(batch.Table.Name, batch.Path, format, [batch.Tag]));
                progress?.Report(i + 1);
            }
        }
        finally
        {
            clock.Override = null;
        }

        if (onlyTables is null)
        {
            store.Execute(UserRecentFailuresFunction);
        }

        return results;
    }
}
