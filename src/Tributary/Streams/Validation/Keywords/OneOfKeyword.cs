using System.Text.Json;
using Tributary.Streams.Validation.Internal;

namespace Tributary.Streams.Validation.Keywords;

/// <summary>oneOf: the value passes exactly one subschema (all are tried quietly until a second pass is found).</summary>
internal sealed class OneOfKeyword(SchemaNode[] schemas) : Keyword
{
    public override IEnumerable<SchemaNode> SameValueSchemas => schemas;

    public override bool Validate(JsonElement instance, ref ValidationState state)
    {
        var first = -1;
        var second = -1;
        state.EnterQuiet();
        try
        {
            for (var i = 0; i < schemas.Length && second < 0; i++)
            {
                if (schemas[i].Validate(instance, ref state))
                {
                    if (first < 0)
                    {
                        first = i;
                    }
                    else
                    {
                        second = i;
                    }
                }
            }
        }
        finally
        {
            state.LeaveQuiet();
        }

        if (first >= 0 && second < 0)
        {
            return true;
        }

        if (!state.Quiet)
        {
            state.Report(first < 0
                ? $"{JsonText.Describe(instance)} is not valid under any of the given schemas (oneOf)"
                : $"{JsonText.Describe(instance)} is valid under more than one of the given schemas (oneOf {first} and {second})");
        }

        return false;
    }
}
