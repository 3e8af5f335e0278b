using System.Buffers;
using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Tributary.Streams.Ingest;

namespace Tributary.Server;

/// <summary>
/// A request body read into pooled memory, gzip-decoded when <c>Content-Encoding: gzip</c> says so. The limit counts
/// the bytes after decoding, and reading stops as soon as it is passed, so a small compressed body that expands
/// without end (a zip bomb) costs at most the limit. Return the memory with <see cref="Dispose"/>.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    private byte[] _buffer;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>Reads the whole body, up to <paramref name="limit"/> bytes (decoded).</summary>
    /// <exception cref="IngestException">Larger than the limit (413), an encoding other than gzip (415), or not valid gzip (400).</exception>
    public static async Task<RequestBody> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var encoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        var gzip = encoding switch
        {
            "" or "identity" => false,
            "gzip" or "x-gzip" => true,
            _ => throw new IngestException(IngestErrorCodes.UnsupportedMediaType, $"Content-Encoding '{encoding}' is not supported; send the body as is or gzip'd (Content-Encoding: gzip)", IngestRejection.UnsupportedMediaType),
        };
        var tooLarge = $"the request body is larger than {Describe(limit)}{(gzip ? " once decompressed" : "")}; send smaller batches";
        if (request.ContentLength > limit)
        {
            throw new IngestException(IngestErrorCodes.BodyTooLarge, tooLarge, IngestRejection.TooLarge);
        }

        var source = gzip ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true) : request.Body;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(request.ContentLength ?? 0, 16 * 1024) * (gzip ? 4 : 1), (long)limit + 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, (long)limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read;
                try
                {
                    read = await source.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidDataException e)
                {
                    throw new IngestException(IngestErrorCodes.InvalidEncoding, $"the body is not valid gzip (Content-Encoding: gzip): {e.Message}");
                }

                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limit)
                {
                    throw new IngestException(IngestErrorCodes.BodyTooLarge, tooLarge, IngestRejection.TooLarge);
                }
            }

            var body = new RequestBody(buffer, length);
            buffer = null!;
            return body;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (gzip)
            {
                await source.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    /// <summary>A limit for people: "10 MB", "512 KB", "100 bytes".</summary>
    public static string Describe(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MB" : bytes % 1024 == 0 ? $"{bytes / 1024} KB" : $"{bytes:N0} bytes";
}
