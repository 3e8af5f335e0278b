using System.Text.Json;
using Tributary.Streams.Validation.Internal;

namespace Tributary.Streams.Validation.Keywords;

/// <summary>
/// dependencies: when an object has property P, it also has the properties P lists (reported at the object),
/// or (a schema dependency) the whole object passes P's schema. Checked in the schema's order.
/// </summary>
internal sealed class DependenciesKeyword(IReadOnlyList<DependenciesKeyword.Dependency> dependencies) : Keyword
{
    public override IEnumerable<SchemaNode> SameValueSchemas => dependencies.Where(d => d.Schema is not null).Select(d => d.Schema!);

    public override bool Validate(JsonElement instance, ref ValidationState state)
    {
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        foreach (var dependency in dependencies)
        {
            if (!instance.TryGetProperty(dependency.Utf8Name, out _))
            {
                continue;
            }

            if (dependency.Schema is not null)
            {
                if (!dependency.Schema.Validate(instance, ref state))
                {
                    return false;
                }

                continue;
            }

            foreach (var (name, utf8) in dependency.Required!)
            {
                if (!instance.TryGetProperty(utf8, out _))
                {
                    if (!state.Quiet)
                    {
                        state.Report($"{JsonText.Quote(name)} is a dependency of {JsonText.Quote(dependency.Name)}");
                    }

                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>One entry: the property, and either the names it requires or the schema the object must pass.</summary>
    public sealed record Dependency(string Name, byte[] Utf8Name, IReadOnlyList<(string Name, byte[] Utf8)>? Required, SchemaNode? Schema);
}
