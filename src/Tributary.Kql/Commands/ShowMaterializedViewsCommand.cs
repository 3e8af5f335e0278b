namespace Tributary.Kql.Commands;

/// <summary><c>.show materialized-views</c>.</summary>
public sealed record ShowMaterializedViewsCommand : ControlCommand;
