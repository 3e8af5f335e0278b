namespace Tributary.Streams.Processors;

/// <summary>
/// A stream processor as a pipeline declares it: its kind, the topic it reads (as consumer group <see cref="Group"/>),
/// where each of its outputs goes (output role → topic) and its kind's settings (as written in the file).
/// </summary>
/// <param name="Name">Unique among processors; also its consumer group.</param>
/// <param name="Kind">One of <see cref="ProcessorKinds.All"/>.</param>
/// <param name="Input">The topic it reads.</param>
/// <param name="Outputs">Output role (e.g. <c>events</c>, <c>failed</c>, <c>duplicate</c>) → topic.</param>
/// <param name="Settings">The kind's settings by name (durations, sizes, field names, a table).</param>
public sealed record ProcessorDefinition(
    string Name,
    string Kind,
    string Input,
    IReadOnlyDictionary<string, string> Outputs,
    IReadOnlyDictionary<string, string> Settings)
{
    /// <summary>The consumer group whose offsets are this processor's position in its input.</summary>
    public string Group => Name;

    /// <summary>A setting, or <paramref name="fallback"/> when the pipeline does not give it.</summary>
    public string Setting(string name, string fallback) => Settings.TryGetValue(name, out var v) ? v : fallback;

    /// <summary>True when both declare the same thing (dictionaries compared by content).</summary>
    public bool SameAs(ProcessorDefinition other) =>
        other is not null && Name == other.Name && Kind == other.Kind && Input == other.Input &&
        Same(Outputs, other.Outputs) && Same(Settings, other.Settings);

    private static bool Same(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);
}
