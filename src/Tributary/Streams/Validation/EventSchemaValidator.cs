using System.Text;
using System.Text.Json;
using Tributary.Streams.Validation.Internal;

namespace Tributary.Streams.Validation;

/// <summary>
/// Validates telemetry events against the schema their <c>eid</c> selects, the way a Sunbird job selects it.
/// Immutable after construction; safe to use from any number of threads at once.
/// </summary>
/// <remarks>
/// <para><see cref="ForPipelinePreprocessor"/> (Sunbird pipeline-preprocessor, <c>Event.schemaName</c> and
/// <c>TelemetryValidator</c>): schema file = lower-case eid + ".json" ("INTERACT" → interact.json); an event
/// with no eid (absent or null) is checked against envelope.json, which requires one; an eid with no schema
/// file gives a <see cref="SchemaVerdictKind.SchemaNotFound"/> verdict with Sunbird's message
/// <see cref="SchemaNotFoundMessage"/>. The lookup uses every file of the set, so an eid such as "COMMON"
/// finds common.json, as in Sunbird. An eid that is not a string (Sunbird would fail on it) is checked
/// against envelope.json too, whose "eid" must be a string.</para>
/// <para><see cref="ForDruidValidator"/> (Sunbird druid-events-validator, <c>SchemaValidator.validate</c>):
/// eid "SEARCH" (any case) → telemetry search.json, "ME_WORKFLOW_SUMMARY" (any case) → summary
/// me_workflow_summary.json, anything else, no eid included → telemetry envelope.json.</para>
/// <para>A document that is not a JSON object gives a <see cref="SchemaVerdictKind.NotAnObject"/> verdict;
/// bytes that are not JSON a <see cref="SchemaVerdictKind.MalformedJson"/> one.</para>
/// </remarks>
public sealed class EventSchemaValidator : IDocumentValidator
{
    /// <summary>Sunbird's failure message for an event whose eid names no schema.</summary>
    public const string SchemaNotFoundMessage = "Schema not found: eid looks incorrect, sending to failed";

    private const string Envelope = "envelope.json";
    private const int MaxStackEid = 128;

    private readonly JsonSchemaSet? _byEid;
    private readonly CompiledSchema? _envelope;
    private readonly CompiledSchema? _search;
    private readonly CompiledSchema? _summary;

    private EventSchemaValidator(JsonSchemaSet? byEid, CompiledSchema? envelope, CompiledSchema? search, CompiledSchema? summary)
    {
        _byEid = byEid;
        _envelope = envelope;
        _search = search;
        _summary = summary;
    }

    /// <summary>The pipeline-preprocessor's choice: lower-case eid + ".json" from <paramref name="schemas"/>, envelope.json without an eid.</summary>
    public static EventSchemaValidator ForPipelinePreprocessor(JsonSchemaSet schemas)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        return new EventSchemaValidator(schemas, schemas.TryGet(Envelope, out var envelope) ? envelope : null, null, null);
    }

    /// <summary>The druid-events-validator's choice: search.json and envelope.json from <paramref name="telemetry"/>, me_workflow_summary.json from <paramref name="summary"/>.</summary>
    /// <exception cref="KeyNotFoundException">One of the three schemas is missing.</exception>
    public static EventSchemaValidator ForDruidValidator(JsonSchemaSet telemetry, JsonSchemaSet summary)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(summary);
        return new EventSchemaValidator(null, telemetry.Get(Envelope), telemetry.Get("search.json"), summary.Get("me_workflow_summary.json"));
    }

    /// <summary>Validates one parsed event.</summary>
    public SchemaVerdict Validate(JsonElement document)
    {
        if (document.ValueKind != JsonValueKind.Object)
        {
            return SchemaVerdict.Fail(SchemaVerdictKind.NotAnObject, "", $"an event must be a JSON object, not {document.ValueKind.ToString().ToLowerInvariant()}");
        }

        var schema = SchemaFor(document);
        return schema is null
            ? SchemaVerdict.Fail(SchemaVerdictKind.SchemaNotFound, "", SchemaNotFoundMessage)
            : schema.Validate(document);
    }

    /// <summary>Parses and validates one event given as UTF-8 JSON.</summary>
    public SchemaVerdict Validate(ReadOnlySpan<byte> utf8Json) => DocumentValidator.Validate(utf8Json, this);

    /// <summary>The schema this validator picks for <paramref name="document"/>, or null when its eid names none or it is not an object.</summary>
    public CompiledSchema? SchemaFor(JsonElement document)
    {
        if (document.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var hasEid = document.TryGetProperty("eid"u8, out var eid) && eid.ValueKind == JsonValueKind.String;
        if (_byEid is null)
        {
            return !hasEid ? _envelope
                : EidIs(eid, "SEARCH"u8) ? _search
                : EidIs(eid, "ME_WORKFLOW_SUMMARY"u8) ? _summary
                : _envelope;
        }

        if (!hasEid)
        {
            return _envelope;
        }

        var raw = JsonText.RawString(eid, out var escaped);
        if (!escaped && raw.Length <= MaxStackEid && Ascii.IsValid(raw))
        {
            // Lower-case eid + ".json" composed on the stack: no string per event.
            Span<char> name = stackalloc char[raw.Length + 5];
            Ascii.ToLower(raw, name, out var written);
            ".json".CopyTo(name[written..]);
            return _byEid.TryGet(name, out var found) ? found : null;
        }

        return _byEid.TryGet(eid.GetString()!.ToLowerInvariant() + ".json", out var schema) ? schema : null;
    }

    /// <summary>Java's equalsIgnoreCase against an ASCII name.</summary>
    private static bool EidIs(JsonElement eid, ReadOnlySpan<byte> expected)
    {
        var raw = JsonText.RawString(eid, out var escaped);
        return escaped
            ? string.Equals(eid.GetString(), Encoding.ASCII.GetString(expected), StringComparison.OrdinalIgnoreCase)
            : Ascii.EqualsIgnoreCase(raw, expected);
    }
}
