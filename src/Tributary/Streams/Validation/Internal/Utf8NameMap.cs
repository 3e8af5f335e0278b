using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Text;

namespace Tributary.Streams.Validation.Internal;

/// <summary>
/// An immutable map from property names to values, looked up by UTF-8 bytes so a document's property names
/// need no string. Open addressing over a power-of-two table at most half full.
/// </summary>
internal sealed class Utf8NameMap<T>
{
    private readonly byte[][] _keys;
    private readonly T[] _values;
    private readonly int[] _slots; // index into _keys + 1; 0 = empty
    private readonly int _mask;

    /// <summary>Builds the map; names must be distinct.</summary>
    public Utf8NameMap(IReadOnlyList<KeyValuePair<string, T>> entries)
    {
        _keys = new byte[entries.Count][];
        _values = new T[entries.Count];
        var size = 4;
        while (size < entries.Count * 2)
        {
            size *= 2;
        }

        _slots = new int[size];
        _mask = size - 1;
        for (var i = 0; i < entries.Count; i++)
        {
            _keys[i] = Encoding.UTF8.GetBytes(entries[i].Key);
            _values[i] = entries[i].Value;
            var slot = (int)(Hash(_keys[i]) & (uint)_mask);
            while (_slots[slot] != 0)
            {
                if (_keys[_slots[slot] - 1].AsSpan().SequenceEqual(_keys[i]))
                {
                    throw new ArgumentException($"duplicate name '{entries[i].Key}'", nameof(entries));
                }

                slot = (slot + 1) & _mask;
            }

            _slots[slot] = i + 1;
        }
    }

    public int Count => _keys.Length;

    /// <summary>The entries, in the order given.</summary>
    public IReadOnlyList<KeyValuePair<string, T>> Entries => [.. _keys.Select((k, i) => KeyValuePair.Create(Encoding.UTF8.GetString(k), _values[i]))];

    public bool TryGetValue(ReadOnlySpan<byte> name, [MaybeNullWhen(false)] out T value)
    {
        var slot = (int)(Hash(name) & (uint)_mask);
        while (true)
        {
            var index = _slots[slot] - 1;
            if (index < 0)
            {
                value = default;
                return false;
            }

            if (name.SequenceEqual(_keys[index]))
            {
                value = _values[index];
                return true;
            }

            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>
    /// Length, first four and last four bytes, mixed: property names are short, and for a hash table of a
    /// schema's few names that separates them as well as hashing every byte, at a fraction of the cost.
    /// </summary>
    private static uint Hash(ReadOnlySpan<byte> name)
    {
        uint hash;
        if (name.Length >= 4)
        {
            hash = BinaryPrimitives.ReadUInt32LittleEndian(name) ^ BitOperations.RotateLeft(BinaryPrimitives.ReadUInt32LittleEndian(name[^4..]), 13);
        }
        else
        {
            hash = 0;
            foreach (var b in name)
            {
                hash = (hash << 8) | b;
            }
        }

        hash = (hash ^ (uint)name.Length) * 0x9E3779B1u;
        return hash ^ (hash >> 15);
    }
}
