using System.Diagnostics.CodeAnalysis;
using System.Text;
using Tributary.Streams.Validation.Internal;

namespace Tributary.Streams.Validation;

/// <summary>
/// A directory of JSON Schema (draft-04) files, each compiled once into a <see cref="CompiledSchema"/> named by
/// its file name ("interact.json"). A <c>$ref</c> is resolved by file name among the set's files, whatever
/// comes before the name (<c>resource:/schemas/telemetry/3.0/common.json</c> is <c>common.json</c>), with an
/// optional <c>#/json/pointer</c> fragment; <c>id</c> takes no part in resolution.
/// </summary>
/// <remarks>
/// <para>Supported keywords: type, enum, required, properties, patternProperties, additionalProperties,
/// items, additionalItems, minItems, maxItems, uniqueItems, minLength, maxLength, pattern, minimum,
/// maximum, exclusiveMinimum, exclusiveMaximum (booleans), multipleOf, minProperties, maxProperties,
/// dependencies, allOf, anyOf, oneOf, not, $ref and definitions. Ignored annotations: id, $schema, title,
/// description, default and format (formats are not checked). Anything else makes loading fail with a
/// <see cref="SchemaException"/> naming the file, the schema object's JSON pointer and the keyword, so that
/// no constraint is silently skipped.</para>
/// <para>Loading is all or nothing. After loading the set is immutable: any number of threads may look up
/// and validate at once.</para>
/// </remarks>
public sealed class JsonSchemaSet
{
    private readonly Dictionary<string, CompiledSchema> _schemas;
    private readonly Dictionary<string, CompiledSchema>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    private JsonSchemaSet(Dictionary<string, CompiledSchema> schemas)
    {
        _schemas = schemas;
        _bySpan = schemas.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The file names of the schemas, in ordinal order.</summary>
    public IReadOnlyList<string> Names => [.. _schemas.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Loads every <c>*.json</c> file directly in <paramref name="directory"/> (not in subdirectories).</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="SchemaException">A file is not valid JSON or not a schema we can enforce; the message says which, where and why.</exception>
    public static JsonSchemaSet Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"schema directory '{directory}' does not exist");
        }

        var sources = Directory.GetFiles(directory, "*.json", SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal)
            .Select(path => new SchemaSource(Path.GetFileName(path), path, File.ReadAllBytes(path)))
            .ToList();
        return Compile(sources);
    }

    /// <summary>Compiles schemas given as text, keyed by the file name that lookups and <c>$ref</c>s use ("common.json").</summary>
    /// <exception cref="SchemaException">A text is not valid JSON or not a schema we can enforce.</exception>
    public static JsonSchemaSet FromJson(IReadOnlyDictionary<string, string> schemasByName)
    {
        ArgumentNullException.ThrowIfNull(schemasByName);
        return Compile([.. schemasByName.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new SchemaSource(p.Key, p.Key, Encoding.UTF8.GetBytes(p.Value)))]);
    }

    /// <summary>The schema of file name <paramref name="name"/> ("interact.json"; exact, case-sensitive).</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out CompiledSchema? schema)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _schemas.TryGetValue(name, out schema);
    }

    /// <summary>The schema of file name <paramref name="name"/>, looked up without a string.</summary>
    internal bool TryGet(ReadOnlySpan<char> name, [NotNullWhen(true)] out CompiledSchema? schema) => _bySpan.TryGetValue(name, out schema);

    /// <summary>The schema of file name <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The set has no such file.</exception>
    public CompiledSchema Get(string name) =>
        TryGet(name, out var schema) ? schema : throw new KeyNotFoundException($"no schema '{name}' in the set (it has {string.Join(", ", Names)})");

    private static JsonSchemaSet Compile(IReadOnlyList<SchemaSource> sources)
    {
        var roots = SchemaCompiler.CompileAll(sources);
        return new JsonSchemaSet(roots.ToDictionary(p => p.Key, p => new CompiledSchema(p.Key, p.Value), StringComparer.Ordinal));
    }
}
