namespace Tributary.Kql.Commands;

/// <summary>A parsed control command (text starting with '.'). Commands change or describe the store; queries never do.</summary>
public abstract record ControlCommand;
