using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Tributary.Streams.Processors;

/// <summary>What a replay of backups put back: files read, records appended, and the topic they went to.</summary>
public sealed record ReplayResult(string Topic, string Into, int Files, long Records, DateTime From, DateTime To);

/// <summary>
/// Reads what backup sinks wrote and puts records back into a topic (<c>backups replay --topic T --from T --to T</c>):
/// every backed-up record of the topic whose timestamp lies in <c>[from, to)</c>, in file order, keys and timestamps kept.
/// </summary>
public static class BackupArchive
{
    /// <summary>The directory backups go to unless a sink names another: <c>DATA/backups</c>.</summary>
    public static string DefaultRoot(string dataDirectory) => Path.Combine(dataDirectory, "backups");

    /// <summary>Where a backup sink writes: its <c>directory</c> setting (relative to the data directory) or the default.</summary>
    public static string Root(string dataDirectory, ProcessorDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var setting = definition.Setting("directory", "");
        return setting.Length == 0 ? DefaultRoot(dataDirectory) : Path.GetFullPath(setting, dataDirectory);
    }

    /// <summary>Appends the backed-up records of <paramref name="topic"/> in <c>[from, to)</c> to <paramref name="into"/> (default: the same topic).</summary>
    /// <exception cref="StreamException">No backups of the topic, a target topic that does not exist, a damaged file, or from not before to.</exception>
    public static async Task<ReplayResult> ReplayAsync(IEventLog log, string root, string topic, DateTime from, DateTime to, string? into, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        FasterEventLog.ValidateName(topic, "topic");
        into ??= topic;
        if (from >= to)
        {
            throw new StreamException($"--from ({from:u}) must be before --to ({to:u})");
        }

        if (!log.HasTopic(into))
        {
            throw new StreamException($"topic '{into}' does not exist; create it (or apply the pipeline) before replaying into it");
        }

        var dir = Path.Combine(root, topic);
        if (!Directory.Exists(dir))
        {
            throw new StreamException($"there are no backups of topic '{topic}' in {root}");
        }

        var files = 0;
        long records = 0;
        // Files by hour; an hour's file may hold records of the next hours, so hours before 'from' count too.
        foreach (var file in Directory.EnumerateFiles(dir, "*.jsonl.gz", SearchOption.AllDirectories).Where(f => HourOf(dir, f) < to).Order(StringComparer.Ordinal))
        {
            var batch = Read(file).Where(r => r.Timestamp >= from && r.Timestamp < to).Select(r => new LogRecord(r.Key, r.Value, r.Timestamp)).ToList();
            files++;
            for (var i = 0; i < batch.Count; i += 1000)
            {
                await log.AppendAsync(into, batch.GetRange(i, Math.Min(1000, batch.Count - i)), cancellationToken).ConfigureAwait(false);
            }

            records += batch.Count;
        }

        return new ReplayResult(topic, into, files, records, from, to);
    }

    /// <summary>The records of one backup file.</summary>
    public static IEnumerable<(int Partition, long Offset, DateTime Timestamp, byte[]? Key, byte[] Value)> Read(string file)
    {
        using var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            (int, long, DateTime, byte[]?, byte[]) record;
            try
            {
                var e = JsonDocument.Parse(text).RootElement;
                var key = e.GetProperty("key");
                record = (e.GetProperty("partition").GetInt32(), e.GetProperty("offset").GetInt64(), e.GetProperty("timestamp").GetDateTime().ToUniversalTime(),
                    key.ValueKind == JsonValueKind.Null ? null : Encoding.UTF8.GetBytes(key.GetString()!), Encoding.UTF8.GetBytes(e.GetProperty("value").GetString()!));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new StreamException($"backup file {file} is damaged at line {line}: {ex.Message}", ex);
            }

            yield return record;
        }
    }

    private static DateTime HourOf(string topicDirectory, string file)
    {
        var parts = Path.GetRelativePath(topicDirectory, file).Split(Path.DirectorySeparatorChar);
        return parts.Length == 3 && DateTime.TryParseExact($"{parts[0]} {parts[1]}", "yyyy-MM-dd HH", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var hour)
            ? hour
            : DateTime.MinValue;
    }
}
