using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Tributary.Streams.Processors;

/// <summary>
/// Keeps a topic's raw records in compressed files partitioned by time, like Secor: under the backup directory
/// (default <c>DATA/backups</c>), <c>&lt;topic&gt;/&lt;yyyy-MM-dd&gt;/&lt;HH&gt;/&lt;partition&gt;-&lt;first offset&gt;.jsonl.gz</c>, each line one record
/// (<c>{"partition","offset","timestamp","key","value"}</c>, key and value as UTF-8 text). The hour is the first record's.
/// </summary>
/// <remarks>
/// A file is written to a temporary name, flushed to disk and renamed, and only then is the input offset committed. A
/// chunk processed again after a crash starts at the same offset and so rewrites the same file (with at least the same
/// records): no record is backed up twice or lost. <see cref="BackupArchive"/> reads the files back.
/// </remarks>
public sealed class BackupSink : StreamSink
{
    /// <summary>Records a backup file holds at most.</summary>
    public const int FileRecords = 10_000;

    /// <summary>How much JSON text is handed to the compressor at a time.</summary>
    private const int BlockBytes = 1 << 16;

    private readonly string _root;

    public BackupSink(ProcessorDefinition definition, ProcessorMetrics metrics, string dataDirectory)
        : base(definition, metrics)
    {
        _root = BackupArchive.Root(dataDirectory, definition);
    }

    /// <inheritdoc/>
    public override int ChunkRecords => FileRecords;

    /// <inheritdoc/>
    public override long? StartOffset(int partition) => null;

    /// <inheritdoc/>
    public override async Task WriteAsync(IReadOnlyList<IReadOnlyList<StoredRecord>> chunks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        foreach (var chunk in chunks)
        {
            await WriteFileAsync(chunk, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One chunk as one file, named by its partition and first offset (a replayed chunk replaces its file).</summary>
    private async Task WriteFileAsync(IReadOnlyList<StoredRecord> records, CancellationToken cancellationToken)
    {
        var first = records[0];
        var partition = first.Partition;
        var dir = Path.Combine(_root, first.Topic, first.Timestamp.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), first.Timestamp.ToString("HH", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"{partition}-{first.Offset:D20}.jsonl.gz");
        var temp = path + ".tmp";
        await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            // Lines are built in memory and handed to the compressor in blocks: a flush per record would make the
            // compressor end a block per record (slow, and barely compressed).
            var lines = new ArrayBufferWriter<byte>(BlockBytes + 4096);
            await using (var gzip = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true))
            {
                using var writer = new Utf8JsonWriter(lines);
                foreach (var r in records)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("partition", r.Partition);
                    writer.WriteNumber("offset", r.Offset);
                    writer.WriteString("timestamp", r.Timestamp);
                    if (r.Key is null)
                    {
                        writer.WriteNull("key");
                    }
                    else
                    {
                        writer.WriteString("key", Encoding.UTF8.GetString(r.Key));
                    }

                    writer.WriteString("value", Encoding.UTF8.GetString(r.Value));
                    writer.WriteEndObject();
                    writer.Flush();
                    writer.Reset();
                    lines.Write("\n"u8);
                    if (lines.WrittenCount >= BlockBytes)
                    {
                        await gzip.WriteAsync(lines.WrittenMemory, cancellationToken).ConfigureAwait(false);
                        lines.ResetWrittenCount();
                    }
                }

                await gzip.WriteAsync(lines.WrittenMemory, cancellationToken).ConfigureAwait(false);
            }

            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        Metrics.Add("backup-record-count", records.Count);
        Metrics.Add("backup-file-count");
    }
}
