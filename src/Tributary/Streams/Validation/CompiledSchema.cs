using System.Text.Json;
using Tributary.Streams.Validation.Internal;

namespace Tributary.Streams.Validation;

/// <summary>
/// One schema of a <see cref="JsonSchemaSet"/>, compiled into a tree of validator nodes. Validation stops at
/// the first error: keywords are checked in the order the schema lists them (properties, patternProperties
/// and additionalProperties together, where the first of them stands), an object's properties in document
/// order, an array's items in order. Immutable and safe to use from any number of threads at once.
/// </summary>
/// <remarks>
/// Draft-04 semantics with these choices: "integer" is a number written without fraction or exponent (1.0
/// is a number); minLength/maxLength count Unicode code points; enum and uniqueItems compare numbers by
/// value; "format" is not checked; patterns use .NET regular expressions.
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

    /// <summary>Validates a parsed document (any JSON value); no allocation unless it is invalid.</summary>
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
