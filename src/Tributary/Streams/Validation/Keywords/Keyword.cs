using System.Text.Json;
using Tributary.Streams.Validation.Internal;

namespace Tributary.Streams.Validation.Keywords;

/// <summary>
/// One compiled validation keyword (or a group of keywords that only make sense together, such as
/// properties with additionalProperties). A keyword ignores values of types it does not constrain, as
/// draft-04 says: minLength passes any non-string.
/// </summary>
internal abstract class Keyword
{
    /// <summary>Subschemas applied to the same value (allOf, anyOf, oneOf, not, schema dependencies): the loader checks they never loop.</summary>
    public virtual IEnumerable<SchemaNode> SameValueSchemas => [];

    /// <summary>True when <paramref name="instance"/> passes; otherwise false with the error in <paramref name="state"/> (unless quiet).</summary>
    public abstract bool Validate(JsonElement instance, ref ValidationState state);
}
