namespace Tributary.Telemetry.Internal;

/// <summary>What fixes a session's events: its index (part of every mid), the seed of its draws, its start (epoch ms) and its device.</summary>
internal readonly record struct SessionPlan(int Index, int Seed, long StartMs, int Device);
