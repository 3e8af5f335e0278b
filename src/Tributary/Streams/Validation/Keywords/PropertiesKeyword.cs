using System.Text.Json;
using System.Text.RegularExpressions;
using Tributary.Streams.Validation.Internal;

namespace Tributary.Streams.Validation.Keywords;

/// <summary>
/// properties, patternProperties and additionalProperties together (the last depends on the other two): one
/// pass over an object's properties in document order. Each property is checked against its properties
/// subschema, then every matching pattern's subschema; a property neither names nor matches is "additional"
/// and is checked against additionalProperties (false: not allowed, reported at the object).
/// </summary>
internal sealed class PropertiesKeyword(
    Utf8NameMap<SchemaNode>? properties,
    IReadOnlyList<(Regex Pattern, SchemaNode Schema)> patterns,
    bool additionalAllowed,
    SchemaNode? additionalSchema) : Keyword
{
    /// <summary>The named properties' schemas (none: empty).</summary>
    public IReadOnlyList<KeyValuePair<string, SchemaNode>> Properties { get; } = properties?.Entries ?? [];

    public IReadOnlyList<(Regex Pattern, SchemaNode Schema)> PatternSchemas => patterns;

    public bool AdditionalAllowed => additionalAllowed;

    public SchemaNode? AdditionalSchema => additionalSchema;

    public override bool Validate(JsonElement instance, ref ValidationState state)
    {
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        foreach (var property in instance.EnumerateObject())
        {
            var matched = false;
            if (properties is not null && properties.TryGetValue(JsonText.Name(property), out var schema))
            {
                matched = true;
                if (!schema.Validate(property.Value, ref state))
                {
                    return state.ChildFailed(property);
                }
            }

            if (patterns.Count > 0)
            {
                var name = property.Name;
                foreach (var (pattern, patternSchema) in patterns)
                {
                    if (Patterns.IsMatch(pattern, name))
                    {
                        matched = true;
                        if (!patternSchema.Validate(property.Value, ref state))
                        {
                            return state.ChildFailed(property);
                        }
                    }
                }
            }

            if (matched)
            {
                continue;
            }

            if (additionalSchema is not null)
            {
                if (!additionalSchema.Validate(property.Value, ref state))
                {
                    return state.ChildFailed(property);
                }
            }
            else if (!additionalAllowed)
            {
                if (!state.Quiet)
                {
                    state.Report($"Additional properties are not allowed ({JsonText.Quote(property.Name)} was unexpected)");
                }

                return false;
            }
        }

        return true;
    }
}
