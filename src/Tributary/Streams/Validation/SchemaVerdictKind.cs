namespace Tributary.Streams.Validation;

/// <summary>What a <see cref="SchemaVerdict"/> says about a document. <see cref="Valid"/> is the default value.</summary>
public enum SchemaVerdictKind
{
    /// <summary>The document satisfies its schema.</summary>
    Valid = 0,

    /// <summary>The document breaks its schema; the verdict names the first error found.</summary>
    Invalid,

    /// <summary>No schema exists for the event's <c>eid</c> (Sunbird sends such events to the failed topic).</summary>
    SchemaNotFound,

    /// <summary>The document is well-formed JSON but not an object, so it cannot be an event.</summary>
    NotAnObject,

    /// <summary>The bytes are not well-formed JSON.</summary>
    MalformedJson,
}
