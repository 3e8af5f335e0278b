using Tributary.Telemetry.Internal;

namespace Tributary.Telemetry;

/// <summary>
/// Generates realistic Sunbird telemetry v3 batches as the <c>/v1/telemetry</c> ingest endpoint receives them, with an exact
/// <see cref="TelemetryTally"/> of what they hold. Deterministic: equal <see cref="TelemetryGenerateOptions"/> give identical
/// text; no clock, no OS randomness. Thread-safe (no shared state).
/// </summary>
/// <remarks>
/// <para>A batch is one line of JSON: <c>{"id":"api.sunbird.telemetry","ver":"3.0","ets":…,"params":{"msgid":"&lt;uuid&gt;","did":"…"},
/// "mid":"&lt;uuid&gt;","syncts":…,"events":[…]}</c>, holding 1 to <see cref="TelemetryGenerateOptions.EventsPerBatch"/> events of one
/// device. <c>ets</c> is when the client built the batch, <c>syncts</c> when the server received it (a few hundred ms later, or
/// minutes to hours later for a mobile client that was offline); lines come in <c>syncts</c> order.</para>
/// <para>The events come from sessions of a population of users (with one or two devices each) and anonymous devices on
/// the portal, the mobile app and the desktop app, across 8 channels and a catalogue of 300 contents in 30 collections:
/// START/END of the app and of content plays, IMPRESSION, INTERACT, SEARCH, LOG (the portal's api_access lines), ERROR,
/// AUDIT (profile updates), ASSESS and RESPONSE (quizzes), FEEDBACK, SHARE, INTERRUPT (mobile) and HEARTBEAT (desktop),
/// with sessions busier in Indian daytime. Every event's <c>ets</c> is in [From, To).</para>
/// <para>Every valid event satisfies the schemas of samples/pipelines/schemas/telemetry and is under 4 KB; see
/// <see cref="TelemetryEventCategory"/> for the others.</para>
/// </remarks>
public static class TelemetryGenerator
{
    /// <summary>Generates every batch in memory (about a kilobyte per event).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range; the message says which.</exception>
    public static GeneratedTelemetry Generate(TelemetryGenerateOptions options, CancellationToken cancellationToken = default)
    {
        var plan = TelemetryPlan.Create(options);
        return new GeneratedTelemetry([.. plan.Lines(cancellationToken)], plan.Tally);
    }

    /// <summary>
    /// Writes the batches to <paramref name="output"/>, one a line ('\n' after each), holding only what later lines need;
    /// <paramref name="eachBatch"/>, when given, sees each batch as it is written (e.g. <see cref="TelemetryLookups.Add"/>).
    /// </summary>
    /// <returns>The tally of what was written.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range (nothing is written then).</exception>
    public static TelemetryTally WriteJsonLines(TelemetryGenerateOptions options, TextWriter output, CancellationToken cancellationToken = default, Action<string>? eachBatch = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var plan = TelemetryPlan.Create(options);
        foreach (var line in plan.Lines(cancellationToken))
        {
            eachBatch?.Invoke(line);
            output.Write(line);
            output.Write('\n');
        }

        output.Flush();
        return plan.Tally;
    }
}
