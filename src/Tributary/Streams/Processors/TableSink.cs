using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using Tributary.Kql;
using Tributary.Store;

namespace Tributary.Streams.Processors;

/// <summary>
/// Puts events into a store table, one extent per pass, mapping columns to event fields (<c>columns: {Eid: eid,
/// Timestamp: ets, ActorId: actor.id, Context: context}</c>); a column not mapped takes the field of its own name. The
/// rows and the sink's input offsets commit in the same store transaction, so a crash puts no event into the table
/// twice and loses none.
/// </summary>
/// <remarks>
/// Conversions by column type: datetime from epoch milliseconds (a number) or ISO-8601 text; numbers and bools from
/// JSON numbers, bools or their text; string from a string (other values as their JSON); dynamic as the value's JSON.
/// A value that does not convert is stored as null and counted (<c>field-conversion-failed-count</c>). Records that
/// are not JSON objects (or not UTF-8) are counted <c>failed-event-count</c> and skipped.
/// </remarks>
public sealed class TableSink : StreamSink
{
    /// <summary>The setting that names each column's field: <c>columns.&lt;Column&gt;</c>.</summary>
    public const string ColumnPrefix = "columns.";

    private readonly TributaryStore _store;
    private readonly string _table;
    private readonly (KqlColumn Column, JsonPath Path)[] _columns;
    private long _storeTicks;

    public TableSink(ProcessorDefinition definition, ProcessorMetrics metrics, TributaryStore store)
        : base(definition, metrics)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _table = definition.Setting("table", "");
        if (!store.Catalog.TryGetTable(_table, out var schema))
        {
            throw new StreamException($"processor '{definition.Name}' writes to table '{_table}', which does not exist");
        }

        _columns = schema.Columns.Select(c => (c, JsonPath.Parse(definition.Setting(ColumnPrefix + c.Name, c.Name)))).ToArray();
    }

    /// <summary>The time spent in the store's transactions so far (the rest of <see cref="WriteAsync"/> is reading the events), for benchmarks.</summary>
    public TimeSpan StoreTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _storeTicks));

    /// <inheritdoc/>
    public override long? StartOffset(int partition)
    {
        var rows = _store.LedgerQuery("SELECT next_offset FROM tributary_meta.sink_offsets WHERE sink = ? AND topic = ? AND part = ?", Definition.Name, Definition.Input, partition);
        return rows.Count == 0 ? null : (long)rows[0][0]!;
    }

    /// <inheritdoc/>
    /// <remarks>The whole pass is one extent and one store transaction, tagged with each chunk's offsets.</remarks>
    public override Task WriteAsync(IReadOnlyList<IReadOnlyList<StoredRecord>> chunks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var rows = new List<object?[]>(chunks.Sum(c => c.Count));
        foreach (var chunk in chunks)
        {
            AddRows(chunk, rows);
        }

        var tags = new List<string> { $"sink:{Definition.Name}" };
        tags.AddRange(chunks.Select(c => $"offsets:{Definition.Input}/{c[0].Partition}/{c[0].Offset}-{c[^1].Offset}"));
        var started = Stopwatch.GetTimestamp();
        _store.AppendRows(_table, rows, tags, ledger =>
        {
            foreach (var chunk in chunks)
            {
                var partition = chunk[0].Partition;
                ledger.Execute("DELETE FROM tributary_meta.sink_offsets WHERE sink = ? AND topic = ? AND part = ?", Definition.Name, Definition.Input, partition);
                ledger.Execute("INSERT INTO tributary_meta.sink_offsets VALUES (?, ?, ?, ?)", Definition.Name, Definition.Input, partition, chunk[^1].Offset + 1);
            }
        });
        Interlocked.Add(ref _storeTicks, Stopwatch.GetTimestamp() - started);
        Metrics.Add("success-event-count", rows.Count);
        return Task.CompletedTask;
    }

    /// <summary>A row for each record of <paramref name="records"/> that is a JSON object.</summary>
    private void AddRows(IReadOnlyList<StoredRecord> records, List<object?[]> rows)
    {
        foreach (var record in records)
        {
            JsonDocument doc;
            try
            {
                // JSON parsing leaves strings' UTF-8 unchecked; the store must not get text that is not UTF-8.
                doc = Utf8.IsValid(record.Value) ? JsonDocument.Parse(record.Value) : throw new JsonException("not UTF-8");
            }
            catch (JsonException)
            {
                Metrics.Add("failed-event-count");
                continue;
            }

            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    Metrics.Add("failed-event-count");
                    continue;
                }

                var row = new object?[_columns.Length];
                for (var i = 0; i < _columns.Length; i++)
                {
                    var (column, path) = _columns[i];
                    if (path.TryGet(doc.RootElement, out var value) && value.ValueKind != JsonValueKind.Null)
                    {
                        row[i] = Convert(value, column.Type, record.Value);
                        if (row[i] is null)
                        {
                            Metrics.Add("field-conversion-failed-count");
                        }
                    }
                }

                rows.Add(row);
            }
        }
    }

    /// <summary>
    /// The value as the column's type, or null when it does not convert. Text (dynamic values, and strings without
    /// escapes) comes as the UTF-8 bytes of <paramref name="source"/>, the record <paramref name="value"/> was parsed
    /// from, so the store appends it without making a string of it first.
    /// </summary>
    internal static object? Convert(JsonElement value, KqlType type, byte[] source)
    {
        switch (type)
        {
            case KqlType.Dynamic:
                return Utf8Slice(source, JsonMarshal.GetRawUtf8Value(value));
            case KqlType.String:
                if (value.ValueKind != JsonValueKind.String)
                {
                    return Utf8Slice(source, JsonMarshal.GetRawUtf8Value(value));
                }

                var quoted = JsonMarshal.GetRawUtf8Value(value);
                var text = quoted[1..^1];
                return text.Contains((byte)'\\') ? value.GetString() : Utf8Slice(source, text);
            case KqlType.DateTime:
                if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var ms) && ms is > -62135596800000L and < 253402300800000L)
                {
                    return DateTime.UnixEpoch.AddMilliseconds(ms);
                }

                return value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dto)
                    ? dto.UtcDateTime
                    : null;
            case KqlType.Bool:
                return value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.String when bool.TryParse(value.GetString(), out var b) => b,
                    _ => null,
                };
            case KqlType.Int or KqlType.Long or KqlType.Real or KqlType.Decimal:
                var number = value.ValueKind switch
                {
                    JsonValueKind.Number => value.GetRawText(),
                    JsonValueKind.String => value.GetString(),
                    _ => null,
                };
                return number is null ? null : type switch
                {
                    KqlType.Int => int.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null,
                    KqlType.Long => long.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : null,
                    KqlType.Real => double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
                    _ => decimal.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) ? m : null,
                };
            case KqlType.Guid:
                return value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var g) ? g : null;
            case KqlType.TimeSpan:
                return value.ValueKind == JsonValueKind.String && TimeSpan.TryParse(value.GetString(), CultureInfo.InvariantCulture, out var t) ? t : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// <paramref name="part"/> as the slice of <paramref name="source"/> it lies in (JsonDocument parses a byte array in
    /// place), or as a copy should it lie elsewhere.
    /// </summary>
    private static ReadOnlyMemory<byte> Utf8Slice(byte[] source, ReadOnlySpan<byte> part)
    {
        var offset = Unsafe.ByteOffset(ref MemoryMarshal.GetArrayDataReference(source), ref MemoryMarshal.GetReference(part));
        return offset >= 0 && offset + part.Length <= source.Length
            ? new ReadOnlyMemory<byte>(source, (int)offset, part.Length)
            : part.ToArray();
    }
}
