using System.Text.Json;
using Tributary.Streams.Validation.Internal;

namespace Tributary.Streams.Validation.Keywords;

/// <summary>not: the value fails the subschema (checked quietly).</summary>
internal sealed class NotKeyword(SchemaNode schema) : Keyword
{
    public override IEnumerable<SchemaNode> SameValueSchemas => [schema];

    public override bool Validate(JsonElement instance, ref ValidationState state)
    {
        state.EnterQuiet();
        bool passed;
        try
        {
            passed = schema.Validate(instance, ref state);
        }
        finally
        {
            state.LeaveQuiet();
        }

        if (passed && !state.Quiet)
        {
            state.Report($"{JsonText.Describe(instance)} must not be valid under the 'not' schema");
        }

        return !passed;
    }
}
