namespace Tributary.Kql.Commands;

/// <summary><c>.show table T schema</c>, <c>cslschema</c> or <c>schema as json</c>.</summary>
public sealed record ShowTableSchemaCommand(string Table, bool AsJson) : ControlCommand;
