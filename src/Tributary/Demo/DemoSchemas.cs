using Tributary.Kql;

namespace Tributary.Demo;

/// <summary>The tables of the demo fleet: the names and columns the seed queries use verbatim.</summary>
internal static class DemoSchemas
{
    public static readonly TableSchema VmSnapshot = new("VMSnapshot",
    [
        new("VMId", KqlType.String),
        new("HostId", KqlType.String),
        new("OsImage", KqlType.String),
        new("State", KqlType.String),
        new("Region", KqlType.String),
        new("PreciseTimeStamp", KqlType.DateTime),
    ]);

    public static readonly TableSchema HostServiceSnapshot = new("HostServiceSnapshot",
    [
        new("HostId", KqlType.String),
        new("Region", KqlType.String),
        new("BuildCommitHash", KqlType.String),
        new("PreciseTimeStamp", KqlType.DateTime),
    ]);

    public static readonly TableSchema WindowsEvent = new("WindowsEvent",
    [
        new("PreciseTimeStamp", KqlType.DateTime),
        new("HostId", KqlType.String),
        new("EventId", KqlType.Int),
        new("Level", KqlType.String),
        new("Message", KqlType.String),
    ]);

    public static readonly TableSchema Staging = new("OMRollouts_EntityModel_Staging",
    [
        new("PreciseTimeStamp", KqlType.DateTime),
        new("Source", KqlType.String),
        new("NodeId", KqlType.String),
        new("ChangeType", KqlType.String),
        new("Properties", KqlType.Dynamic),
    ]);

    public static readonly TableSchema RepeatableQueryStatistic = new("KO_RepeatableQueryStatistic",
    [
        new("ActorId", KqlType.String),
        new("QueryString", KqlType.String),
        new("StartedOn", KqlType.DateTime),
        new("Duration", KqlType.TimeSpan),
        new("State", KqlType.String),
        new("RowCount", KqlType.Long),
    ]);

    public static readonly TableSchema StreamingQueryStatistic = new("KO_StreamingQueryStatistic",
    [
        new("ActivityId", KqlType.String),
        new("RepeatableQueryActorId", KqlType.String),
        new("StartedOn", KqlType.DateTime),
        new("Region", KqlType.String),
    ]);

    public static readonly IReadOnlyList<TableSchema> All =
        [VmSnapshot, HostServiceSnapshot, WindowsEvent, Staging, RepeatableQueryStatistic, StreamingQueryStatistic];
}
