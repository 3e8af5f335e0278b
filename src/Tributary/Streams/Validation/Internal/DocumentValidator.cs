using System.Buffers;
using System.Text.Json;

namespace Tributary.Streams.Validation.Internal;

/// <summary>Parses UTF-8 JSON into a pooled document and hands it to a validator.</summary>
internal static class DocumentValidator
{
    /// <summary>
    /// Copies the bytes into a pooled buffer, parses them (the document's metadata is pooled too) and
    /// validates; malformed JSON is a <see cref="SchemaVerdictKind.MalformedJson"/> verdict, not an exception.
    /// </summary>
    public static SchemaVerdict Validate(ReadOnlySpan<byte> utf8Json, IDocumentValidator validator)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, utf8Json.Length));
        try
        {
            utf8Json.CopyTo(buffer);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(buffer.AsMemory(0, utf8Json.Length));
            }
            catch (JsonException e)
            {
                return SchemaVerdict.Fail(SchemaVerdictKind.MalformedJson, "", $"not valid JSON: {e.Message}");
            }

            using (document)
            {
                return validator.Validate(document.RootElement);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
