using System.Text.Json;
using Tributary.Streams.Validation.Internal;

namespace Tributary.Streams.Validation.Keywords;

/// <summary>anyOf: the value passes at least one subschema (tried in order, quietly, stopping at the first pass).</summary>
internal sealed class AnyOfKeyword(SchemaNode[] schemas) : Keyword
{
    public override IEnumerable<SchemaNode> SameValueSchemas => schemas;

    public override bool Validate(JsonElement instance, ref ValidationState state)
    {
        state.EnterQuiet();
        try
        {
            foreach (var schema in schemas)
            {
                if (schema.Validate(instance, ref state))
                {
                    return true;
                }
            }
        }
        finally
        {
            state.LeaveQuiet();
        }

        if (!state.Quiet)
        {
            state.Report($"{JsonText.Describe(instance)} is not valid under any of the given schemas (anyOf)");
        }

        return false;
    }
}
