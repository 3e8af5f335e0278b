using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tributary.Streams.Ingest;

/// <summary>Whether ingestion is paused, and since when (UTC).</summary>
public sealed record IngestionStatus(bool Paused, DateTime? Since)
{
    /// <summary>One line for people: the state and what it means.</summary>
    public string Describe() => Paused
        ? $"ingestion is paused since {Since?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}: the telemetry and producer APIs answer 503 (Retry-After) and clients retry; " +
          "the log keeps what it holds for each topic's retention; resume with: tributary ingestion resume"
        : "ingestion is running: the telemetry and producer APIs append what they receive";
}

/// <summary>
/// The ingestion switch of a data directory (seed 004: pause intake without losing data): a paused flag kept in
/// <c>DATA/streams/ingestion.json</c>, so it survives restarts. While paused, producers are refused (and retry);
/// nothing already in the log is touched. Thread-safe.
/// </summary>
public sealed class IngestionGate
{
    /// <summary>The file's name inside <c>DATA/streams</c>.</summary>
    public const string FileName = "ingestion.json";

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private IngestionStatus _status;

    private IngestionGate(string path, TimeProvider time, IngestionStatus status)
    {
        _path = path;
        _time = time;
        _status = status;
    }

    /// <summary>Reads the switch of a data directory (running when the file is missing).</summary>
    /// <exception cref="StreamException">The file is damaged.</exception>
    public static IngestionGate Open(string dataDirectory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        var path = Path.Combine(dataDirectory, FasterEventLog.DirectoryName, FileName);
        var status = new IngestionStatus(false, null);
        if (File.Exists(path))
        {
            try
            {
                var stored = JsonSerializer.Deserialize(File.ReadAllBytes(path), IngestionJsonContext.Default.StoredIngestion) ?? throw new JsonException("the file is empty");
                status = new IngestionStatus(stored.Paused, stored.Since);
            }
            catch (JsonException e)
            {
                throw new StreamException($"{path} is damaged ({e.Message}); delete it to let ingestion run", e);
            }
        }

        return new IngestionGate(path, time ?? TimeProvider.System, status);
    }

    /// <summary>The current state.</summary>
    public IngestionStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    /// <summary>True while paused.</summary>
    public bool IsPaused => Status.Paused;

    /// <summary>Pauses ingestion (already paused: unchanged, keeps its time) and saves the state durably.</summary>
    public IngestionStatus Pause() => Set(true);

    /// <summary>Lets ingestion run again and saves the state durably.</summary>
    public IngestionStatus Resume() => Set(false);

    /// <summary>Refuses a producer while paused.</summary>
    /// <exception cref="IngestException">Paused (<see cref="IngestErrorCodes.IngestionPaused"/>).</exception>
    public void ThrowIfPaused()
    {
        var status = Status;
        if (status.Paused)
        {
            throw new IngestException(IngestErrorCodes.IngestionPaused,
                $"ingestion is paused (since {status.Since?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}); nothing was appended: retry later, or resume it with: tributary ingestion resume",
                IngestRejection.Paused);
        }
    }

    private IngestionStatus Set(bool paused)
    {
        lock (_gate)
        {
            if (_status.Paused == paused)
            {
                return _status;
            }

            var next = new IngestionStatus(paused, _time.GetUtcNow().UtcDateTime);
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            var temp = _path + ".tmp";
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(JsonSerializer.SerializeToUtf8Bytes(new StoredIngestion(next.Paused, next.Since), IngestionJsonContext.Default.StoredIngestion));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, _path, overwrite: true);
            _status = next;
            return next;
        }
    }
}

/// <summary>The persisted form of the switch: <c>{"paused": true, "since": "2024-05-23T10:00:00Z"}</c>.</summary>
internal sealed record StoredIngestion(
    [property: JsonPropertyName("paused")] bool Paused,
    [property: JsonPropertyName("since")] DateTime? Since);

[JsonSerializable(typeof(StoredIngestion))]
internal sealed partial class IngestionJsonContext : JsonSerializerContext;
