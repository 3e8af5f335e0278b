using FASTER.core;

namespace Tributary.Streams;

/// <summary>
/// An open FasterLog scan iterator a reader of a partition left where it stopped, so that the next read from there goes
/// on with the pages the iterator already loaded (and the next one it is loading) instead of a new iterator that loads
/// them from the device again.
/// </summary>
/// <remarks>
/// <see cref="NextOffset"/> is the first record not yet returned. Either <see cref="CarryLength"/> is positive and
/// <see cref="Carry"/> holds the batch that record is in (a read stopped inside the batch; the iterator is past it),
/// or the iterator's next batch starts with that record (or will, once it is appended). Not thread-safe: one reader at
/// a time takes it out of <see cref="ReadCursors"/> and gives it back.
/// </remarks>
internal sealed class ReadCursor(PartitionLog owner, FasterLogScanIterator iterator, long generation) : IDisposable
{
    /// <summary>The partition whose log the iterator scans.</summary>
    public PartitionLog Owner { get; } = owner;

    public FasterLogScanIterator Iterator { get; } = iterator;

    /// <summary>The owner's generation when the cursor was opened: a retention run or disposal since makes it stale.</summary>
    public long Generation { get; } = generation;

    public long NextOffset { get; set; }

    /// <summary>A copy of the batch a read stopped inside (the first <see cref="CarryLength"/> bytes).</summary>
    public byte[] Carry { get; private set; } = [];

    public int CarryLength { get; set; }

    /// <summary>Keeps a copy of <paramref name="entry"/> as the carried batch.</summary>
    public void CarryBatch(ReadOnlySpan<byte> entry)
    {
        if (Carry.Length < entry.Length)
        {
            Carry = new byte[Math.Max(entry.Length, 64 * 1024)];
        }

        entry.CopyTo(Carry);
        CarryLength = entry.Length;
    }

    public void Dispose() => Iterator.Dispose();
}
