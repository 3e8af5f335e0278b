using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Tributary.Streams.Processors;

/// <summary>
/// A <see cref="DedupStore"/>'s stored keys in the order they were stored: entries addressed by a sequence number that
/// grows by one with each <see cref="Append"/>, dropped from the front (<see cref="DropFirst"/>). Entries in
/// <c>[Head, Tail)</c> are addressable; a superseded entry is overwritten with <c>default</c> (its key null).
/// </summary>
/// <remarks>
/// Implementation note: the entries live in fixed-size chunks held in a ring, so growing never copies an entry and never
/// allocates one big array (a <see cref="Queue{T}"/> of millions of keys doubles into arrays of tens of MB, copying as
/// it goes, which the garbage collector then has to reclaim); a chunk emptied at the front is kept and reused at the
/// back. Not thread-safe.
/// </remarks>
internal sealed class DedupEntryLog
{
    // 4,096 entries of 32 bytes: a 128 KiB chunk.
    private const int ChunkBits = 12;
    private const int ChunkSize = 1 << ChunkBits;
    private const int ChunkMask = ChunkSize - 1;

    // The chunk holding sequence number s is _chunks[(s >> ChunkBits) & (_chunks.Length - 1)]; the ring's length is a
    // power of two and at least the number of chunks from Head's to Tail's.
    private Entry[]?[] _chunks = new Entry[1][];
    private Entry[]? _spare;

    /// <summary>The sequence number of the first entry still held.</summary>
    public long Head { get; private set; }

    /// <summary>The sequence number the next <see cref="Append"/> gets.</summary>
    public long Tail { get; private set; }

    /// <summary>The entries held, superseded ones included.</summary>
    public long Count => Tail - Head;

    /// <summary>The entry with sequence number <paramref name="sequence"/>, which must be in <c>[Head, Tail)</c>.</summary>
    public ref Entry this[long sequence]
    {
        get
        {
            Debug.Assert(sequence >= Head && sequence < Tail, $"entry {sequence} is not in [{Head}, {Tail})");
            return ref _chunks[(int)(sequence >> ChunkBits) & (_chunks.Length - 1)]![(int)sequence & ChunkMask];
        }
    }

    /// <summary>Adds <paramref name="entry"/> at the back; returns its sequence number.</summary>
    public long Append(in Entry entry)
    {
        var sequence = Tail;
        var offset = (int)sequence & ChunkMask;
        if (offset == 0)
        {
            AddChunk(sequence >> ChunkBits);
        }

        _chunks[(int)(sequence >> ChunkBits) & (_chunks.Length - 1)]![offset] = entry;
        Tail = sequence + 1;
        return sequence;
    }

    /// <summary>Drops the first entry (there must be one).</summary>
    public void DropFirst()
    {
        Debug.Assert(Head < Tail, "the log is empty");
        this[Head] = default;
        Head++;
        if (((int)Head & ChunkMask) == 0)
        {
            // The chunk just emptied: keep one for the back, so a log whose size stays put stops allocating.
            ref var chunk = ref _chunks[(int)((Head - 1) >> ChunkBits) & (_chunks.Length - 1)];
            _spare ??= chunk;
            chunk = null;
        }
    }

    private void AddChunk(long number)
    {
        var headChunk = Head >> ChunkBits;
        if (number - headChunk + 1 > _chunks.Length)
        {
            var ring = new Entry[]?[_chunks.Length * 2];
            for (var c = headChunk; c < number; c++)
            {
                ring[(int)c & (ring.Length - 1)] = _chunks[(int)c & (_chunks.Length - 1)];
            }

            _chunks = ring;
        }

        _chunks[(int)number & (_chunks.Length - 1)] = _spare ?? new Entry[ChunkSize];
        _spare = null;
    }

    /// <summary>
    /// A stored key: its expiry (UTC ticks), where it was first seen, and its UTF-8 length; <c>default</c> (a null key)
    /// once superseded or dropped.
    /// </summary>
    [StructLayout(LayoutKind.Auto)]
    public readonly record struct Entry(string? Key, long ExpiryTicks, long Offset, int SourceId, int KeyBytes);
}
