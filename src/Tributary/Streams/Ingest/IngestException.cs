namespace Tributary.Streams.Ingest;

/// <summary>Why an ingest request was refused; the HTTP API answers 400, 413, 415 or 503 for them.</summary>
public enum IngestRejection
{
    /// <summary>The content is wrong (malformed JSON, a missing field, too many records): 400.</summary>
    BadInput,

    /// <summary>The body or one record is larger than allowed: 413.</summary>
    TooLarge,

    /// <summary>The content type or encoding is not one the endpoint reads: 415.</summary>
    UnsupportedMediaType,

    /// <summary>Ingestion is paused; the client retries later: 503 with Retry-After.</summary>
    Paused,
}

/// <summary>
/// An ingest request (lines of records, a telemetry batch) refused as a whole: nothing of it was appended.
/// The message says what, where and why, for the user as is; <see cref="Code"/> is a stable machine-readable name
/// (<see cref="IngestErrorCodes"/>).
/// </summary>
public sealed class IngestException : Exception
{
    /// <summary>Creates the error.</summary>
    public IngestException(string code, string message, IngestRejection rejection = IngestRejection.BadInput)
        : base(message)
    {
        Code = code;
        Rejection = rejection;
    }

    /// <summary>Creates the error.</summary>
    public IngestException()
    {
    }

    /// <summary>Creates the error.</summary>
    public IngestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    public IngestException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The error's code, e.g. <c>INVALID_JSON</c>.</summary>
    public string Code { get; } = IngestErrorCodes.InvalidRequest;

    /// <summary>The kind of refusal (it picks the HTTP status).</summary>
    public IngestRejection Rejection { get; }
}

/// <summary>The codes of <see cref="IngestException"/>, as the telemetry and producer APIs return them.</summary>
public static class IngestErrorCodes
{
    public const string InvalidRequest = "INVALID_REQUEST";
    public const string InvalidJson = "INVALID_JSON";
    public const string InvalidBatch = "INVALID_BATCH";
    public const string MissingEvents = "MISSING_EVENTS";
    public const string InvalidEvents = "INVALID_EVENTS";
    public const string EmptyBatch = "EMPTY_BATCH";
    public const string TooManyEvents = "TOO_MANY_EVENTS";
    public const string EventTooLarge = "EVENT_TOO_LARGE";
    public const string BatchTooLarge = "BATCH_TOO_LARGE";
    public const string BodyTooLarge = "BODY_TOO_LARGE";
    public const string EmptyBody = "EMPTY_BODY";
    public const string TooManyRecords = "TOO_MANY_RECORDS";
    public const string RecordTooLarge = "RECORD_TOO_LARGE";
    public const string MissingKey = "MISSING_KEY";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string InvalidEncoding = "INVALID_ENCODING";
    public const string IngestionPaused = "INGESTION_PAUSED";
}
