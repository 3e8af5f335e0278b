namespace Tributary.Telemetry;

/// <summary>What became of one generated event, as <see cref="TelemetryTally"/> counts it.</summary>
/// <remarks>
/// An event in a well-formed batch sent for the first time is exactly one of <see cref="Valid"/>, <see cref="Invalid"/>,
/// <see cref="Duplicate"/> and <see cref="Oversize"/>; an event in a re-sent batch is <see cref="InDuplicateBatch"/>
/// whatever it is; events of malformed batches are not counted (the batch cannot be read).
/// </remarks>
public enum TelemetryEventCategory
{
    /// <summary>Satisfies the schemas of samples/pipelines/schemas/telemetry, is under the oversize limit, and carries a
    /// <c>mid</c> no earlier event had: what a table fed through extractor → validator → dedup holds (LOG events included).</summary>
    Valid = 0,

    /// <summary>Breaks the schemas on purpose (see <see cref="TelemetryDefect"/>); its <c>mid</c> is new.</summary>
    Invalid,

    /// <summary>A verbatim copy (same <c>mid</c>) of a valid event of an earlier batch, as a client re-sending part of its buffer sends it.</summary>
    Duplicate,

    /// <summary>A schema-valid ERROR event whose UTF-8 JSON is 1 to 1,024 bytes larger than <see cref="TelemetryGenerateOptions.OversizeBytes"/>; its <c>mid</c> is new.</summary>
    Oversize,

    /// <summary>An event of a re-sent batch (a <c>params.msgid</c> seen before): the extractor drops the whole batch.</summary>
    InDuplicateBatch,
}
