namespace Tributary.Streams.Processors;

/// <summary>
/// Runs one processor over its input topic: reads chunks of each partition from its position, hands them to the
/// processor, makes the outputs durable, and only then commits the input offset. After a crash (or a pause in the
/// middle of a chunk) the chunk is processed again and nothing is lost or written twice.
/// </summary>
/// <remarks>
/// Implementation note: outputs go through <see cref="IEventLog.AppendOnceAsync"/> with the producer name
/// <c>processor/partition/g{generation}</c> and the chunk's last input offset as sequence, so a replayed chunk writes
/// only the batches that did not survive; the first chunk after a restart ends where the chunk cut off by the crash
/// ended (the newest sequence in the outputs), so it gets the same sequence. The generation changes when an operator moves the group's offsets back,
/// so records re-read on purpose are written again. Records without a key go to the output partition their input
/// offset picks, so a replay sends them where they went the first time.
/// </remarks>
public sealed class ProcessorRunner : IDisposable
{
    /// <summary>Records a chunk holds at most.</summary>
    public const int ChunkRecords = 5_000;

    private readonly IEventLog _log;
    private readonly StreamProcessor? _processor;
    private readonly StreamSink? _sink;
    private long[] _next = [];
    private long[] _replayThrough = [];
    private readonly Dictionary<string, int> _partitions = new(StringComparer.Ordinal);
    private long _generation;
    private bool _positioned;

    private ProcessorRunner(IEventLog log, ProcessorDefinition definition, ProcessorMetrics metrics, StreamProcessor? processor, StreamSink? sink)
    {
        _log = log;
        Definition = definition;
        Metrics = metrics;
        _processor = processor;
        _sink = sink;
    }

    public ProcessorDefinition Definition { get; }

    public ProcessorMetrics Metrics { get; }

    /// <summary>A runner for a processor that writes to topics.</summary>
    public static ProcessorRunner For(IEventLog log, StreamProcessor processor) =>
        new(log ?? throw new ArgumentNullException(nameof(log)), processor.Definition, processor.Metrics, processor, null);

    /// <summary>A runner for a sink.</summary>
    public static ProcessorRunner For(IEventLog log, StreamSink sink) =>
        new(log ?? throw new ArgumentNullException(nameof(log)), sink.Definition, sink.Metrics, null, sink);

    /// <summary>Processes until cancelled, waiting for records when there are none.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await RunAvailableAsync(cancellationToken).ConfigureAwait(false) > 0)
            {
                continue;
            }

            var topic = Definition.Input;
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wake.CancelAfter(TimeSpan.FromSeconds(1));
            var waits = Enumerable.Range(0, _next.Length).Select(p => _log.WaitForRecordsAsync(topic, p, _next[p], wake.Token)).ToList();
            try
            {
                await Task.WhenAny(waits).ConfigureAwait(false);
            }
            finally
            {
                await wake.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(waits.Select(w => w.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default))).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Processes every record available now, chunk by chunk, and returns how many it processed.</summary>
    public async Task<long> RunAvailableAsync(CancellationToken cancellationToken)
    {
        Position();
        long total = 0;
        bool progressed;
        do
        {
            progressed = false;
            for (var p = 0; p < _next.Length; p++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // A chunk cut off by a crash is read again with the same bounds, so its outputs get the same sequence.
                var max = _replayThrough[p] >= _next[p] ? (int)(_replayThrough[p] - _next[p] + 1) : _sink?.ChunkRecords ?? ChunkRecords;
                var chunk = _log.Read(Definition.Input, p, _next[p], max);
                if (chunk.Count == 0)
                {
                    continue;
                }

                await HandleAsync(p, chunk, cancellationToken).ConfigureAwait(false);
                _next[p] = chunk[^1].Offset + 1;
                total += chunk.Count;
                progressed = true;
            }
        }
        while (progressed);

        return total;
    }

    /// <summary>Records not yet processed, by partition (from the runner's position).</summary>
    public long Lag()
    {
        Position();
        var info = _log.DescribeTopic(Definition.Input);
        return info.Partitions.Sum(p => Math.Max(0, p.NextOffset - Math.Max(_next[p.Partition], p.EarliestOffset)));
    }

    public void Dispose()
    {
        _processor?.Dispose();
        _sink?.Dispose();
    }

    /// <summary>Reads the starting positions once: the sink's own, else the group's committed offsets, else the earliest kept record.</summary>
    private void Position()
    {
        if (_positioned)
        {
            return;
        }

        var info = _log.DescribeTopic(Definition.Input);
        var committed = _log.GroupOffsets(Definition.Group).GetValueOrDefault(Definition.Input);
        _generation = _log.GroupGeneration(Definition.Group, Definition.Input);
        _next = info.Partitions.Select(p =>
        {
            var start = _sink?.StartOffset(p.Partition) ?? (committed is not null && committed.TryGetValue(p.Partition, out var c) ? c : p.EarliestOffset);
            if (start < p.EarliestOffset)
            {
                // Retention dropped records this processor never read.
                Metrics.Add("expired-record-count", p.EarliestOffset - start);
                start = p.EarliestOffset;
            }

            return start;
        }).ToArray();
        _replayThrough = _next.Select((next, p) => _sink is null ? LastSequence(p) : -1).ToArray();
        _positioned = true;
    }

    /// <summary>The newest sequence this processor's producer for input partition <paramref name="partition"/> left in any output partition (-1: none).</summary>
    private long LastSequence(int partition)
    {
        var producer = Producer(partition);
        long last = -1;
        foreach (var topic in Definition.Outputs.Values.Distinct(StringComparer.Ordinal).Where(_log.HasTopic))
        {
            foreach (var p in _log.DescribeTopic(topic).Partitions)
            {
                if (_log.LastStamp(topic, p.Partition, producer) is { } stamp && stamp.Sequence > last)
                {
                    last = stamp.Sequence;
                }
            }
        }

        return last;
    }

    private string Producer(int partition) => $"{Definition.Name}/{partition}/g{_generation}";

    private async Task HandleAsync(int partition, IReadOnlyList<StoredRecord> chunk, CancellationToken cancellationToken)
    {
        var next = chunk[^1].Offset + 1;
        if (_sink is not null)
        {
            await _sink.WriteAsync(partition, chunk, cancellationToken).ConfigureAwait(false);
            _log.CommitOffsets(Definition.Group, Definition.Input, new Dictionary<int, long> { [partition] = next });
            return;
        }

        var outputs = new List<ProcessorOutput>(chunk.Count);
        _processor!.Prepare(chunk);
        foreach (var record in chunk)
        {
            _processor!.Process(record, outputs);
        }

        var producer = Producer(partition);
        var sequence = chunk[^1].Offset;
        var timestamps = chunk.ToDictionary(r => r.Offset, r => r.Timestamp);
        var appends = new List<Task>();
        foreach (var byTopic in outputs.GroupBy(o => Definition.Outputs.GetValueOrDefault(o.Role)))
        {
            if (byTopic.Key is null)
            {
                // A role the pipeline does not route anywhere: the records are dropped, and counted.
                Metrics.Add("dropped-" + byTopic.First().Role + "-count", byTopic.Count());
                continue;
            }

            // A topic's number of partitions never changes (AlterTopic refuses it), so once a runner is enough.
            if (!_partitions.TryGetValue(byTopic.Key, out var partitions))
            {
                _partitions[byTopic.Key] = partitions = _log.DescribeTopic(byTopic.Key).Partitions.Count;
            }

            foreach (var byPartition in byTopic.GroupBy(o => o.Key is null ? (int)(o.InputOffset % partitions) : _log.PartitionFor(byTopic.Key, o.Key)))
            {
                var records = byPartition.Select(o => new LogRecord(o.Key, o.Value, timestamps[o.InputOffset])).ToList();
                appends.Add(_log.AppendOnceAsync(byTopic.Key, byPartition.Key, records, producer, sequence, cancellationToken).AsTask());
            }
        }

        await Task.WhenAll(appends).ConfigureAwait(false);
        _processor!.Flush();
        _log.CommitOffsets(Definition.Group, Definition.Input, new Dictionary<int, long> { [partition] = next });
    }
}
