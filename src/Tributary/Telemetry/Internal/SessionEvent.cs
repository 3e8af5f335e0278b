namespace Tributary.Telemetry.Internal;

/// <summary>One event a session emitted: its eid, its time (epoch ms) and its JSON (one line, no stamps).</summary>
internal readonly record struct SessionEvent(string Eid, long Ets, string Json);
