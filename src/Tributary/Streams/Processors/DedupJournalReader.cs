using System.Buffers.Binary;

namespace Tributary.Streams.Processors;

/// <summary>
/// Reads a dedup journal's entries in order (see <see cref="DedupJournal"/>), stopping at the end of the file or at
/// the first torn frame: incomplete, with an impossible length, or with a wrong checksum.
/// </summary>
internal sealed class DedupJournalReader(Stream stream, long start)
{
    private readonly byte[] _entry = new byte[DedupJournal.MaxEntry];

    /// <summary>The end of the last whole entry read: where the valid journal ends once <see cref="TryRead"/> is false.</summary>
    public long ValidEnd { get; private set; } = start;

    /// <summary>Whether reading stopped at a torn frame rather than at the end of the file.</summary>
    public bool Torn { get; private set; }

    /// <summary>The next entry's payload (valid until the next call), or false at the end or at a torn frame.</summary>
    public bool TryRead(out ReadOnlySpan<byte> payload)
    {
        payload = default;
        var got = stream.ReadAtLeast(_entry.AsSpan(0, DedupJournal.FrameSize), DedupJournal.FrameSize, throwOnEndOfStream: false);
        if (got < DedupJournal.FrameSize)
        {
            Torn = got > 0;
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(_entry);
        if (length is 0 or > DedupJournal.MaxPayload)
        {
            Torn = true;
            return false;
        }

        var body = _entry.AsSpan(DedupJournal.FrameSize, (int)length);
        if (stream.ReadAtLeast(body, body.Length, throwOnEndOfStream: false) < body.Length
            || BinaryPrimitives.ReadUInt32LittleEndian(_entry.AsSpan(4)) != DedupJournal.Checksum(_entry.AsSpan(0, 4), body))
        {
            Torn = true;
            return false;
        }

        ValidEnd += DedupJournal.FrameSize + length;
        payload = body;
        return true;
    }
}
