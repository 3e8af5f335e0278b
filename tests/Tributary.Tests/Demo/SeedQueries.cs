namespace Tributary.Tests.Demo;

/// <summary>
/// The KQL queries of the seed documents (000: KO jobs TSG, 001: object modeling), as written there,
/// numbered as <see cref="SeedOracle"/> numbers its answers.
/// </summary>
public static class SeedQueries
{
    public const string Q1LatestSnapshotOfVm = """
        VMSnapshot
        | where VMId == "3f576830-2d8f-481b-8448-bca561090831" | top 1 by PreciseTimeStamp desc
        """;

    public const string Q2WestusStateCounts = """
        VMSnapshot
        | where Region == "westus" and PreciseTimeStamp > ago(2h)
        | summarize arg_max(PreciseTimeStamp, *) by VMId
        | summarize count() by State
        """;

    public const string Q3BuildDistribution = """
        HostServiceSnapshot
        | summarize arg_max(PreciseTimeStamp, *) by HostId
        | summarize dcount(HostId) by Region, BuildCommitHash
        """;

    public const string Q4HostBuildChanges = """
        HostServiceSnapshot
        | where HostId == "a3d1a948-53ae-4175-8030-d7d174c427d1"
        | sort by PreciseTimeStamp asc
        | extend shouldSelect = iff(BuildCommitHash != prev(BuildCommitHash), true, false)
        | where shouldSelect | project-away shouldSelect
        """;

    public const string Q5AllHostBuildChanges = """
        HostServiceSnapshot
        | sort by HostId, PreciseTimeStamp asc
        | extend prevBuildCommitHash = prev(BuildCommitHash)
        | extend buildCommitHashChange = case(
        HostId != prev(HostId), "",
        BuildCommitHash != prevBuildCommitHash , strcat(prevBuildCommitHash, " -> ", BuildCommitHash),
        "")
        | where buildCommitHashChange != "" | project PreciseTimeStamp, HostId, buildCommitHashChange
        """;

    public const string Q6EventsWithLastKnownBuild = """
        let lookupWindow = 2h;
        let lookupBin = lookupWindow / 2.0;
        WindowsEvent
        | extend TimeKey = range(bin(PreciseTimeStamp - lookupWindow, lookupBin),
                                          bin(PreciseTimeStamp + lookupBin, lookupBin),
                                          lookupBin)
        | mvexpand TimeKey to typeof(datetime)
        | join kind= leftouter (
           HostServiceSnapshot  |
           project Object1Time = PreciseTimeStamp, HostId , BuildCommitHash,
               TimeKey = bin(PreciseTimeStamp, lookupBin)
        ) on HostId , TimeKey
        | extend timeDistance1 = case(
        BuildCommitHash == "", totimespan(365d), // No Snapshot found. Ignore these records.
        Object1Time > PreciseTimeStamp, totimespan(365d), // Snapshot is newer than event. Ignore this as well.
        PreciseTimeStamp - Object1Time) // Compute the time distance between the event and snapshot
        | where timeDistance1 != totimespan(365d) // 365d is just used as a value to filter out invalid matches
        | summarize hint.shufflekey = HostId arg_min(timeDistance1, *) by HostId, PreciseTimeStamp // Find the closest snapshot. Shufflekey is used to optimize query performance.
        | project PreciseTimeStamp, HostId, BuildCommitHash, Message
        """;

    public const string Q7StagingIngestionCounts = """
        OMRollouts_EntityModel_Staging
        | where ingestion_time() >= ago(3h)
        | extend IngestionTime = ingestion_time()
        | summarize count() by Source, bin(IngestionTime, 10min)
        """;

    /// <summary>Seed 000 ends this query with <c>| render timechart</c>; <see cref="Q8JobLatencyP95Rendered"/> keeps it.</summary>
    public const string Q8JobLatencyP95 = """
        KO_RepeatableQueryStatistic
        | where ingestion_time() >= ago(5d)
        | extend JobName = tostring(split(ActorId, ":")[0])
        | extend KustoFunctionName = tostring(split(QueryString, "(")[0])
        | summarize percentile(Duration, 95) by JobName, KustoFunctionName, bin(StartedOn, 1h)
        """;

    public const string Q8JobLatencyP95Rendered = Q8JobLatencyP95 + "\n| render timechart";

    public const string Q9FailedInstances = """
        KO_StreamingQueryStatistic
        | where ActivityId ==  'OMRollOuts_EntityModel_ChangeEventV2' and StartedOn >= ago(6h)
        | join kind=inner KO_RepeatableQueryStatistic on $left.RepeatableQueryActorId == $right.ActorId
        | where State == "Failed"
        | project QueryString
        """;
}
