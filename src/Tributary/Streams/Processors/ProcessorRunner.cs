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

    /// <summary>
    /// How long a processor that keeps up waits after a pass of fewer than <see cref="LingerBelow"/> records before the
    /// next (Kafka's <c>fetch.max.wait.ms</c>): a trickle is processed in a few passes a second, not one per record.
    /// </summary>
    public static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(50);

    /// <summary>A pass with at least this many records is followed by the next at once.</summary>
    public const int LingerBelow = 1_000;

    /// <summary>Input bytes a pass gathers before its outputs and offsets are committed (a pass takes at least one chunk).</summary>
    public const long PassBytes = 16L * 1024 * 1024;

    private readonly IEventLog _log;
    private readonly StreamProcessor? _processor;
    private readonly StreamSink? _sink;
    private long[] _next = [];
    private long[] _replayThrough = [];
    private readonly Dictionary<string, int> _partitions = new(StringComparer.Ordinal);
    private long _generation;
    private int _firstPartition;
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
            var processed = await RunAvailableAsync(cancellationToken).ConfigureAwait(false);
            if (processed >= LingerBelow)
            {
                continue;
            }

            if (processed > 0)
            {
                // Keeping up with a trickle: let records gather, so the pass's fixed costs (commits, a store transaction) are shared.
                await Task.Delay(Linger, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Processes every record available now, pass by pass, and returns how many it processed.</summary>
    public async Task<long> RunAvailableAsync(CancellationToken cancellationToken)
    {
        Position();
        long total = 0;
        while (true)
        {
            var pass = ReadPass(cancellationToken);
            if (pass.Count == 0)
            {
                return total;
            }

            await HandleAsync(pass, cancellationToken).ConfigureAwait(false);
            foreach (var (partition, chunk) in pass)
            {
                _next[partition] = chunk[^1].Offset + 1;
                total += chunk.Count;
            }
        }
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

    /// <summary>
    /// The next chunk of each partition with records, from a partition that changes every pass (so a busy partition
    /// does not starve the others), until the pass holds <see cref="PassBytes"/>.
    /// </summary>
    private List<(int Partition, IReadOnlyList<StoredRecord> Chunk)> ReadPass(CancellationToken cancellationToken)
    {
        var pass = new List<(int, IReadOnlyList<StoredRecord>)>();
        long bytes = 0;
        for (var i = 0; i < _next.Length && bytes < PassBytes; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var p = (_firstPartition + i) % _next.Length;
            // A chunk cut off by a crash is read again with the same bounds, so its outputs get the same sequence.
            var max = _replayThrough[p] >= _next[p] ? (int)(_replayThrough[p] - _next[p] + 1) : _sink?.ChunkRecords ?? ChunkRecords;
            var chunk = _log.Read(Definition.Input, p, _next[p], max);
            if (chunk.Count == 0)
            {
                continue;
            }

            pass.Add((p, chunk));
            foreach (var record in chunk)
            {
                bytes += record.Value.Length + (record.Key?.Length ?? 0);
            }
        }

        _firstPartition = _next.Length == 0 ? 0 : (_firstPartition + 1) % _next.Length;
        return pass;
    }

    /// <summary>
    /// Processes a pass: every chunk's outputs are appended exactly once and made durable together (one commit per output
    /// partition), then the processor's state is flushed, then the input offsets of every chunk are committed at once.
    /// </summary>
    private async Task HandleAsync(List<(int Partition, IReadOnlyList<StoredRecord> Chunk)> pass, CancellationToken cancellationToken)
    {
        var offsets = pass.ToDictionary(c => c.Partition, c => c.Chunk[^1].Offset + 1);
        if (_sink is not null)
        {
            await _sink.WriteAsync(pass.Select(c => c.Chunk).ToList(), cancellationToken).ConfigureAwait(false);
            _log.CommitOffsets(Definition.Group, Definition.Input, offsets);
            return;
        }

        var batches = new List<ProducerBatch>();
        var outputs = new List<ProcessorOutput>();
        foreach (var (partition, chunk) in pass)
        {
            outputs.Clear();
            _processor!.Prepare(chunk);
            foreach (var record in chunk)
            {
                _processor.Process(record, outputs);
            }

            AddBatches(partition, chunk, outputs, batches);
        }

        await _log.AppendOnceAsync(batches, cancellationToken).ConfigureAwait(false);
        _processor!.Flush();
        _log.CommitOffsets(Definition.Group, Definition.Input, offsets);
    }

    /// <summary>A chunk's outputs as batches by output topic and partition, stamped with the chunk's producer and sequence.</summary>
    private void AddBatches(int partition, IReadOnlyList<StoredRecord> chunk, List<ProcessorOutput> outputs, List<ProducerBatch> batches)
    {
        var producer = Producer(partition);
        var sequence = chunk[^1].Offset;
        var firstOffset = chunk[0].Offset;
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
                // A chunk's offsets are dense, so an output's input record is found by its offset.
                var records = byPartition.Select(o => new LogRecord(o.Key, o.Value, chunk[(int)(o.InputOffset - firstOffset)].Timestamp)).ToList();
                batches.Add(new ProducerBatch(byTopic.Key, byPartition.Key, records, producer, sequence));
            }
        }
    }
}
