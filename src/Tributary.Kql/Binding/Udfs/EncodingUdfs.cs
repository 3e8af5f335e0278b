using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using System.Web;

namespace Tributary.Kql.Binding.Udfs;

/// <summary>
/// Kusto's encodings where the engine has none with the same rules: URL encoding as .NET's <c>HttpUtility</c> does
/// it (lower-case escapes, <c>+</c> or <c>%20</c> for a space), strict base64 (padding required) to text, guids and
/// byte arrays, and zlib and gzip as Kusto writes them (stored blocks, a gzip header without flags). Input that does
/// not decode gives null (an empty string where the result is text); nothing here throws.
/// </summary>
internal static class EncodingUdfs
{
    /// <summary>The most a decompression may produce; more gives "" rather than exhausting memory.</summary>
    private const int MaxDecompressedBytes = 64 * 1024 * 1024;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static IReadOnlyList<ScalarUdf> All { get; } =
    [
        ScalarUdf.Create<string, string>("kql_url_encode", text => HttpUtility.UrlEncode(text, Utf8NoBom)),
        ScalarUdf.Create<string, string>("kql_url_encode_component", text => HttpUtility.UrlEncode(text, Utf8NoBom).Replace("+", "%20", StringComparison.Ordinal)),
        ScalarUdf.Create<string, string>("kql_url_decode", text => HttpUtility.UrlDecode(text, Utf8NoBom)),
        ScalarUdf.Create<string, string>("kql_base64_decode_tostring", text => TryDecodeBase64(text) is { } bytes && Utf8.IsValid(bytes) ? Utf8NoBom.GetString(bytes) : ""),
        ScalarUdf.Create<string, string?>("kql_base64_decode_toarray", text => TryDecodeBase64(text) is { } bytes ? JsonSerializer.Serialize(Array.ConvertAll(bytes, b => (int)b)) : null),
        ScalarUdf.Create<string, string>("kql_base64_encode_fromarray", json => TryReadBytes(json) is { } bytes ? Convert.ToBase64String(bytes) : ""),
        ScalarUdf.Create<string, Guid?>("kql_base64_decode_toguid", text => TryDecodeBase64(text) is { Length: 16 } bytes ? new Guid(bytes) : null),
        ScalarUdf.Create<Guid, string>("kql_base64_encode_fromguid", guid => Convert.ToBase64String(guid.ToByteArray())),
        ScalarUdf.Create<string, string>("kql_zlib_compress", text => Compress(text, gzip: false)),
        ScalarUdf.Create<string, string>("kql_zlib_decompress", text => Decompress(text, gzip: false)),
        ScalarUdf.Create<string, string>("kql_gzip_compress", text => Compress(text, gzip: true)),
        ScalarUdf.Create<string, string>("kql_gzip_decompress", text => Decompress(text, gzip: true)),
    ];

    private static byte[]? TryDecodeBase64(string text)
    {
        var bytes = new byte[(text.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(text, bytes, out var written) ? bytes[..written] : null;
    }

    /// <summary>A JSON array of whole numbers from 0 to 255 as bytes; null for anything else.</summary>
    private static byte[]? TryReadBytes(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var bytes = new byte[document.RootElement.GetArrayLength()];
            var i = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Number || !element.TryGetByte(out bytes[i++]))
                {
                    return null;
                }
            }

            return bytes;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Implementation note: Kusto's documented outputs are stored (uncompressed) deflate blocks, with the gzip header's
    // extra-flags byte 0 and operating system 255 (unknown); .NET writes the same blocks at NoCompression and differs in
    // those two header bytes only. For no bytes at all .NET writes nothing, so the empty streams are spelled out.
    private static string Compress(string text, bool gzip)
    {
        if (text.Length == 0)
        {
            return gzip ? "H4sIAAAAAAAA/wEAAP//AAAAAAAAAAA=" : "eAEBAAD//wAAAAE=";
        }

        using var buffer = new MemoryStream();
        using (Stream compressor = gzip ? new GZipStream(buffer, CompressionLevel.NoCompression) : new ZLibStream(buffer, CompressionLevel.NoCompression))
        {
            compressor.Write(Utf8NoBom.GetBytes(text));
        }

        var bytes = buffer.ToArray();
        if (gzip)
        {
            (bytes[8], bytes[9]) = (0, 0xff);
        }

        return Convert.ToBase64String(bytes);
    }

    /// <summary>The text a base64 string of zlib or gzip data holds; "" when it is not base64, not such data or not UTF-8.</summary>
    private static string Decompress(string text, bool gzip)
    {
        if (TryDecodeBase64(text) is not { } bytes || (gzip && !IsPlainGzipHeader(bytes)))
        {
            return "";
        }

        try
        {
            using var input = new MemoryStream(bytes);
            using Stream decompressor = gzip ? new GZipStream(input, CompressionMode.Decompress) : new ZLibStream(input, CompressionMode.Decompress);
            return ReadBounded(decompressor) is { } result && Utf8.IsValid(result) ? Utf8NoBom.GetString(result) : "";
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return "";
        }
    }

    /// <summary>All of a stream, or null past <see cref="MaxDecompressedBytes"/> (a small input can inflate to gigabytes).</summary>
    private static byte[]? ReadBounded(Stream stream)
    {
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        for (var read = stream.Read(buffer); read > 0; read = stream.Read(buffer))
        {
            if (output.Length + read > MaxDecompressedBytes)
            {
                return null;
            }

            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }

    // As Kusto documents: the magic bytes, deflate, and no flags (so no optional header fields).
    private static bool IsPlainGzipHeader(byte[] bytes) => bytes is [0x1f, 0x8b, 8, 0, ..] && bytes.Length >= 18;
}
