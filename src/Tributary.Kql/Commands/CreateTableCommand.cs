namespace Tributary.Kql.Commands;

/// <summary><c>.create table T (a:string, …)</c> or <c>.create-merge table</c> (adds missing columns, keeps existing ones).</summary>
public sealed record CreateTableCommand(string Table, IReadOnlyList<KqlColumn> Columns, bool Merge) : ControlCommand;
