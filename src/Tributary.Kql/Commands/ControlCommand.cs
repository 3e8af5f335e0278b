namespace Tributary.Kql.Commands;

/// <summary>A parsed control command (text starting with '.'). Commands change or describe the store; queries never do.</summary>
public abstract record ControlCommand;

/// <summary><c>.create table T (a:string, …)</c> or <c>.create-merge table</c> (adds missing columns, keeps existing ones).</summary>
public sealed record CreateTableCommand(string Table, IReadOnlyList<KqlColumn> Columns, bool Merge) : ControlCommand;

/// <summary><c>.drop table T [ifexists]</c>.</summary>
public sealed record DropTableCommand(string Table, bool IfExists) : ControlCommand;

/// <summary><c>.show tables</c>.</summary>
public sealed record ShowTablesCommand : ControlCommand;

/// <summary><c>.show table T schema</c>, <c>cslschema</c> or <c>schema as json</c>.</summary>
public sealed record ShowTableSchemaCommand(string Table, bool AsJson) : ControlCommand;

/// <summary><c>.show table T extents</c>, or <c>.show extents</c> for every table.</summary>
public sealed record ShowExtentsCommand(string? Table) : ControlCommand;

/// <summary><c>.drop extents (id, …) from T</c>, <c>.drop extents from T</c> (all), or <c>.drop extents &lt;| .show table T extents | where …</c>.</summary>
public sealed record DropExtentsCommand(string? Table, IReadOnlyList<Guid>? ExtentIds, ControlCommand? Source) : ControlCommand;

/// <summary><c>.ingest inline into table T [with (tags='["a"]')] &lt;| csv lines</c> (no header; columns by position).</summary>
public sealed record IngestInlineCommand(string Table, IReadOnlyList<string> Tags, string Data) : ControlCommand;

/// <summary><c>.set</c>, <c>.append</c>, <c>.set-or-append</c> or <c>.set-or-replace</c> <c>T [with (tags=…)] &lt;| query</c>.</summary>
public sealed record SetOrAppendCommand(string Table, string Mode, IReadOnlyList<string> Tags, string Query) : ControlCommand;

/// <summary>
/// <c>.replace extents in table T tagged 'tag' [with (tags=…)] &lt;| query</c>: in one transaction, drops every
/// extent of T that carries <c>tag</c> and appends the query's result as one new extent tagged <c>tag</c>
/// (plus any extra tags). Running it again with the same tag leaves each row exactly once.
/// </summary>
public sealed record ReplaceExtentsCommand(string Table, string Tag, IReadOnlyList<string> Tags, string Query) : ControlCommand;

/// <summary><c>.create function</c> or <c>.create-or-alter function [with (folder=…, docstring=…)] f(a:type) { body }</c>.</summary>
public sealed record CreateFunctionCommand(FunctionDefinition Function, bool OrAlter, string Folder, string DocString) : ControlCommand;

/// <summary><c>.drop function f [ifexists]</c>.</summary>
public sealed record DropFunctionCommand(string Name, bool IfExists) : ControlCommand;

/// <summary><c>.show functions</c> or <c>.show function f</c>.</summary>
public sealed record ShowFunctionsCommand(string? Name) : ControlCommand;

/// <summary><c>.alter[-merge] table T policy retention softdelete = 30d</c>; a null period is <c>.delete table T policy retention</c>.</summary>
public sealed record AlterRetentionCommand(string Table, TimeSpan? SoftDelete) : ControlCommand;

/// <summary><c>.show table T policy retention</c>.</summary>
public sealed record ShowRetentionCommand(string Table) : ControlCommand;

/// <summary>A command whose output is piped into query operators: <c>.show tables | where …</c>.</summary>
public sealed record PipedCommand(ControlCommand Source, string Pipeline) : ControlCommand;

/// <summary>
/// <c>.create [ifnotexists] materialized-view V on table T { T | … | summarize … by … }</c>: a table kept up to
/// date as extents arrive in T, by merging each new extent's aggregate into the affected groups only.
/// </summary>
public sealed record CreateMaterializedViewCommand(string Name, string SourceTable, string Query, bool IfNotExists) : ControlCommand;

/// <summary><c>.drop materialized-view V [ifexists]</c>.</summary>
public sealed record DropMaterializedViewCommand(string Name, bool IfExists) : ControlCommand;

/// <summary><c>.show materialized-views</c>.</summary>
public sealed record ShowMaterializedViewsCommand : ControlCommand;
