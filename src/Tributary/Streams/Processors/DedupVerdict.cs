namespace Tributary.Streams.Processors;

/// <summary>What <see cref="DedupStore.Check(string, string, long)"/> decided about one record's key.</summary>
public enum DedupVerdict
{
    /// <summary>
    /// The key was not live (never stored, or stored longer ago than the TTL), or it was first seen at this very
    /// position (the same record processed again after a restart): process the record.
    /// </summary>
    Unique,

    /// <summary>The key is live and was first seen at another position: the record is a copy.</summary>
    Duplicate,
}
