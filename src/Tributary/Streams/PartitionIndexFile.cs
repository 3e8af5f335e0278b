using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Tributary.Streams;

/// <summary>A batch of a partition's log: its first offset, its address in the log, its first record's timestamp and the newest of its records' timestamps.</summary>
internal readonly record struct IndexedBatch(long Offset, long Address, long FirstTicks, long MaxTicks);

/// <summary>The newest stamp a producer left, and the address of the batch that carries it.</summary>
internal readonly record struct IndexedStamp(string Producer, ProducerStamp Stamp, long Address);

/// <summary>
/// What a partition knew of its log when it closed: the batch index up to <see cref="EndAddress"/>, the offset after
/// it, the newest timestamp, and the producers' stamps. Opening reads it and scans only the log after
/// <see cref="EndAddress"/>, instead of the whole log.
/// </summary>
internal sealed record PartitionIndex(long EndAddress, long NextOffset, long LatestTicks, IReadOnlyList<IndexedBatch> Batches, IReadOnlyList<IndexedStamp> Stamps);

/// <summary>
/// Reads and writes a <see cref="PartitionIndex"/> as a file beside the log (little-endian, an xxHash64 of the content at
/// the end). The log is append-only and only loses batches at its start, so an index written at any earlier close still
/// describes a prefix of the log: a reader drops the batches retention removed since and scans on from its end.
/// </summary>
internal static class PartitionIndexFile
{
    public const string FileName = "index";

    private static ReadOnlySpan<byte> Magic => "TRXI"u8;

    private const int Version = 2;

    /// <summary>Writes the index to a new file and moves it over the old one (a torn file fails its hash and is ignored).</summary>
    public static void Write(string directory, PartitionIndex index)
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write(index.EndAddress);
            w.Write(index.NextOffset);
            w.Write(index.LatestTicks);
            w.Write(index.Batches.Count);
            foreach (var b in index.Batches)
            {
                w.Write(b.Offset);
                w.Write(b.Address);
                w.Write(b.FirstTicks);
                w.Write(b.MaxTicks);
            }

            w.Write(index.Stamps.Count);
            foreach (var s in index.Stamps)
            {
                w.Write(s.Producer);
                w.Write(s.Stamp.Sequence);
                w.Write(s.Stamp.Part);
                w.Write(s.Address);
            }
        }

        var content = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        Span<byte> hash = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(hash, XxHash64.HashToUInt64(content));
        var path = Path.Combine(directory, FileName);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(content);
            file.Write(hash);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The index in <paramref name="directory"/>, or null when there is none or it is not whole (the caller scans the log).</summary>
    public static PartitionIndex? TryRead(string directory)
    {
        var path = Path.Combine(directory, FileName);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        if (bytes.Length < Magic.Length + 4 + 8 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic) ||
            XxHash64.HashToUInt64(bytes.AsSpan(0, bytes.Length - 8)) != BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(bytes.Length - 8)))
        {
            return null;
        }

        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - 8), Encoding.UTF8);
            r.ReadBytes(Magic.Length);
            if (r.ReadInt32() != Version)
            {
                return null;
            }

            var (end, next, latest) = (r.ReadInt64(), r.ReadInt64(), r.ReadInt64());
            var batches = new IndexedBatch[r.ReadInt32()];
            for (var i = 0; i < batches.Length; i++)
            {
                batches[i] = new IndexedBatch(r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64());
            }

            var stamps = new IndexedStamp[r.ReadInt32()];
            for (var i = 0; i < stamps.Length; i++)
            {
                stamps[i] = new IndexedStamp(r.ReadString(), new ProducerStamp(r.ReadInt64(), r.ReadInt32()), r.ReadInt64());
            }

            return new PartitionIndex(end, next, latest, batches, stamps);
        }
        catch (Exception e) when (e is EndOfStreamException or OverflowException or ArgumentOutOfRangeException or IOException)
        {
            return null;
        }
    }
}
