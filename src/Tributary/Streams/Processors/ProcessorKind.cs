using Tributary.Store;

namespace Tributary.Streams.Processors;

/// <summary>What a processor of a kind is given when it is built: its definition, counters, the store, and its own directory for state.</summary>
public sealed record ProcessorServices(ProcessorDefinition Definition, ProcessorMetrics Metrics, TributaryStore Store, string StateDirectory, TimeProvider Time);

/// <summary>
/// A kind of processor: its output roles (required ones first), the settings it takes, and how to build one. Either
/// <see cref="CreateProcessor"/> (it writes to topics) or <see cref="CreateSink"/> (it ends the stream) is set.
/// </summary>
/// <param name="AnyOutputRole">True when any role name is allowed (a router names its roles after field values).</param>
/// <param name="Check">Checks the settings at apply (e.g. loads schemas); throws <see cref="ArgumentException"/> with the problem.</param>
public sealed record ProcessorKind(
    string Name,
    string Description,
    IReadOnlyList<string> RequiredOutputs,
    IReadOnlyList<string> OptionalOutputs,
    IReadOnlyList<string> Settings,
    bool AnyOutputRole,
    Func<ProcessorServices, StreamProcessor>? CreateProcessor,
    Func<ProcessorServices, StreamSink>? CreateSink,
    Action<ProcessorDefinition>? Check = null)
{
    /// <summary>Settings given as a mapping (<c>columns: {A: a}</c>), stored as <c>columns.A</c>.</summary>
    public bool IsMappingSetting(string name) => Settings.Contains(name + ".*", StringComparer.Ordinal);
}
