using System.Text.Json;

namespace Tributary.Streams.Validation.Internal;

/// <summary>Something that judges a parsed document.</summary>
internal interface IDocumentValidator
{
    SchemaVerdict Validate(JsonElement document);
}
