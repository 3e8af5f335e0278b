using System.Text.Json;
using System.Text.RegularExpressions;
using Tributary.Streams.Validation.Internal;

namespace Tributary.Streams.Validation.Keywords;

/// <summary>
/// Several required and properties keywords that apply to the same object (a schema's own and those of its
/// allOf branches), checked in one pass over the object's properties: each property's name is looked up
/// once, then checked against each properties group in schema order (named, pattern, else additional).
/// </summary>
/// <remarks>
/// Which error is first: properties in document order, each against every group before the next property;
/// a missing required property is reported in preference to any error of a group that comes after its
/// required keyword (as separate passes would), so the pass goes on to the end for required names after a
/// failure only when some required keyword comes before the failing group.
/// </remarks>
internal sealed class ObjectKeyword : Keyword
{
    private readonly Utf8NameMap<Slot> _names;
    private readonly Group[] _groups;
    private readonly string[] _required;

    /// <summary>The members of the run, in schema order: <see cref="RequiredKeyword"/>s and <see cref="PropertiesKeyword"/>s.</summary>
    public ObjectKeyword(IReadOnlyList<Keyword> run)
    {
        var slots = new Dictionary<string, Slot>(StringComparer.Ordinal);
        var properties = run.OfType<PropertiesKeyword>().ToList();
        var groups = new List<Group>();
        var required = new List<string>();
        Slot SlotOf(string name) => slots.TryGetValue(name, out var slot) ? slot : slots[name] = new Slot(properties.Count);
        foreach (var keyword in run)
        {
            switch (keyword)
            {
                case RequiredKeyword r:
                    foreach (var name in r.Names.Where(n => !required.Contains(n, StringComparer.Ordinal)))
                    {
                        SlotOf(name).Required = required.Count;
                        required.Add(name);
                    }

                    break;
                case PropertiesKeyword p:
                    foreach (var (name, schema) in p.Properties)
                    {
                        SlotOf(name).Schemas[groups.Count] = schema;
                    }

                    groups.Add(new Group(p.PatternSchemas, p.AdditionalAllowed, p.AdditionalSchema, required.Count));
                    break;
                default:
                    throw new ArgumentException($"{keyword.GetType().Name} is not an object keyword", nameof(run));
            }
        }

        _names = new Utf8NameMap<Slot>(slots.ToList());
        _groups = [.. groups];
        _required = [.. required];
    }

    public override IEnumerable<SchemaNode> SameValueSchemas => [];

    public override bool Validate(JsonElement instance, ref ValidationState state)
    {
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        Span<bool> seen = _required.Length <= 256 ? stackalloc bool[_required.Length] : new bool[_required.Length];
        var found = 0;
        var properties = instance.EnumerateObject();
        while (properties.MoveNext())
        {
            var property = properties.Current;
            _names.TryGetValue(JsonText.Name(property), out var slot);
            if (slot is not null && slot.Required >= 0 && !seen[slot.Required])
            {
                seen[slot.Required] = true;
                found++;
            }

            for (var g = 0; g < _groups.Length; g++)
            {
                var group = _groups[g];
                var matched = false;
                var schema = slot?.Schemas[g];
                if (schema is not null)
                {
                    matched = true;
                    if (!schema.Validate(property.Value, ref state))
                    {
                        return Failed(group, property, ref properties, seen, found, ref state, child: true);
                    }
                }

                if (group.Patterns.Count > 0)
                {
                    var name = property.Name;
                    foreach (var (pattern, patternSchema) in group.Patterns)
                    {
                        if (Patterns.IsMatch(pattern, name))
                        {
                            matched = true;
                            if (!patternSchema.Validate(property.Value, ref state))
                            {
                                return Failed(group, property, ref properties, seen, found, ref state, child: true);
                            }
                        }
                    }
                }

                if (matched)
                {
                    continue;
                }

                if (group.AdditionalSchema is not null)
                {
                    if (!group.AdditionalSchema.Validate(property.Value, ref state))
                    {
                        return Failed(group, property, ref properties, seen, found, ref state, child: true);
                    }
                }
                else if (!group.AdditionalAllowed)
                {
                    if (!state.Quiet)
                    {
                        state.Report($"Additional properties are not allowed ({JsonText.Quote(property.Name)} was unexpected)");
                    }

                    return Failed(group, property, ref properties, seen, found, ref state, child: false);
                }
            }
        }

        if (found == _required.Length)
        {
            return true;
        }

        if (!state.Quiet)
        {
            state.Report(MissingMessage(seen.IndexOf(false)));
        }

        return false;
    }

    /// <summary>A group failed at <paramref name="property"/>: a required name missing from an earlier keyword wins, else the group's error stands.</summary>
    private bool Failed(Group group, JsonProperty property, ref JsonElement.ObjectEnumerator rest, Span<bool> seen, int found, ref ValidationState state, bool child)
    {
        if (group.RequiredBefore > 0 && !state.Quiet)
        {
            while (found < _required.Length && rest.MoveNext())
            {
                if (_names.TryGetValue(JsonText.Name(rest.Current), out var slot) && slot.Required >= 0 && !seen[slot.Required])
                {
                    seen[slot.Required] = true;
                    found++;
                }
            }

            var missing = seen[..group.RequiredBefore].IndexOf(false);
            if (missing >= 0)
            {
                state.Report(MissingMessage(missing));
                return false;
            }
        }

        return child ? state.ChildFailed(property) : false;
    }

    private string MissingMessage(int index) => $"{JsonText.Quote(_required[index])} is a required property";

    /// <summary>What a name means: its index among the required names (-1: none) and its schema in each group (null: none).</summary>
    private sealed class Slot(int groups)
    {
        public int Required { get; set; } = -1;

        public SchemaNode?[] Schemas { get; } = new SchemaNode?[groups];
    }

    /// <summary>One properties keyword's patterns and additionalProperties; <see cref="RequiredBefore"/>: how many required names come from keywords before it.</summary>
    private sealed record Group(IReadOnlyList<(Regex Pattern, SchemaNode Schema)> Patterns, bool AdditionalAllowed, SchemaNode? AdditionalSchema, int RequiredBefore);
}
