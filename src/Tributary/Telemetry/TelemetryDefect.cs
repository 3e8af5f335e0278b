namespace Tributary.Telemetry;

/// <summary>How a <see cref="TelemetryEventCategory.Invalid"/> event breaks the telemetry schemas.</summary>
public enum TelemetryDefect
{
    /// <summary>No <c>actor</c> (the envelope requires one).</summary>
    MissingActor = 0,

    /// <summary><c>ets</c> is an ISO-8601 string instead of epoch milliseconds (the envelope wants a number).</summary>
    EtsNotANumber,

    /// <summary><c>eid</c> names no event type (CLICK, PAGEVIEW, …): no schema exists for it.</summary>
    UnknownEid,
}
