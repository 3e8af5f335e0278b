namespace Tributary.Streams;

/// <summary>
/// The idle <see cref="ReadCursor"/>s of one log's partitions, least recently returned first out when there are more than
/// <see cref="Capacity"/>. Thread-safe.
/// </summary>
/// <remarks>
/// Implementation note: an iterator that has read from the device holds FASTER's two page frames (2 × 2 MB, pinned), so
/// the cursors are capped across all partitions, not per partition: the memory they hold stays bounded however many
/// partitions a log has, and readers that catch up on many partitions at once still keep theirs while the cap allows.
/// </remarks>
internal sealed class ReadCursors(int capacity)
{
    private readonly Lock _gate = new();

    /// <summary>Most recently returned first.</summary>
    private readonly LinkedList<ReadCursor> _idle = [];

    public int Capacity { get; } = capacity;

    /// <summary>How many idle cursors are kept now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>
    /// Takes out <paramref name="owner"/>'s cursor at <paramref name="offset"/> (of <paramref name="generation"/>), or null
    /// when there is none; the caller owns it until it gives it back with <see cref="Return"/> or disposes it.
    /// </summary>
    public ReadCursor? Take(PartitionLog owner, long offset, long generation)
    {
        lock (_gate)
        {
            for (var node = _idle.First; node is not null; node = node.Next)
            {
                var cursor = node.Value;
                if (cursor.Owner == owner && cursor.NextOffset == offset && cursor.Generation == generation)
                {
                    _idle.Remove(node);
                    return cursor;
                }
            }

            return null;
        }
    }

    /// <summary>Keeps an idle cursor; returns the one it pushed out (the caller disposes it), if any.</summary>
    public ReadCursor? Return(ReadCursor cursor)
    {
        lock (_gate)
        {
            _idle.AddFirst(cursor);
            if (_idle.Count <= Capacity)
            {
                return null;
            }

            var last = _idle.Last!.Value;
            _idle.RemoveLast();
            return last;
        }
    }

    /// <summary>Takes out every idle cursor of <paramref name="owner"/> (the caller disposes them).</summary>
    public List<ReadCursor> Drop(PartitionLog owner)
    {
        var dropped = new List<ReadCursor>();
        lock (_gate)
        {
            var node = _idle.First;
            while (node is not null)
            {
                var next = node.Next;
                if (node.Value.Owner == owner)
                {
                    dropped.Add(node.Value);
                    _idle.Remove(node);
                }

                node = next;
            }
        }

        return dropped;
    }
}
