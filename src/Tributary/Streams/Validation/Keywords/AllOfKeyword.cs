using System.Text.Json;
using Tributary.Streams.Validation.Internal;

namespace Tributary.Streams.Validation.Keywords;

/// <summary>allOf: the value passes every subschema, checked in order; the first failure is the error (its own pointer and message).</summary>
internal sealed class AllOfKeyword(SchemaNode[] schemas) : Keyword
{
    public override IEnumerable<SchemaNode> SameValueSchemas => schemas;

    public IReadOnlyList<SchemaNode> Schemas => schemas;

    public override bool Validate(JsonElement instance, ref ValidationState state)
    {
        foreach (var schema in schemas)
        {
            if (!schema.Validate(instance, ref state))
            {
                return false;
            }
        }

        return true;
    }
}
