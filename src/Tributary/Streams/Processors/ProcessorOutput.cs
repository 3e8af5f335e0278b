namespace Tributary.Streams.Processors;

/// <summary>One record a processor sends to one of its output roles.</summary>
/// <param name="Role">The output role (the pipeline maps it to a topic).</param>
/// <param name="Key">The record's key (it picks the partition); null: the partition follows the input offset.</param>
/// <param name="Value">The record's bytes.</param>
/// <param name="InputOffset">The offset of the input record it came from.</param>
public readonly record struct ProcessorOutput(string Role, byte[]? Key, byte[] Value, long InputOffset);
