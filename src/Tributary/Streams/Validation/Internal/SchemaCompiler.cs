using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tributary.Streams.Validation.Keywords;

namespace Tributary.Streams.Validation.Internal;

/// <summary>
/// Turns a set of draft-04 schema files into trees of <see cref="SchemaNode"/>s, each schema object compiled
/// once (a <c>$ref</c> becomes the node it points at, so recursion works and shared parts are shared).
/// Rejects what it would not enforce: a keyword that is neither a draft-04 validation keyword nor a known
/// annotation, a malformed keyword value, a <c>$ref</c> that resolves to nothing or only to itself, and
/// applicators that loop on the same value.
/// </summary>
internal sealed class SchemaCompiler
{
    /// <summary>Keywords that describe and never constrain. "format" is among them: we do not check formats.</summary>
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal) { "id", "$schema", "title", "description", "default", "format" };

    /// <summary>Keywords of later drafts that a draft-04 validator would silently ignore.</summary>
    private static readonly HashSet<string> LaterDrafts = new(StringComparer.Ordinal)
    {
        "const", "contains", "propertyNames", "if", "then", "else", "examples", "$id", "$defs", "$comment",
        "contentMediaType", "contentEncoding", "dependentRequired", "dependentSchemas", "unevaluatedProperties",
        "unevaluatedItems", "prefixItems", "minContains", "maxContains", "$anchor", "$dynamicRef", "$recursiveRef",
    };

    private readonly Dictionary<string, (SchemaSource Source, JsonDocument Document)> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<(string File, string Pointer), SchemaNode> _compiled = [];
    private readonly HashSet<(string File, string Pointer)> _resolving = [];

    private SchemaCompiler()
    {
    }

    /// <summary>Compiles every file; answers the root node of each by file name.</summary>
    public static Dictionary<string, SchemaNode> CompileAll(IReadOnlyList<SchemaSource> sources)
    {
        var compiler = new SchemaCompiler();
        try
        {
            foreach (var source in sources)
            {
                if (compiler._files.ContainsKey(source.Name))
                {
                    throw new SchemaException(source.DisplayPath, "", null, $"a second schema named '{source.Name}'");
                }

                JsonDocument document;
                try
                {
                    document = JsonDocument.Parse(source.Utf8, new JsonDocumentOptions { MaxDepth = 256 });
                }
                catch (JsonException e)
                {
                    throw new SchemaException(source.DisplayPath, "", null, $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
                }

                compiler._files.Add(source.Name, (source, document));
            }

            var roots = new Dictionary<string, SchemaNode>(StringComparer.Ordinal);
            foreach (var source in sources)
            {
                roots.Add(source.Name, compiler.Compile(source.Name, compiler._files[source.Name].Document.RootElement, ""));
            }

            compiler.CheckNoSameValueCycle();
            KeywordOptimizer.Optimize(compiler._compiled.Values.Distinct());
            return roots;
        }
        finally
        {
            foreach (var (_, document) in compiler._files.Values)
            {
                document.Dispose();
            }
        }
    }

    private SchemaException Error(string file, string pointer, string? keyword, string reason) =>
        new(_files[file].Source.DisplayPath, pointer, keyword, reason);

    private SchemaNode Compile(string file, JsonElement schema, string pointer)
    {
        var key = (file, pointer);
        if (_compiled.TryGetValue(key, out var done))
        {
            return done;
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw Error(file, pointer, null, $"a schema must be a JSON object, not {Kind(schema)} (draft-04 has no boolean schemas)");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in schema.EnumerateObject())
        {
            if (!seen.Add(member.Name))
            {
                throw Error(file, pointer, member.Name, "appears twice in the same schema object");
            }
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            return CompileReference(file, pointer, schema, reference);
        }

        var node = new SchemaNode(_files[file].Source.DisplayPath, pointer);
        _compiled.Add(key, node);
        var keywords = new List<Keyword>();
        var objectDone = false;
        var arrayDone = false;
        foreach (var member in schema.EnumerateObject())
        {
            var name = member.Name;
            var value = member.Value;
            var at = JsonPointer.Append(pointer, name);
            switch (name)
            {
                case var _ when Annotations.Contains(name):
                    break;
                case "definitions":
                    CompileDefinitions(file, pointer, value);
                    break;
                case "type":
                    keywords.Add(CompileType(file, pointer, value));
                    break;
                case "enum":
                    if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
                    {
                        throw Error(file, pointer, name, "must be a non-empty array");
                    }

                    keywords.Add(new EnumKeyword([.. value.EnumerateArray().Select(v => v.Clone())], Shorten(value.GetRawText())));
                    break;
                case "required":
                    var required = Names(file, pointer, name, value);
                    if (required.Length > 0)
                    {
                        keywords.Add(new RequiredKeyword(required));
                    }

                    break;
                case "properties" or "patternProperties" or "additionalProperties":
                    if (!objectDone)
                    {
                        objectDone = true;
                        if (CompileProperties(file, pointer, schema) is { } properties)
                        {
                            keywords.Add(properties);
                        }
                    }

                    break;
                case "items" or "additionalItems":
                    if (!arrayDone)
                    {
                        arrayDone = true;
                        if (CompileItems(file, pointer, schema) is { } items)
                        {
                            keywords.Add(items);
                        }
                    }

                    break;
                case "minLength":
                    keywords.Add(new SizeKeyword(SizeOf.StringLength, Count(file, pointer, name, value), isMaximum: false));
                    break;
                case "maxLength":
                    keywords.Add(new SizeKeyword(SizeOf.StringLength, Count(file, pointer, name, value), isMaximum: true));
                    break;
                case "minItems":
                    keywords.Add(new SizeKeyword(SizeOf.Items, Count(file, pointer, name, value), isMaximum: false));
                    break;
                case "maxItems":
                    keywords.Add(new SizeKeyword(SizeOf.Items, Count(file, pointer, name, value), isMaximum: true));
                    break;
                case "minProperties":
                    keywords.Add(new SizeKeyword(SizeOf.Properties, Count(file, pointer, name, value), isMaximum: false));
                    break;
                case "maxProperties":
                    keywords.Add(new SizeKeyword(SizeOf.Properties, Count(file, pointer, name, value), isMaximum: true));
                    break;
                case "uniqueItems":
                    if (Boolean(file, pointer, name, value))
                    {
                        keywords.Add(new UniqueItemsKeyword());
                    }

                    break;
                case "pattern":
                    var source = value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Error(file, pointer, name, "must be a string");
                    keywords.Add(new PatternKeyword(CompilePattern(file, pointer, name, source), source));
                    break;
                case "minimum" or "maximum":
                    if (value.ValueKind != JsonValueKind.Number)
                    {
                        throw Error(file, pointer, name, "must be a number");
                    }

                    var isMaximum = name == "maximum";
                    var exclusive = schema.TryGetProperty(isMaximum ? "exclusiveMaximum" : "exclusiveMinimum", out var flag)
                        && Boolean(file, pointer, isMaximum ? "exclusiveMaximum" : "exclusiveMinimum", flag);
                    keywords.Add(new NumberBoundKeyword(value.Clone(), isMaximum, exclusive));
                    break;
                case "exclusiveMinimum" or "exclusiveMaximum":
                    Boolean(file, pointer, name, value);
                    if (!schema.TryGetProperty(name == "exclusiveMinimum" ? "minimum" : "maximum", out _))
                    {
                        throw Error(file, pointer, name, $"needs {(name == "exclusiveMinimum" ? "minimum" : "maximum")} beside it (in draft-04 it is a boolean modifier, not a bound)");
                    }

                    break;
                case "multipleOf":
                    if (value.ValueKind != JsonValueKind.Number || value.GetDouble() <= 0)
                    {
                        throw Error(file, pointer, name, "must be a number greater than 0");
                    }

                    keywords.Add(new MultipleOfKeyword(value.Clone()));
                    break;
                case "allOf":
                    keywords.Add(new AllOfKeyword(SchemaList(file, pointer, name, value)));
                    break;
                case "anyOf":
                    keywords.Add(new AnyOfKeyword(SchemaList(file, pointer, name, value)));
                    break;
                case "oneOf":
                    keywords.Add(new OneOfKeyword(SchemaList(file, pointer, name, value)));
                    break;
                case "not":
                    keywords.Add(new NotKeyword(Compile(file, value, at)));
                    break;
                case "dependencies":
                    keywords.Add(CompileDependencies(file, pointer, value));
                    break;
                case var _ when LaterDrafts.Contains(name):
                    throw Error(file, pointer, name, "is not a draft-04 keyword (a draft-04 validator would ignore it, so nothing would be checked)");
                default:
                    throw Error(file, pointer, name, "unknown keyword: not a draft-04 validation keyword, nor an annotation we ignore (title, description, id, $schema, default, format)");
            }
        }

        node.SetKeywords([.. keywords]);
        return node;
    }

    /// <summary>definitions holds schemas for $refs and constrains nothing itself; each is compiled so that its errors surface even when unused.</summary>
    private void CompileDefinitions(string file, string pointer, JsonElement value)
    {
        var at = JsonPointer.Append(pointer, "definitions");
        foreach (var definition in Members(file, pointer, "definitions", value))
        {
            Compile(file, definition.Value, JsonPointer.Append(at, definition.Name));
        }
    }

    private SchemaNode CompileReference(string file, string pointer, JsonElement schema, JsonElement reference)
    {
        foreach (var member in schema.EnumerateObject())
        {
            if (member.Name == "definitions")
            {
                CompileDefinitions(file, pointer, member.Value);
            }
            else if (member.Name != "$ref" && !Annotations.Contains(member.Name))
            {
                throw Error(file, pointer, member.Name, "is beside $ref, which in draft-04 makes it ignored; move it into an allOf");
            }
        }

        if (reference.ValueKind != JsonValueKind.String)
        {
            throw Error(file, pointer, "$ref", "must be a string");
        }

        var key = (file, pointer);
        if (!_resolving.Add(key))
        {
            throw Error(file, pointer, "$ref", $"'{reference.GetString()}' refers back to itself through $refs alone");
        }

        var (targetFile, targetPointer, target) = Resolve(file, pointer, reference.GetString()!);
        var node = Compile(targetFile, target, targetPointer);
        _resolving.Remove(key);
        _compiled[key] = node;
        return node;
    }

    /// <summary>
    /// Finds what a $ref names. The part before '#' names a file of the set by its file name: everything up to
    /// the last '/' is ignored, so <c>resource:/schemas/telemetry/3.0/common.json</c> is <c>common.json</c> and
    /// an empty part is the current file. The fragment is a JSON pointer inside that file.
    /// </summary>
    private (string File, string Pointer, JsonElement Schema) Resolve(string file, string pointer, string reference)
    {
        var hash = reference.IndexOf('#', StringComparison.Ordinal);
        var location = hash < 0 ? reference : reference[..hash];
        var fragment = hash < 0 ? "" : Uri.UnescapeDataString(reference[(hash + 1)..]);
        var targetFile = location.Length == 0 ? file : location[(location.LastIndexOf('/') + 1)..];
        if (!_files.TryGetValue(targetFile, out var target))
        {
            throw Error(file, pointer, "$ref", $"cannot resolve '{reference}': no schema file '{targetFile}' in the set (a $ref is resolved by its file name among the set's files)");
        }

        if (fragment.Length > 0 && fragment[0] != '/')
        {
            throw Error(file, pointer, "$ref", $"cannot resolve '{reference}': only JSON-pointer fragments (#/…) are supported, not ids");
        }

        var element = target.Document.RootElement;
        var canonical = new StringBuilder();
        foreach (var raw in fragment.Length == 0 ? [] : fragment[1..].Split('/'))
        {
            var segment = JsonPointer.Unescape(raw);
            var found = element.ValueKind switch
            {
                JsonValueKind.Object => element.TryGetProperty(segment, out var child) ? child : (JsonElement?)null,
                JsonValueKind.Array => int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < element.GetArrayLength() ? element[i] : null,
                _ => null,
            };
            element = found ?? throw Error(file, pointer, "$ref", $"cannot resolve '{reference}': '{targetFile}' has nothing at '{fragment}'");
            canonical.Append('/').Append(JsonPointer.Escape(segment));
        }

        return (targetFile, canonical.ToString(), element);
    }

    private static TypeKeyword CompileTypeNames(IEnumerable<string> names, Func<string, Exception> bad)
    {
        var allowed = JsonTypes.None;
        var list = new List<string>();
        foreach (var name in names)
        {
            var type = name switch
            {
                "null" => JsonTypes.Null,
                "boolean" => JsonTypes.Boolean,
                "object" => JsonTypes.Object,
                "array" => JsonTypes.Array,
                "number" => JsonTypes.Number,
                "integer" => JsonTypes.Integer,
                "string" => JsonTypes.String,
                _ => throw bad($"unknown type '{name}' (draft-04 types: array, boolean, integer, null, number, object, string)"),
            };
            if ((allowed & type) != 0)
            {
                throw bad($"lists '{name}' twice");
            }

            allowed |= type;
            list.Add(name);
        }

        if (list.Count == 0)
        {
            throw bad("must name at least one type");
        }

        return new TypeKeyword(allowed, string.Join(", ", list));
    }

    private TypeKeyword CompileType(string file, string pointer, JsonElement value)
    {
        Exception Bad(string reason) => Error(file, pointer, "type", reason);
        return value.ValueKind switch
        {
            JsonValueKind.String => CompileTypeNames([value.GetString()!], Bad),
            JsonValueKind.Array => CompileTypeNames(
                value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Bad("must be a type name or an array of type names")).ToList(),
                Bad),
            _ => throw Bad("must be a type name or an array of type names"),
        };
    }

    private PropertiesKeyword? CompileProperties(string file, string pointer, JsonElement schema)
    {
        Utf8NameMap<SchemaNode>? properties = null;
        if (schema.TryGetProperty("properties", out var value))
        {
            var at = JsonPointer.Append(pointer, "properties");
            var entries = Members(file, pointer, "properties", value)
                .Select(m => KeyValuePair.Create(m.Name, Compile(file, m.Value, JsonPointer.Append(at, m.Name))))
                .ToList();
            properties = entries.Count > 0 ? new Utf8NameMap<SchemaNode>(entries) : null;
        }

        var patterns = new List<(Regex, SchemaNode)>();
        if (schema.TryGetProperty("patternProperties", out value))
        {
            var at = JsonPointer.Append(pointer, "patternProperties");
            foreach (var member in Members(file, pointer, "patternProperties", value))
            {
                patterns.Add((CompilePattern(file, pointer, "patternProperties", member.Name), Compile(file, member.Value, JsonPointer.Append(at, member.Name))));
            }
        }

        var (additionalAllowed, additionalSchema) = schema.TryGetProperty("additionalProperties", out value)
            ? BooleanOrSchema(file, pointer, "additionalProperties", value)
            : (true, null);
        return properties is null && patterns.Count == 0 && additionalAllowed && additionalSchema is null
            ? null
            : new PropertiesKeyword(properties, patterns, additionalAllowed, additionalSchema);
    }

    private ItemsKeyword? CompileItems(string file, string pointer, JsonElement schema)
    {
        var (additionalAllowed, additionalSchema) = schema.TryGetProperty("additionalItems", out var additional)
            ? BooleanOrSchema(file, pointer, "additionalItems", additional)
            : (true, null);
        if (!schema.TryGetProperty("items", out var items))
        {
            // Without items, additionalItems constrains nothing (draft-04); it was still checked above.
            return null;
        }

        if (items.ValueKind == JsonValueKind.Array)
        {
            var at = JsonPointer.Append(pointer, "items");
            var positional = items.EnumerateArray().Select((item, i) => Compile(file, item, JsonPointer.Append(at, i.ToString(CultureInfo.InvariantCulture)))).ToArray();
            return new ItemsKeyword(null, positional, additionalAllowed, additionalSchema);
        }

        // With items a schema, additionalItems is ignored (draft-04).
        return new ItemsKeyword(Compile(file, items, JsonPointer.Append(pointer, "items")), null, true, null);
    }

    private DependenciesKeyword CompileDependencies(string file, string pointer, JsonElement value)
    {
        var at = JsonPointer.Append(pointer, "dependencies");
        var list = new List<DependenciesKeyword.Dependency>();
        foreach (var member in Members(file, pointer, "dependencies", value))
        {
            var utf8 = Encoding.UTF8.GetBytes(member.Name);
            if (member.Value.ValueKind == JsonValueKind.Array)
            {
                var names = Names(file, pointer, "dependencies", member.Value);
                list.Add(new(member.Name, utf8, names.Select(n => (n, Encoding.UTF8.GetBytes(n))).ToList(), null));
            }
            else
            {
                list.Add(new(member.Name, utf8, null, Compile(file, member.Value, JsonPointer.Append(at, member.Name))));
            }
        }

        return new DependenciesKeyword(list);
    }

    private (bool Allowed, SchemaNode? Schema) BooleanOrSchema(string file, string pointer, string keyword, JsonElement value)
    {
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return (value.GetBoolean(), null);
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(file, pointer, keyword, "must be a boolean or a schema");
        }

        return (true, Compile(file, value, JsonPointer.Append(pointer, keyword)));
    }

    private SchemaNode[] SchemaList(string file, string pointer, string keyword, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            throw Error(file, pointer, keyword, "must be a non-empty array of schemas");
        }

        var at = JsonPointer.Append(pointer, keyword);
        return [.. value.EnumerateArray().Select((item, i) => Compile(file, item, JsonPointer.Append(at, i.ToString(CultureInfo.InvariantCulture))))];
    }

    private List<JsonProperty> Members(string file, string pointer, string keyword, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(file, pointer, keyword, "must be an object");
        }

        var members = value.EnumerateObject().ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            if (!names.Add(member.Name))
            {
                throw Error(file, pointer, keyword, $"names '{member.Name}' twice");
            }
        }

        return members;
    }

    private string[] Names(string file, string pointer, string keyword, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            throw Error(file, pointer, keyword, "must be an array of property names (strings)");
        }

        var names = value.EnumerateArray().Select(v => v.GetString()!).ToArray();
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? names : throw Error(file, pointer, keyword, $"lists '{duplicate.Key}' twice");
    }

    private long Count(string file, string pointer, string keyword, JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && JsonText.IsIntegerLiteral(value) && value.TryGetInt64(out var n) && n >= 0
            ? n
            : throw Error(file, pointer, keyword, "must be a non-negative integer");

    private bool Boolean(string file, string pointer, string keyword, JsonElement value) =>
        value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw Error(file, pointer, keyword, "must be true or false");

    private Regex CompilePattern(string file, string pointer, string keyword, string pattern)
    {
        try
        {
            return Patterns.Compile(pattern);
        }
        catch (ArgumentException e)
        {
            throw Error(file, pointer, keyword, $"'{pattern}' is not a valid regular expression: {e.Message}");
        }
    }

    /// <summary>allOf/anyOf/oneOf/not/dependencies that come back to the same schema without moving to a child value would recurse forever.</summary>
    private void CheckNoSameValueCycle()
    {
        var state = new Dictionary<SchemaNode, bool>(ReferenceEqualityComparer.Instance); // false: on the path; true: done
        var path = new List<SchemaNode>();
        foreach (var node in _compiled.Values.Distinct())
        {
            Visit(node);
        }

        void Visit(SchemaNode node)
        {
            if (state.TryGetValue(node, out var done))
            {
                if (!done)
                {
                    var cycle = path.Skip(path.IndexOf(node)).Append(node).Select(n => n.ToString());
                    throw new SchemaException(node.File, node.Pointer, null, $"subschemas apply to the same value in a loop: {string.Join(" -> ", cycle)}");
                }

                return;
            }

            state[node] = false;
            path.Add(node);
            foreach (var next in node.Compiled.SelectMany(k => k.SameValueSchemas))
            {
                Visit(next);
            }

            path.RemoveAt(path.Count - 1);
            state[node] = true;
        }
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Number => "a number",
        JsonValueKind.String => "a string",
        JsonValueKind.Null => "null",
        _ => value.ValueKind.ToString(),
    };

    private static string Shorten(string text) => text.Length <= 120 ? text : string.Concat(text.AsSpan(0, 120), "…");
}
