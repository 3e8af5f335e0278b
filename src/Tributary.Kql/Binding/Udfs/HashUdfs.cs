using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Tributary.Kql.Binding.Udfs;

/// <summary>
/// Kusto's xxhash64 (what <c>hash()</c> and <c>hash_xxhash64()</c> return): of a string's UTF-8 bytes, of a long's (a
/// datetime's or timespan's ticks) eight little-endian bytes; with a modulo, the hash taken as unsigned, modulo it.
/// </summary>
internal static class HashUdfs
{
    public static IReadOnlyList<ScalarUdf> All { get; } =
    [
        ScalarUdf.Create<string?, long?>("kql_xxhash64_text", text => text is null ? null : (long)OfText(text)),
        ScalarUdf.Create<string?, long, long?>("kql_xxhash64_text_mod", (text, modulo) => text is null ? null : Modulo(OfText(text), modulo)),
        ScalarUdf.Create<long, long>("kql_xxhash64_long", value => (long)OfLong(value)),
        ScalarUdf.Create<long, long, long?>("kql_xxhash64_long_mod", (value, modulo) => Modulo(OfLong(value), modulo)),
    ];

    private static ulong OfText(string text) => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(text));

    private static ulong OfLong(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return XxHash64.HashToUInt64(bytes);
    }

    // A modulo that is not positive gives null (a C# function never throws on data).
    private static long? Modulo(ulong hash, long modulo) => modulo > 0 ? (long)(hash % (ulong)modulo) : null;
}
