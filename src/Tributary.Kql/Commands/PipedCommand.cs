namespace Tributary.Kql.Commands;

/// <summary>A command whose output is piped into query operators: <c>.show tables | where …</c>.</summary>
/// <param name="Pipeline">The text from the first '|' on: a query to translate with the command's output as its piped input.</param>
/// <param name="PipelineStart">Where <paramref name="Pipeline"/> begins in the command's text.</param>
public sealed record PipedCommand(ControlCommand Source, string Pipeline, KqlPosition PipelineStart) : ControlCommand;
