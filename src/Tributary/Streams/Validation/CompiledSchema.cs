using System.Text.Json;
using Tributary.Streams.Validation.Internal;

namespace Tributary.Streams.Validation;

/// <summary>
/// One schema of a <see cref="JsonSchemaSet"/>, compiled into a tree of validator nodes. Validation stops at
/// the first error, found in a fixed order: keywords in the order the schema lists them (allOf branches in
/// turn, as if written in place of the allOf); an object's properties in document order, each checked
/// against every properties/patternProperties/additionalProperties that applies to that object (the schema's
/// own and its allOf branches', in that order) before the next property, except that a missing required
/// property wins over errors of keywords listed after its required keyword; an array's items in order.
/// Immutable and safe to use from any number of threads at once.
/// </summary>
/// <remarks>
/// Draft-04 semantics with these choices: "integer" is a number written without fraction or exponent (1.0
/// is a number); minLength/maxLength count Unicode code points; enum and uniqueItems compare numbers by
/// value; "format" is not checked; patterns use .NET regular expressions. A valid document costs no
/// allocation; an invalid one its message and pointer.
/// </remarks>
public sealed class CompiledSchema : IDocumentValidator
{
    private readonly SchemaNode _root;

    internal CompiledSchema(string name, SchemaNode root)
    {
        Name = name;
        _root = root;
    }

    /// <summary>The schema's file name within its set ("interact.json").</summary>
    public string Name { get; }

    /// <summary>Validates a parsed document (any JSON value).</summary>
    public SchemaVerdict Validate(JsonElement document)
    {
        var state = default(ValidationState);
        if (_root.Validate(document, ref state))
        {
            return SchemaVerdict.Valid;
        }

        var error = state.Error!;
        return SchemaVerdict.Fail(SchemaVerdictKind.Invalid, error.Pointer(), error.Message);
    }

    /// <summary>Parses and validates UTF-8 JSON; bytes that are not JSON give a <see cref="SchemaVerdictKind.MalformedJson"/> verdict.</summary>
    public SchemaVerdict Validate(ReadOnlySpan<byte> utf8Json) => DocumentValidator.Validate(utf8Json, this);

    public override string ToString() => Name;
}
