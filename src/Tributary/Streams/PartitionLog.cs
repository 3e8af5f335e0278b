using System.Buffers;
using System.Buffers.Binary;
using FASTER.core;

namespace Tributary.Streams;

/// <summary>
/// One partition of a topic: a FasterLog on local disk whose entries are record batches (as Kafka stores them):
/// a base offset and count, then each record's timestamp, key and value. A sparse in-memory index maps offsets to
/// the addresses of batches (rebuilt by a scan when opened).
/// </summary>
/// <remarks>
/// Implementation note: FasterLog recovers to its last commit, so a tail torn by a crash (entries enqueued but
/// not committed) is cut at open; per-entry checksums catch a damaged entry. Appends are acknowledged only after
/// the commit that covers them, and reads stop at the durable end, so a reader never sees what a crash could take
/// back. Retention never drops the newest record, so offsets keep counting up across restarts.
/// </remarks>
internal sealed class PartitionLog : IDisposable
{
    /// <summary>Batch header: format byte, base offset, record count (format 3 adds a producer stamp after it).</summary>
    private const int BatchHeaderSize = 1 + 8 + 4;

    /// <summary>A producer stamp: producer name length, the name (UTF-8, at most 255 bytes), sequence, part.</summary>
    private const int StampFixedSize = 1 + 8 + 4;

    /// <summary>Record header: timestamp ticks, key length (−1: no key), value length.</summary>
    private const int RecordHeaderSize = 8 + 4 + 4;
    private const byte Format = 2;
    private const byte StampedFormat = 3;

    /// <summary>A batch is closed at this size; one record may fill a batch alone up to <see cref="MaxRecordBytes"/>.</summary>
    private const int BatchBytes = 64 * 1024;

    /// <summary>FasterLog pages of 2 MB: the largest entry must fit in one.</summary>
    private const int PageSizeBits = 21;

    /// <summary>The largest record (key + value) a partition takes.</summary>
    public const int MaxRecordBytes = (1 << PageSizeBits) - BatchHeaderSize - RecordHeaderSize - 64;

    /// <summary>
    /// Every this many commits FASTER also writes its commit metadata to a file of its own; the commits between are
    /// found again at open by scanning the log from the last metadata on (fast commit mode writes each commit as an
    /// entry in the log too).
    /// </summary>
    private const int CommitMetadataEvery = 32;

    private readonly IDevice _device;
    private readonly DeviceLogCommitCheckpointManager _commits;
    private readonly FasterLog _log;
    private readonly Lock _append = new();
    private readonly Lock _state = new();
    private readonly List<IndexedBatch> _index = [];

    /// <summary>Each producer's newest stamp, with the address of the batch it came from (for the index file).</summary>
    private readonly Dictionary<string, IndexedStamp> _stamps = new(StringComparer.Ordinal);
    private readonly string _directory;

    /// <summary>Set once the state describes the recovered log (an open that failed half-way writes no index file).</summary>
    private bool _rebuilt;

    /// <summary>The log's end and begin the index file last described (unchanged: nothing to save).</summary>
    private (long End, long Begin) _savedIndex = (-1, -1);
    private readonly ReadCursors _cursors;
    private long _nextOffset;
    private long _durableNext;
    private long _earliestOffset;
    private DateTime? _earliestTimestamp;
    private DateTime? _latestTimestamp;
    private TaskCompletionSource _grown = NewSignal();
    private bool _disposed;

    /// <summary>Bumped (under the state lock) by retention and disposal: cursors of an older generation are not reused.</summary>
    private long _generation;
    private bool _closed;

    private PartitionLog(int partition, string directory, ReadCursors cursors)
    {
        Partition = partition;
        _cursors = cursors;
        _directory = directory;
        Directory.CreateDirectory(directory);
        _device = new LogFileDevice(Path.Combine(directory, "log"));

        // Implementation note: FASTER's default commit manager writes every commit's metadata to a new file, flushed to
        // disk, and deletes the one before: that doubled the cost of a durable append against a plain write and fsync
        // of the same bytes. In fast commit mode the commit is durable once its commit entry is flushed with the log,
        // and recovery scans forward from the newest metadata file to the last whole commit entry, so the file is
        // written for one commit in CommitMetadataEvery (and always when the log's begin moves, for retention). The
        // same directory and names as the default, so existing partitions open as before.
        _commits = new DeviceLogCommitCheckpointManager(new LocalStorageNamedDeviceFactory(), new DefaultCheckpointNamingScheme(directory), removeOutdated: true, fastCommitThrottleFreq: CommitMetadataEvery);
        _log = new FasterLog(new FasterLogSettings
        {
            LogDevice = _device,
            LogCommitManager = _commits,
            PageSizeBits = PageSizeBits,
            MemorySizeBits = PageSizeBits + 1,
            SegmentSizeBits = 26,
            LogChecksum = LogChecksumType.PerEntry,
            TryRecoverLatest = true,
            FastCommitMode = true,
            AutoRefreshSafeTailAddress = true,
        });
    }

    public int Partition { get; }

    /// <summary>Whether the open took the index from the file the partition wrote when it last closed (and scanned only the log after it).</summary>
    public bool OpenedFromIndex { get; private set; }

    /// <summary>Opens (or creates) the partition in <paramref name="directory"/>, recovering to its last commit; its readers keep their cursors in <paramref name="cursors"/>.</summary>
    public static PartitionLog Open(int partition, string directory, ReadCursors cursors)
    {
        var log = new PartitionLog(partition, directory, cursors);
        try
        {
            log.Rebuild();
            return log;
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <summary>The partition as it stands: first kept offset, next offset, bytes, time span (durable records only).</summary>
    public PartitionInfo Info()
    {
        lock (_state)
        {
            return new PartitionInfo(Partition, _earliestOffset, _durableNext, Math.Max(0, _log.CommittedUntilAddress - _log.BeginAddress), _earliestTimestamp, _latestTimestamp);
        }
    }

    /// <summary>Appends records and returns once they are durable, with the offset of each.</summary>
    public async ValueTask<long[]> AppendAsync(IReadOnlyList<(byte[]? Key, byte[] Value, DateTime Timestamp)> records, CancellationToken cancellationToken)
    {
        long[] offsets;
        long last;
        lock (_append)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            (offsets, last) = EnqueueBatches(records, producer: null, sequence: 0);
        }

        await CommitAsync(last, cancellationToken).ConfigureAwait(false);
        return offsets;
    }

    /// <summary>
    /// Enqueues a producer's records for <paramref name="sequence"/> once, without waiting for them to be durable: parts
    /// (batches) this producer already wrote for that sequence are skipped, and nothing is written when it already wrote a
    /// later sequence. Returns the records written and the offset after them, for <see cref="CommitAsync"/> (one commit
    /// may cover many producers' appends).
    /// </summary>
    /// <remarks>
    /// Implementation note: the records are cut into batches the same way every time, and each batch carries
    /// (producer, sequence, part). Batches enqueued in order become durable as a prefix, so after a crash the newest
    /// stamp says exactly which parts of the sequence survived; a producer that replays the sequence deterministically
    /// gets the rest written and nothing twice. One writer a producer name.
    /// </remarks>
    public (int Written, long Last) EnqueueOnce(IReadOnlyList<(byte[]? Key, byte[] Value, DateTime Timestamp)> records, string producer, long sequence)
    {
        lock (_append)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int skipParts;
            lock (_state)
            {
                skipParts = !_stamps.TryGetValue(producer, out var newest) ? 0
                    : newest.Stamp.Sequence > sequence ? int.MaxValue
                    : newest.Stamp.Sequence == sequence ? newest.Stamp.Part + 1
                    : 0;
            }

            if (skipParts == int.MaxValue)
            {
                return (0, _nextOffset);
            }

            var before = _nextOffset;
            var (_, last) = EnqueueBatches(records, producer, sequence, skipParts);
            return ((int)(_nextOffset - before), last);
        }
    }

    /// <summary>The newest stamp a producer left in this partition (null when none is kept).</summary>
    public ProducerStamp? LastStamp(string producer)
    {
        lock (_state)
        {
            return _stamps.TryGetValue(producer, out var stamp) ? stamp.Stamp : null;
        }
    }

    /// <summary>Cuts records into batches and enqueues them (after the first <paramref name="skipParts"/>). Caller holds the append lock.</summary>
    private (long[] Offsets, long Last) EnqueueBatches(IReadOnlyList<(byte[]? Key, byte[] Value, DateTime Timestamp)> records, string? producer, long sequence, int skipParts = 0)
    {
        var offsets = new long[records.Count];
        var stampBytes = producer is null ? null : System.Text.Encoding.UTF8.GetBytes(producer);
        if (stampBytes is { Length: > 255 })
        {
            throw new StreamException($"a producer name has at most 255 bytes, not {stampBytes.Length}");
        }

        var headerSize = BatchHeaderSize + (stampBytes is null ? 0 : StampFixedSize + stampBytes.Length);
        var from = 0;
        var part = 0;
        while (from < records.Count)
        {
            // As many records as fit in one batch (at least one).
            var to = from;
            var bytes = headerSize;
            do
            {
                bytes += RecordHeaderSize + (records[to].Key?.Length ?? 0) + records[to].Value.Length;
                to++;
            }
            while (to < records.Count && bytes + RecordHeaderSize + (records[to].Key?.Length ?? 0) + records[to].Value.Length <= BatchBytes);

            if (part >= skipParts)
            {
                var baseOffset = _nextOffset;
                // The batch is encoded in a pooled buffer: FasterLog copies it into its page.
                var buffer = ArrayPool<byte>.Shared.Rent(bytes);
                long address;
                try
                {
                    EncodeBatch(buffer.AsSpan(0, bytes), baseOffset, records, from, to, stampBytes, sequence, part);
                    address = _log.Enqueue(new ReadOnlySpan<byte>(buffer, 0, bytes));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                lock (_state)
                {
                    _index.Add(new IndexedBatch(baseOffset, address, records[from].Timestamp.Ticks, MaxTicks(records, from, to)));
                    _earliestTimestamp ??= records[from].Timestamp;
                    _latestTimestamp = records[to - 1].Timestamp;
                    if (producer is not null)
                    {
                        _stamps[producer] = new IndexedStamp(producer, new ProducerStamp(sequence, part), address);
                    }
                }

                for (var i = from; i < to; i++)
                {
                    offsets[i] = baseOffset + (i - from);
                }

                _nextOffset = baseOffset + (to - from);
            }

            part++;
            from = to;
        }

        return (offsets, _nextOffset);
    }

    /// <summary>Commits the log and moves the durable end to <paramref name="last"/>, waking readers.</summary>
    public async ValueTask CommitAsync(long last, CancellationToken cancellationToken)
    {
        await _log.CommitAsync(cancellationToken).ConfigureAwait(false);
        TaskCompletionSource? grown = null;
        lock (_state)
        {
            if (last > _durableNext)
            {
                _durableNext = last;
                grown = _grown;
                _grown = NewSignal();
            }
        }

        grown?.TrySetResult();
    }

    /// <summary>Up to <paramref name="max"/> durable records from <paramref name="offset"/> on (from the earliest kept one when it is older).</summary>
    /// <remarks>
    /// Implementation note: a read goes on with the cursor (open scan iterator) the read before it left at
    /// <paramref name="offset"/>, when there is one, so a consumer reading on does not make FASTER load the same pages
    /// from its device again; otherwise it opens one at the batch that holds the offset. The iterator runs to FASTER's
    /// committed end, and the decoder stops at the durable end as counted here (the two can differ for a moment while a
    /// commit completes): a batch past it is carried in the cursor for the next read, never returned.
    /// </remarks>
    public List<StoredRecord> Read(string topic, long offset, int max)
    {
        long durable, generation, start = 0;
        ReadCursor? cursor;
        lock (_state)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            durable = _durableNext;
            offset = Math.Max(offset, _earliestOffset);
            if (offset >= durable || max <= 0 || _index.Count == 0)
            {
                return [];
            }

            generation = _generation;
            cursor = _cursors.Take(this, offset, generation);
            if (cursor is null)
            {
                start = StartAddress(offset);
            }
        }

        cursor ??= new ReadCursor(this, _log.Scan(start, long.MaxValue), generation);

        // Batches are decoded where the iterator holds them (no copy of the entry first).
        var decoder = new BatchDecoder(topic, Partition, offset, durable, max, cursor);
        try
        {
            decoder.ConsumeCarry();
            while (!decoder.Done && cursor.Iterator.TryConsumeNext(decoder))
            {
            }
        }
        catch
        {
            cursor.Dispose();
            throw;
        }

        cursor.NextOffset = decoder.Records.Count > 0 ? decoder.Records[^1].Offset + 1 : offset;
        Keep(cursor, readOn: decoder.Records.Count == max);
        return decoder.Records;
    }

    /// <summary>The timestamp of the durable record at <paramref name="offset"/>, read from the one batch that holds it; null when there is none.</summary>
    public DateTime? TimestampAt(long offset)
    {
        long address;
        lock (_state)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (offset < _earliestOffset || offset >= _durableNext || _index.Count == 0)
            {
                return null;
            }

            address = StartAddress(offset);
        }

        // A random read of one entry; retention may have removed it since (then there is no such record any more).
        var (entry, length) = _log.ReadAsync(address).AsTask().GetAwaiter().GetResult();
        if (entry is null)
        {
            return null;
        }

        var span = entry.AsSpan(0, length);
        var (baseOffset, count, at) = Header(span);
        for (var i = 0; i < count; i++)
        {
            if (baseOffset + i == offset)
            {
                return new DateTime(BinaryPrimitives.ReadInt64LittleEndian(span[at..]), DateTimeKind.Utc);
            }

            at = NextRecord(span, at);
        }

        return null;
    }

    /// <summary>
    /// Gives a cursor back for the next read when its reader is likely to read on (<paramref name="readOn"/>: the read
    /// stopped at its maximum, not at the end), or disposes it (also when retention or disposal came in between).
    /// </summary>
    /// <remarks>
    /// Implementation note: a reader that reached the end reads what comes next from FASTER's memory, where a new
    /// iterator costs nothing; a kept cursor would only hold on to the page frames it loaded.
    /// </remarks>
    private void Keep(ReadCursor cursor, bool readOn)
    {
        ReadCursor? disposed = cursor;
        if (readOn)
        {
            lock (_state)
            {
                disposed = !_closed && cursor.Generation == _generation ? _cursors.Return(cursor) : cursor;
            }
        }

        disposed?.Dispose();
    }

    /// <summary>Makes every cursor of this partition stale and disposes the idle ones.</summary>
    private void DropCursors()
    {
        List<ReadCursor> dropped;
        lock (_state)
        {
            _generation++;
            dropped = _cursors.Drop(this);
        }

        foreach (var cursor in dropped)
        {
            cursor.Dispose();
        }
    }

    /// <summary>Completes once a durable record at or after <paramref name="offset"/> exists.</summary>
    public Task WaitForAsync(long offset, CancellationToken cancellationToken)
    {
        lock (_state)
        {
            return _durableNext > offset ? Task.CompletedTask : _grown.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The first offset whose timestamp is at or after <paramref name="time"/>, or the end offset.</summary>
    /// <remarks>
    /// The index finds the batch: the first whose newest record is at or after the time (so timestamps out of order are
    /// found too, as with Kafka's time index); only that batch is read.
    /// </remarks>
    public long OffsetForTime(DateTime time)
    {
        long from = -1, durable;
        lock (_state)
        {
            durable = _durableNext;
            foreach (var batch in _index)
            {
                if (batch.Offset >= durable)
                {
                    break;
                }

                if (batch.MaxTicks >= time.Ticks)
                {
                    from = Math.Max(batch.Offset, _earliestOffset);
                    break;
                }
            }
        }

        // Every record before the batch found is older than the time, and the batch holds one that is not.
        while (from >= 0)
        {
            var chunk = Read("", from, 4096);
            if (chunk.Count == 0)
            {
                break;
            }

            foreach (var r in chunk)
            {
                if (r.Timestamp >= time)
                {
                    return r.Offset;
                }
            }

            from = chunk[^1].Offset + 1;
        }

        return durable;
    }

    /// <summary>Drops records before <paramref name="cutoff"/> and beyond <paramref name="maxBytes"/>, always keeping the newest; returns how many went.</summary>
    public long Truncate(DateTime? cutoff, long? maxBytes)
    {
        lock (_append)
        {
            long durable;
            long sizeLimitAddress;
            lock (_state)
            {
                durable = _durableNext;
                sizeLimitAddress = maxBytes is { } b ? _log.CommittedUntilAddress - b : long.MinValue;
            }

            if (durable - _earliestOffset <= 1)
            {
                return 0;
            }

            // Whole batches go: the first batch to keep is the first whose records are not all older than the cutoff
            // and that lies within the size allowance, or the one that holds the newest record. Found in the index:
            // nothing is read from the log.
            long keepOffset = -1, keepAddress = -1;
            DateTime? keepTimestamp = null;
            lock (_state)
            {
                for (var i = 0; i < _index.Count && _index[i].Offset < durable; i++)
                {
                    var batch = _index[i];
                    var end = i + 1 < _index.Count ? _index[i + 1].Offset : _nextOffset;
                    if (((cutoff is null || batch.MaxTicks >= cutoff.Value.Ticks) && batch.Address >= sizeLimitAddress) || end >= durable)
                    {
                        (keepOffset, keepAddress, keepTimestamp) = (batch.Offset, batch.Address, new DateTime(batch.FirstTicks, DateTimeKind.Utc));
                        break;
                    }
                }
            }

            if (keepOffset <= _earliestOffset)
            {
                return 0;
            }

            // Cursors go before the segments they may be loading from are deleted.
            DropCursors();
            _log.TruncateUntil(keepAddress);
            _log.Commit(spinWait: true);
            lock (_state)
            {
                var dropped = keepOffset - _earliestOffset;
                _earliestOffset = keepOffset;
                _earliestTimestamp = keepTimestamp;
                _index.RemoveAll(e => e.Address < keepAddress);
                return dropped;
            }
        }
    }

    public void Dispose()
    {
        lock (_append)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            lock (_state)
            {
                _closed = true;
            }

            // An open iterator keeps the FasterLog from closing: cursors go first.
            DropCursors();
            SaveIndex();
            _log.Dispose();
            _commits.Dispose();
            _device.Dispose();
        }

        _grown.TrySetCanceled();
    }

    /// <summary>
    /// Rebuilds the index, offsets, time span and producer stamps from what the log recovered: from the index file the
    /// partition wrote when it last closed, when it is whole and still fits the log, and a scan of the log after it;
    /// otherwise from a scan of the whole log.
    /// </summary>
    private void Rebuild()
    {
        var indexed = LoadIndex();
        OpenedFromIndex = indexed is not null;
        var from = indexed ?? _log.BeginAddress;
        using var iterator = _log.Scan(from, _log.CommittedUntilAddress);
        while (iterator.GetNext(out var entry, out var length, out var address, out _))
        {
            var (offset, count, oldest, newest, max) = BatchSummary(entry, length);
            if (_index.Count == 0)
            {
                _earliestOffset = offset;
                _earliestTimestamp = oldest;
            }

            _index.Add(new IndexedBatch(offset, address, oldest.Ticks, max));
            _latestTimestamp = newest;
            _nextOffset = offset + count;
            if (Stamp(entry.AsSpan(0, length)) is { } stamp)
            {
                _stamps[stamp.Producer] = new IndexedStamp(stamp.Producer, stamp.Stamp, address);
            }
        }

        _durableNext = _nextOffset;
        if (_index.Count == 0)
        {
            _earliestOffset = 0;
        }

        _rebuilt = true;
    }

    /// <summary>
    /// Takes the state from the index file when it describes a prefix of the recovered log that still holds its newest
    /// batch (batches retention removed since are left out, as a scan would not find them). Returns where the scan goes
    /// on (the end of the log the file described), or null when there is no such file.
    /// </summary>
    private long? LoadIndex()
    {
        if (PartitionIndexFile.TryRead(_directory) is not { Batches.Count: > 0 } index)
        {
            return null;
        }

        var begin = _log.BeginAddress;
        var last = index.Batches[^1];
        if (index.EndAddress > _log.CommittedUntilAddress || last.Address < begin || last.Address >= index.EndAddress || last.Offset >= index.NextOffset)
        {
            return null;
        }

        var kept = index.Batches.Where(b => b.Address >= begin).ToList();
        _index.AddRange(kept);
        _earliestOffset = kept[0].Offset;
        _earliestTimestamp = new DateTime(kept[0].FirstTicks, DateTimeKind.Utc);
        _latestTimestamp = new DateTime(index.LatestTicks, DateTimeKind.Utc);
        _nextOffset = index.NextOffset;
        foreach (var stamp in index.Stamps.Where(s => s.Address >= begin))
        {
            _stamps[stamp.Producer] = stamp;
        }

        _savedIndex = (index.EndAddress, begin);
        return index.EndAddress;
    }

    /// <summary>
    /// Writes the index file when everything appended is durable and the log changed since the file was last written
    /// (at close, and from <see cref="FasterEventLog.Checkpoint"/>); returns whether it wrote one. A partition in the middle
    /// of an append is left for the next time; one closed that way is scanned whole at its next open.
    /// </summary>
    public bool SaveIndex()
    {
        lock (_state)
        {
            if (!_rebuilt || _index.Count == 0 || _nextOffset != _durableNext || _log.CommittedUntilAddress != _log.TailAddress || _latestTimestamp is not { } latest ||
                (_log.CommittedUntilAddress, _log.BeginAddress) == _savedIndex)
            {
                return false;
            }

            var begin = _log.BeginAddress;
            var stamps = _stamps.Values.Where(s => s.Address >= begin).ToList();
            try
            {
                PartitionIndexFile.Write(_directory, new PartitionIndex(_log.CommittedUntilAddress, _nextOffset, latest.Ticks, _index, stamps));
                _savedIndex = (_log.CommittedUntilAddress, _log.BeginAddress);
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Only an open's shortcut: without the file the next open scans the whole log.
                return false;
            }
        }
    }

    /// <summary>The newest timestamp's ticks among records [<paramref name="from"/>, <paramref name="to"/>).</summary>
    private static long MaxTicks(IReadOnlyList<(byte[]? Key, byte[] Value, DateTime Timestamp)> records, int from, int to)
    {
        var max = long.MinValue;
        for (var i = from; i < to; i++)
        {
            max = Math.Max(max, records[i].Timestamp.Ticks);
        }

        return max;
    }

    /// <summary>The address of the last indexed record at or before <paramref name="offset"/>. Caller holds the state lock.</summary>
    private long StartAddress(long offset)
    {
        int lo = 0, hi = _index.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_index[mid].Offset <= offset)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return _index[lo].Address;
    }

    private static void EncodeBatch(Span<byte> span, long baseOffset, IReadOnlyList<(byte[]? Key, byte[] Value, DateTime Timestamp)> records, int from, int to, byte[]? producer, long sequence, int part)
    {
        span[0] = producer is null ? Format : StampedFormat;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], baseOffset);
        BinaryPrimitives.WriteInt32LittleEndian(span[9..], to - from);
        var at = BatchHeaderSize;
        if (producer is not null)
        {
            span[at] = (byte)producer.Length;
            producer.CopyTo(span[(at + 1)..]);
            at += 1 + producer.Length;
            BinaryPrimitives.WriteInt64LittleEndian(span[at..], sequence);
            BinaryPrimitives.WriteInt32LittleEndian(span[(at + 8)..], part);
            at += 12;
        }
        for (var i = from; i < to; i++)
        {
            var (key, value, timestamp) = records[i];
            BinaryPrimitives.WriteInt64LittleEndian(span[at..], timestamp.Ticks);
            BinaryPrimitives.WriteInt32LittleEndian(span[(at + 8)..], key is null ? -1 : key.Length);
            BinaryPrimitives.WriteInt32LittleEndian(span[(at + 12)..], value.Length);
            at += RecordHeaderSize;
            if (key is not null)
            {
                key.CopyTo(span[at..]);
                at += key.Length;
            }

            value.CopyTo(span[at..]);
            at += value.Length;
        }
    }

    /// <summary>
    /// Decodes batches into records from an offset on, until <c>max</c> records or the durable end; a batch it stops
    /// inside is carried in the cursor.
    /// </summary>
    private sealed class BatchDecoder(string topic, int partition, long from, long durable, int max, ReadCursor cursor) : ILogEntryConsumer
    {
        /// <remarks>
        /// Implementation note: sized up front to what the read can return (a read from an offset below the durable end
        /// returns that many, save for a gap retention leaves), so the list never grows: a grown array of more than
        /// about 10,600 references lands on the large object heap, and its references to the young records then keep
        /// every record of every earlier read alive through the ephemeral collections until a full one (the records of
        /// reads of 10,000 were promoted to generation 2 and cost more in collections than the read itself).
        /// </remarks>
        public List<StoredRecord> Records { get; } = new((int)Math.Min(max, durable - from));

        public bool Done { get; private set; }

        /// <summary>Decodes the batch the cursor carries from the read before, if any.</summary>
        public void ConsumeCarry()
        {
            if (cursor.CarryLength > 0)
            {
                var carried = cursor.Carry.AsSpan(0, cursor.CarryLength);
                cursor.CarryLength = 0;
                Decode(carried, carried: true);
            }
        }

        public void Consume(ReadOnlySpan<byte> entry, long currentAddress, long nextAddress) => Decode(entry, carried: false);

        private void Decode(ReadOnlySpan<byte> entry, bool carried)
        {
            var (baseOffset, count, at) = Header(entry);
            for (var i = 0; i < count; i++)
            {
                var offset = baseOffset + i;
                if (offset >= durable || Records.Count >= max)
                {
                    // The rest of the batch is for a later read: the iterator is already past it.
                    if (carried)
                    {
                        cursor.CarryLength = entry.Length;
                    }
                    else
                    {
                        cursor.CarryBatch(entry);
                    }

                    Done = true;
                    return;
                }

                var ticks = BinaryPrimitives.ReadInt64LittleEndian(entry[at..]);
                var keyLength = BinaryPrimitives.ReadInt32LittleEndian(entry[(at + 8)..]);
                var valueLength = BinaryPrimitives.ReadInt32LittleEndian(entry[(at + 12)..]);
                at += RecordHeaderSize;
                if (offset < from)
                {
                    at += Math.Max(0, keyLength) + valueLength;
                    continue;
                }

                byte[]? key = null;
                if (keyLength >= 0)
                {
                    key = entry.Slice(at, keyLength).ToArray();
                    at += keyLength;
                }

                Records.Add(new StoredRecord(topic, partition, offset, new DateTime(ticks, DateTimeKind.Utc), key, entry.Slice(at, valueLength).ToArray()));
                at += valueLength;
            }

            Done = Records.Count >= max;
        }
    }

    /// <summary>A batch's base offset, record count, its first and last record's timestamps, and the newest timestamp's ticks.</summary>
    private static (long BaseOffset, int Count, DateTime First, DateTime Last, long MaxTicks) BatchSummary(byte[] entry, int length)
    {
        var span = entry.AsSpan(0, length);
        var (baseOffset, count, at) = Header(span);
        long first = 0, last = 0, max = long.MinValue;
        for (var i = 0; i < count; i++)
        {
            last = BinaryPrimitives.ReadInt64LittleEndian(span[at..]);
            first = i == 0 ? last : first;
            max = Math.Max(max, last);
            at = NextRecord(span, at);
        }

        return (baseOffset, count, new DateTime(first, DateTimeKind.Utc), new DateTime(last, DateTimeKind.Utc), max);
    }

    /// <summary>Where the record after the one at <paramref name="at"/> starts (past its header, key and value).</summary>
    private static int NextRecord(ReadOnlySpan<byte> span, int at) =>
        at + RecordHeaderSize + Math.Max(0, BinaryPrimitives.ReadInt32LittleEndian(span[(at + 8)..])) + BinaryPrimitives.ReadInt32LittleEndian(span[(at + 12)..]);

    /// <summary>A batch's base offset, record count and where its records start.</summary>
    private static (long BaseOffset, int Count, int RecordsAt) Header(ReadOnlySpan<byte> span)
    {
        if (span.Length < BatchHeaderSize || (span[0] != Format && span[0] != StampedFormat))
        {
            throw new InvalidDataException($"a log entry of {span.Length} bytes is not a Tributary record batch (format {(span.Length > 0 ? span[0] : -1)})");
        }

        var at = BatchHeaderSize + (span[0] == StampedFormat ? StampFixedSize + span[BatchHeaderSize] : 0);
        return (BinaryPrimitives.ReadInt64LittleEndian(span[1..]), BinaryPrimitives.ReadInt32LittleEndian(span[9..]), at);
    }

    /// <summary>The producer stamp of a format-3 batch (null for an unstamped one).</summary>
    private static (string Producer, ProducerStamp Stamp)? Stamp(ReadOnlySpan<byte> span)
    {
        if (span[0] != StampedFormat)
        {
            return null;
        }

        var length = span[BatchHeaderSize];
        var at = BatchHeaderSize + 1;
        var producer = System.Text.Encoding.UTF8.GetString(span.Slice(at, length));
        at += length;
        return (producer, new ProducerStamp(BinaryPrimitives.ReadInt64LittleEndian(span[at..]), BinaryPrimitives.ReadInt32LittleEndian(span[(at + 8)..])));
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
