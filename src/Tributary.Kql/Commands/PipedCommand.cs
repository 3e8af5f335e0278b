namespace Tributary.Kql.Commands;

/// <summary>A command whose output is piped into query operators: <c>.show tables | where …</c>.</summary>
public sealed record PipedCommand(ControlCommand Source, string Pipeline) : ControlCommand;
