using System.Text.Json;
using System.Text.Unicode;

namespace Tributary.Streams.Processors;

/// <summary>
/// What a processor does with each input record: zero or more outputs to its roles, and counts. Called by one thread
/// at a time, record by record, in offset order per partition.
/// </summary>
/// <remarks>
/// A processor must be deterministic: the same input record (same topic, partition, offset) must give the same outputs
/// every time, because after a crash the records after the last committed offset are processed again and the log
/// writes only what did not survive (<see cref="IEventLog.AppendOnceAsync"/>). State a processor keeps (a dedup store)
/// must answer a replayed record as it did the first time.
/// </remarks>
public abstract class StreamProcessor : IDisposable
{
    protected StreamProcessor(ProcessorDefinition definition, ProcessorMetrics metrics)
    {
        Definition = definition ?? throw new ArgumentNullException(nameof(definition));
        Metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
    }

    public ProcessorDefinition Definition { get; }

    public ProcessorMetrics Metrics { get; }

    /// <summary>Sees a chunk before its records are processed one by one (a denormalizer reads the keys it lacks in one query).</summary>
    public virtual void Prepare(IReadOnlyList<StoredRecord> chunk)
    {
    }

    /// <summary>Processes one record, adding its outputs to <paramref name="outputs"/>.</summary>
    public abstract void Process(StoredRecord record, List<ProcessorOutput> outputs);

    /// <summary>
    /// Parses a record that must be a JSON object; when it is not (not UTF-8, not JSON, or another JSON value), sends it unchanged
    /// to <c>failed</c>, counts <paramref name="failedMetric"/> and returns null. The caller disposes the document.
    /// </summary>
    protected JsonDocument? ParseObjectOrFail(StoredRecord record, List<ProcessorOutput> outputs, string failedMetric = "failed-event-count")
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(outputs);
        JsonDocument? doc = null;
        try
        {
            // JSON parsing leaves strings' UTF-8 unchecked (reading such a string later throws): not UTF-8 is not JSON.
            if (Utf8.IsValid(record.Value))
            {
                doc = JsonDocument.Parse(record.Value);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    return doc;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: failed like any other value that is not an object.
        }

        doc?.Dispose();
        outputs.Add(new ProcessorOutput("failed", record.Key, record.Value, record.Offset));
        Metrics.Add(failedMetric);
        return null;
    }

    /// <summary>Makes the processor's own state durable (called after its outputs are durable, before its input offset is committed).</summary>
    public virtual void Flush()
    {
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
