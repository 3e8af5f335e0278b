using System.Buffers.Binary;
using System.Numerics;

namespace Tributary.Streams.Processors;

/// <summary>
/// The on-disk format of a <see cref="DedupStore"/> (version 1): one append-only file, <c>dedup.journal</c>.
/// </summary>
/// <remarks>
/// <para>
/// Header, 12 bytes: the ASCII magic <c>TRBDEDUP</c>, then the format version as a little-endian u32 (1). The file is
/// created whole (written to <c>dedup.journal.tmp</c>, flushed, renamed), so a header is never torn.
/// </para>
/// <para>
/// Then entries, each framed as: payload length (u32 LE, 1 … <see cref="MaxPayload"/>), CRC-32C (Castagnoli, u32 LE)
/// of the four length bytes followed by the payload, then the payload. The payload's first byte is its kind:
/// </para>
/// <list type="bullet">
/// <item><description><see cref="SourceKind"/> (1): source id (u32 LE), then the source's name in UTF-8. Ids count
/// 0, 1, 2 … in file order; a source's entry comes before any key entry that names it.</description></item>
/// <item><description><see cref="KeyKind"/> (2): expiry (i64 LE, UTC ticks: stored-at + TTL), source id (u32 LE),
/// offset (i64 LE), then the key in UTF-8 (0 … <see cref="MaxKeyBytes"/> bytes). A later entry for the same key
/// replaces an earlier one.</description></item>
/// </list>
/// <para>
/// All integers are little-endian. A frame that is incomplete, has an impossible length or a wrong checksum ends
/// the journal: it and everything after it are cut when the store opens (a crash tears only the tail of an
/// append-only file). A frame whose checksum matches but whose payload makes no sense is corruption, not a torn
/// write, and fails the open. Compaction writes a new journal holding only the live keys (to the temporary name,
/// flushed, renamed over the old one), so a compacted journal is the snapshot.
/// </para>
/// <para>
/// While a store has the journal open, the file may run on past the last entry in zeros: space allocated ahead of the
/// writes, cut when the store closes. A length of 0 is impossible, so after a crash those zeros are cut like a torn
/// tail, by this reader and by readers older than the preallocation alike: the format is unchanged.
/// </para>
/// </remarks>
internal static class DedupJournal
{
    public const string FileName = "dedup.journal";
    public const string TempFileName = "dedup.journal.tmp";
    public const string LockFileName = "dedup.lock";
    public const uint FormatVersion = 1;
    public const int HeaderSize = 12;

    /// <summary>Frame: payload length, checksum.</summary>
    public const int FrameSize = 4 + 4;

    public const byte SourceKind = 1;
    public const byte KeyKind = 2;

    /// <summary>Source payload before the name: kind, id.</summary>
    public const int SourceFixed = 1 + 4;

    /// <summary>Key payload before the key: kind, expiry, source id, offset.</summary>
    public const int KeyFixed = 1 + 8 + 4 + 8;

    /// <summary>The longest key, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 1024;

    /// <summary>The longest source name, in UTF-8 bytes.</summary>
    public const int MaxSourceBytes = 1024;

    public const int MaxPayload = KeyFixed + MaxKeyBytes;

    /// <summary>The largest entry, frame included.</summary>
    public const int MaxEntry = FrameSize + MaxPayload;

    public static ReadOnlySpan<byte> Magic => "TRBDEDUP"u8;

    /// <summary>The bytes a key entry takes in the journal, frame included.</summary>
    public static int KeyEntrySize(int keyBytes) => FrameSize + KeyFixed + keyBytes;

    public static void WriteHeader(Span<byte> destination)
    {
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], FormatVersion);
    }

    /// <summary>
    /// Fills in a key entry at the start of <paramref name="entry"/> whose key bytes are already in place (after the
    /// frame and the fixed fields); returns the entry's size.
    /// </summary>
    public static int CompleteKeyEntry(Span<byte> entry, long expiryTicks, int sourceId, long offset, int keyBytes)
    {
        var payload = entry[FrameSize..];
        payload[0] = KeyKind;
        BinaryPrimitives.WriteInt64LittleEndian(payload[1..], expiryTicks);
        BinaryPrimitives.WriteUInt32LittleEndian(payload[9..], (uint)sourceId);
        BinaryPrimitives.WriteInt64LittleEndian(payload[13..], offset);
        return CompleteFrame(entry, KeyFixed + keyBytes);
    }

    /// <summary>Fills in a source entry whose name bytes are already in place; returns the entry's size.</summary>
    public static int CompleteSourceEntry(Span<byte> entry, int sourceId, int nameBytes)
    {
        var payload = entry[FrameSize..];
        payload[0] = SourceKind;
        BinaryPrimitives.WriteUInt32LittleEndian(payload[1..], (uint)sourceId);
        return CompleteFrame(entry, SourceFixed + nameBytes);
    }

    /// <summary>The checksum of a frame: CRC-32C of the four length bytes, then the payload.</summary>
    public static uint Checksum(ReadOnlySpan<byte> lengthBytes, ReadOnlySpan<byte> payload) =>
        ~Crc32C(Crc32C(uint.MaxValue, lengthBytes), payload);

    /// <summary>The CRC-32C (Castagnoli) register after <paramref name="data"/>, without the final inversion.</summary>
    public static uint Crc32C(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        if (data.Length >= 4)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt32LittleEndian(data));
            data = data[4..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }

    private static int CompleteFrame(Span<byte> entry, int payloadLength)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(entry, (uint)payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], Checksum(entry[..4], entry.Slice(FrameSize, payloadLength)));
        return FrameSize + payloadLength;
    }
}
