using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tributary.Streams.Processors;

/// <summary>A declared processor and whether an operator paused it.</summary>
public sealed record DeclaredProcessor(ProcessorDefinition Definition, bool Paused);

/// <summary>
/// The processors a data directory runs (as the last applied pipeline declared them) and which are paused, in
/// <c>DATA/streams/_processors/processors.json</c>, written so that a crash leaves the old file or the new.
/// Not thread-safe: its owner (the processor host, or one CLI command) serializes access.
/// </summary>
public sealed class ProcessorCatalog
{
    /// <summary>The directory under the log's directory that holds processors' files and state.</summary>
    public const string DirectoryName = "_processors";

    private readonly string _path;
    private readonly List<DeclaredProcessor> _processors;

    private ProcessorCatalog(string path, List<DeclaredProcessor> processors)
    {
        _path = path;
        _processors = processors;
    }

    /// <summary>The directory of processors' files in a data directory.</summary>
    public static string Root(string dataDirectory) => Path.Combine(dataDirectory, FasterEventLog.DirectoryName, DirectoryName);

    /// <summary>Reads the catalog of a data directory (empty when none was applied).</summary>
    public static ProcessorCatalog Load(string dataDirectory)
    {
        var path = Path.Combine(Root(dataDirectory), "processors.json");
        if (!File.Exists(path))
        {
            return new ProcessorCatalog(path, []);
        }

        try
        {
            var stored = JsonSerializer.Deserialize(File.ReadAllBytes(path), ProcessorJsonContext.Default.ListStoredProcessor) ?? [];
            return new ProcessorCatalog(path, stored.Select(s => new DeclaredProcessor(
                new ProcessorDefinition(s.Name, s.Kind, s.Input, s.Outputs, s.Settings), s.Paused)).ToList());
        }
        catch (JsonException e)
        {
            throw new StreamException($"{path} is damaged: {e.Message}", e);
        }
    }

    /// <summary>The processors, in declaration order.</summary>
    public IReadOnlyList<DeclaredProcessor> Processors => _processors;

    /// <summary>The processor of that name.</summary>
    /// <exception cref="StreamException">No such processor.</exception>
    public DeclaredProcessor Get(string name) =>
        _processors.FirstOrDefault(p => p.Definition.Name == name)
        ?? throw new StreamException($"no processor '{name}'{(_processors.Count == 0 ? " (no pipeline declared processors yet)" : $"; processors: {string.Join(", ", _processors.Select(p => p.Definition.Name))}")}");

    /// <summary>Adds or replaces definitions (keeping paused flags) and saves.</summary>
    public void Declare(IReadOnlyList<ProcessorDefinition> definitions)
    {
        foreach (var d in definitions)
        {
            var i = _processors.FindIndex(p => p.Definition.Name == d.Name);
            if (i >= 0)
            {
                _processors[i] = _processors[i] with { Definition = d };
            }
            else
            {
                _processors.Add(new DeclaredProcessor(d, Paused: false));
            }
        }

        Save();
    }

    /// <summary>Pauses or resumes a processor and saves; returns false when it already was so.</summary>
    public bool SetPaused(string name, bool paused)
    {
        var current = Get(name);
        if (current.Paused == paused)
        {
            return false;
        }

        _processors[_processors.IndexOf(current)] = current with { Paused = paused };
        Save();
        return true;
    }

    private void Save()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var stored = _processors.Select(p => new StoredProcessor(p.Definition.Name, p.Definition.Kind, p.Definition.Input,
            new Dictionary<string, string>(p.Definition.Outputs, StringComparer.Ordinal), new Dictionary<string, string>(p.Definition.Settings, StringComparer.Ordinal), p.Paused)).ToList();
        var temp = _path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(JsonSerializer.SerializeToUtf8Bytes(stored, ProcessorJsonContext.Default.ListStoredProcessor));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, _path, overwrite: true);
    }
}

/// <summary>The persisted form of a declared processor.</summary>
internal sealed record StoredProcessor(string Name, string Kind, string Input, Dictionary<string, string> Outputs, Dictionary<string, string> Settings, bool Paused);

[JsonSerializable(typeof(List<StoredProcessor>))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class ProcessorJsonContext : JsonSerializerContext;
