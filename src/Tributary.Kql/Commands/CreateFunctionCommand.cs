namespace Tributary.Kql.Commands;

/// <summary><c>.create function</c> or <c>.create-or-alter function [with (folder=…, docstring=…)] f(a:type) { body }</c>.</summary>
/// <param name="BodyStart">Where the function's body begins in the command's text.</param>
public sealed record CreateFunctionCommand(FunctionDefinition Function, bool OrAlter, string Folder, string DocString, KqlPosition BodyStart) : ControlCommand;
