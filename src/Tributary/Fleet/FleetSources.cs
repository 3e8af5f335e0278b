using Tributary.Kql;

namespace Tributary.Fleet;

/// <summary>
/// The seven source systems whose node-level changes seed 000 ingests through Kusto Orchestrator jobs,
/// and the three source tables that hold their rows.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="ChangeEventsTable"/> (<c>EntityModelChangeEvents</c>, read by <c>fEntityChangeEvents()</c>):
/// rows of <see cref="OMRollout"/>, <see cref="OMRolloutSoc"/>, <see cref="BatchingEvents"/> and <see cref="OAASRollout"/>,
/// told apart by their <c>Source</c> column.</item>
/// <item><see cref="ScheduledEventsTable"/> (<c>EntityModelScheduledEvents</c>, read by <c>fEntityScheduledEvents()</c>):
/// rows of <see cref="ScheduledEventsTMMgmt"/> and <see cref="ScheduledEventsAzPE"/>.</item>
/// <item><see cref="ServiceVersionSwitchTable"/> (<c>ServiceVersionSwitch</c>, AzDeployer's table): every row belongs to
/// the system <see cref="ServiceVersionSwitch"/>; it has no <c>Source</c> column.</item>
/// </list>
/// </remarks>
public static class FleetSources
{
    /// <summary>OM rollouts, from EntityModel's change events.</summary>
    public const string OMRollout = "OMRollout";

    /// <summary>OM rollouts of the SOC (isolated) fleet, from EntityModel's change events.</summary>
    public const string OMRolloutSoc = "OMRollout:SOC";

    /// <summary>Batching events, from EntityModel's change events.</summary>
    public const string BatchingEvents = "BatchingEvents";

    /// <summary>OaaS rollouts, from EntityModel's change events.</summary>
    public const string OAASRollout = "OAASRollout";

    /// <summary>Service version switches, straight from AzDeployer's <c>ServiceVersionSwitch</c> table.</summary>
    public const string ServiceVersionSwitch = "ServiceVersionSwitch";

    /// <summary>Scheduled events of Tenant Manager management, from EntityModel's scheduled events.</summary>
    public const string ScheduledEventsTMMgmt = "ScheduledEvents_TMMgmt";

    /// <summary>Scheduled events of Azure platform events, from EntityModel's scheduled events.</summary>
    public const string ScheduledEventsAzPE = "ScheduledEvents_AzPE";

    /// <summary>The seven systems, in seed 000's order.</summary>
    public static IReadOnlyList<string> All { get; } =
        [OMRollout, OMRolloutSoc, BatchingEvents, OAASRollout, ServiceVersionSwitch, ScheduledEventsTMMgmt, ScheduledEventsAzPE];

    /// <summary><c>EntityModelChangeEvents (Timestamp:datetime, Source:string, NodeId:string, ChangeType:string, Properties:dynamic)</c>.</summary>
    public static TableSchema ChangeEventsTable { get; } = new("EntityModelChangeEvents",
    [
        new("Timestamp", KqlType.DateTime),
        new("Source", KqlType.String),
        new("NodeId", KqlType.String),
        new("ChangeType", KqlType.String),
        new("Properties", KqlType.Dynamic),
    ]);

    /// <summary><c>EntityModelScheduledEvents (Timestamp:datetime, Source:string, NodeId:string, EventType:string, Properties:dynamic)</c>.</summary>
    public static TableSchema ScheduledEventsTable { get; } = new("EntityModelScheduledEvents",
    [
        new("Timestamp", KqlType.DateTime),
        new("Source", KqlType.String),
        new("NodeId", KqlType.String),
        new("EventType", KqlType.String),
        new("Properties", KqlType.Dynamic),
    ]);

    /// <summary><c>ServiceVersionSwitch (Timestamp:datetime, NodeId:string, ServiceName:string, FromVersion:string, ToVersion:string)</c>.</summary>
    public static TableSchema ServiceVersionSwitchTable { get; } = new("ServiceVersionSwitch",
    [
        new("Timestamp", KqlType.DateTime),
        new("NodeId", KqlType.String),
        new("ServiceName", KqlType.String),
        new("FromVersion", KqlType.String),
        new("ToVersion", KqlType.String),
    ]);

    /// <summary>The three source tables, in the order <see cref="FleetChangeGenerator.Generate"/> returns them.</summary>
    public static IReadOnlyList<TableSchema> Tables { get; } = [ChangeEventsTable, ScheduledEventsTable, ServiceVersionSwitchTable];

    /// <summary>The source table that holds the rows of <paramref name="source"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="source"/> is not one of <see cref="All"/>.</exception>
    public static TableSchema TableOf(string source) => Canonical(source) switch
    {
        ServiceVersionSwitch => ServiceVersionSwitchTable,
        ScheduledEventsTMMgmt or ScheduledEventsAzPE => ScheduledEventsTable,
        _ => ChangeEventsTable,
    };

    /// <summary>
    /// The system's name as <see cref="All"/> spells it, for a name that matches one ignoring case.
    /// </summary>
    /// <exception cref="ArgumentException">No system has that name; the message lists the known ones.</exception>
    public static string Canonical(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return TryCanonical(source) ?? throw new ArgumentException(UnknownMessage(source), nameof(source));
    }

    /// <summary>The system's name as <see cref="All"/> spells it, or null when none matches ignoring case.</summary>
    internal static string? TryCanonical(string source)
    {
        foreach (var known in All)
        {
            if (string.Equals(known, source, StringComparison.Ordinal))
            {
                return known;
            }
        }

        foreach (var known in All)
        {
            if (string.Equals(known, source, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return null;
    }

    /// <summary>"unknown source system 'X'; known systems: A, B, …".</summary>
    internal static string UnknownMessage(string source) =>
        $"unknown source system '{source}'; known systems: {string.Join(", ", All)}";
}
