namespace Tributary.Kql.Commands;

/// <summary><c>.drop function f [ifexists]</c>.</summary>
public sealed record DropFunctionCommand(string Name, bool IfExists) : ControlCommand;
