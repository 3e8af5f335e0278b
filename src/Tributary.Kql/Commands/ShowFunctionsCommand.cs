namespace Tributary.Kql.Commands;

/// <summary><c>.show functions</c> or <c>.show function f</c>.</summary>
public sealed record ShowFunctionsCommand(string? Name) : ControlCommand;
