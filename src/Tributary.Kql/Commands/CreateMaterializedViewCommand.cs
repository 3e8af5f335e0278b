namespace Tributary.Kql.Commands;

/// <summary>
/// <c>.create [ifnotexists] materialized-view V on table T { T | … | summarize … by … }</c>: a table kept up to
/// date as extents arrive in T, by merging each new extent's aggregate into the affected groups only.
/// </summary>
/// <param name="QueryStart">Where <paramref name="Query"/> begins in the command's text.</param>
public sealed record CreateMaterializedViewCommand(string Name, string SourceTable, string Query, bool IfNotExists, KqlPosition QueryStart) : ControlCommand;
