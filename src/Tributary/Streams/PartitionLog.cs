using System.Buffers.Binary;
using FASTER.core;

namespace Tributary.Streams;

/// <summary>
/// One partition of a topic: a FasterLog on local disk whose entries carry their dense offset and timestamp,
/// with a sparse in-memory index from offsets to log addresses (rebuilt by a scan when opened).
/// </summary>
/// <remarks>
/// Implementation note: FasterLog recovers to its last commit, so a tail torn by a crash (entries enqueued but
/// not committed) is cut at open; per-entry checksums catch a damaged entry. Appends are acknowledged only after
/// the commit that covers them, and reads stop at the durable end, so a reader never sees what a crash could take
/// back. Retention never drops the newest record, so offsets keep counting up across restarts.
/// </remarks>
internal sealed class PartitionLog : IDisposable
{
    /// <summary>Entry header: format byte, offset, timestamp ticks, key length (−1: no key).</summary>
    private const int HeaderSize = 1 + 8 + 8 + 4;
    private const byte Format = 1;
    private const int IndexEvery = 64;

    /// <summary>FasterLog pages of 2 MB: the largest entry must fit in one.</summary>
    private const int PageSizeBits = 21;

    /// <summary>The largest record (key + value) a partition takes.</summary>
    public const int MaxRecordBytes = (1 << PageSizeBits) - HeaderSize - 64;

    private readonly IDevice _device;
    private readonly FasterLog _log;
    private readonly Lock _append = new();
    private readonly Lock _state = new();
    private readonly List<(long Offset, long Address)> _index = [];
    private long _nextOffset;
    private long _durableNext;
    private long _earliestOffset;
    private DateTime? _earliestTimestamp;
    private DateTime? _latestTimestamp;
    private TaskCompletionSource _grown = NewSignal();
    private bool _disposed;

    private PartitionLog(int partition, string directory)
    {
        Partition = partition;
        Directory.CreateDirectory(directory);
        _device = Devices.CreateLogDevice(Path.Combine(directory, "log"), preallocateFile: false, deleteOnClose: false);
        _log = new FasterLog(new FasterLogSettings
        {
            LogDevice = _device,
            LogCommitDir = directory,
            PageSizeBits = PageSizeBits,
            MemorySizeBits = PageSizeBits + 1,
            SegmentSizeBits = 26,
            LogChecksum = LogChecksumType.PerEntry,
            TryRecoverLatest = true,
            AutoRefreshSafeTailAddress = true,
        });
    }

    public int Partition { get; }

    /// <summary>Opens (or creates) the partition in <paramref name="directory"/>, recovering to its last commit.</summary>
    public static PartitionLog Open(int partition, string directory)
    {
        var log = new PartitionLog(partition, directory);
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
        var offsets = new long[records.Count];
        long last;
        lock (_append)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (var i = 0; i < records.Count; i++)
            {
                var (key, value, timestamp) = records[i];
                var offset = _nextOffset;
                var address = _log.Enqueue(Encode(offset, timestamp, key, value));
                lock (_state)
                {
                    if (offset % IndexEvery == 0 || _index.Count == 0)
                    {
                        _index.Add((offset, address));
                    }

                    _earliestTimestamp ??= timestamp;
                    _latestTimestamp = timestamp;
                }

                offsets[i] = offset;
                _nextOffset = offset + 1;
            }

            last = _nextOffset;
        }

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
        return offsets;
    }

    /// <summary>Up to <paramref name="max"/> durable records from <paramref name="offset"/> on (from the earliest kept one when it is older).</summary>
    public List<(long Offset, DateTime Timestamp, byte[]? Key, byte[] Value)> Read(long offset, int max)
    {
        var result = new List<(long, DateTime, byte[]?, byte[])>();
        long start, end, durable;
        lock (_state)
        {
            durable = _durableNext;
            offset = Math.Max(offset, _earliestOffset);
            if (offset >= durable || max <= 0 || _index.Count == 0)
            {
                return result;
            }

            start = StartAddress(offset);
            end = _log.CommittedUntilAddress;
        }

        using var iterator = _log.Scan(start, end);
        while (result.Count < max && iterator.GetNext(out var entry, out var length, out _, out _))
        {
            var (o, ts, key, value) = Decode(entry, length);
            if (o >= durable)
            {
                break;
            }

            if (o >= offset)
            {
                result.Add((o, ts, key, value));
            }
        }

        return result;
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
    public long OffsetForTime(DateTime time)
    {
        long from;
        lock (_state)
        {
            from = _earliestOffset;
        }

        while (true)
        {
            var chunk = Read(from, 4096);
            if (chunk.Count == 0)
            {
                return Info().NextOffset;
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

            // The first record to keep: the first that is young enough and lies within the size allowance.
            long keepOffset = -1, keepAddress = -1;
            DateTime? keepTimestamp = null;
            using (var iterator = _log.Scan(_log.BeginAddress, _log.CommittedUntilAddress))
            {
                while (iterator.GetNext(out var entry, out var length, out var address, out _))
                {
                    var (o, ts, _, _) = Decode(entry, length);
                    if (((cutoff is null || ts >= cutoff) && address >= sizeLimitAddress) || o >= durable - 1)
                    {
                        (keepOffset, keepAddress, keepTimestamp) = (o, address, ts);
                        break;
                    }
                }
            }

            if (keepOffset <= _earliestOffset)
            {
                return 0;
            }

            _log.TruncateUntil(keepAddress);
            _log.Commit(spinWait: true);
            lock (_state)
            {
                var dropped = keepOffset - _earliestOffset;
                _earliestOffset = keepOffset;
                _earliestTimestamp = keepTimestamp;
                _index.RemoveAll(e => e.Address < keepAddress);
                _index.Insert(0, (keepOffset, keepAddress));
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
            _log.Dispose();
            _device.Dispose();
        }

        _grown.TrySetCanceled();
    }

    /// <summary>Rebuilds the index, offsets and time span from what the log recovered.</summary>
    private void Rebuild()
    {
        var first = true;
        using var iterator = _log.Scan(_log.BeginAddress, _log.CommittedUntilAddress);
        while (iterator.GetNext(out var entry, out var length, out var address, out _))
        {
            var (offset, timestamp, _, _) = Decode(entry, length);
            if (first)
            {
                _earliestOffset = offset;
                _earliestTimestamp = timestamp;
                first = false;
            }

            if (offset % IndexEvery == 0 || _index.Count == 0)
            {
                _index.Add((offset, address));
            }

            _latestTimestamp = timestamp;
            _nextOffset = offset + 1;
        }

        _durableNext = _nextOffset;
        if (first)
        {
            _earliestOffset = 0;
        }
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

    private static byte[] Encode(long offset, DateTime timestamp, byte[]? key, byte[] value)
    {
        var keyLength = key?.Length ?? 0;
        var buffer = new byte[HeaderSize + keyLength + value.Length];
        var span = buffer.AsSpan();
        span[0] = Format;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], offset);
        BinaryPrimitives.WriteInt64LittleEndian(span[9..], timestamp.Ticks);
        BinaryPrimitives.WriteInt32LittleEndian(span[17..], key is null ? -1 : keyLength);
        key?.CopyTo(span[HeaderSize..]);
        value.CopyTo(span[(HeaderSize + keyLength)..]);
        return buffer;
    }

    private static (long Offset, DateTime Timestamp, byte[]? Key, byte[] Value) Decode(byte[] entry, int length)
    {
        var span = entry.AsSpan(0, length);
        if (length < HeaderSize || span[0] != Format)
        {
            throw new InvalidDataException($"a log entry of {length} bytes is not a Tributary record (format {(length > 0 ? span[0] : -1)})");
        }

        var offset = BinaryPrimitives.ReadInt64LittleEndian(span[1..]);
        var timestamp = new DateTime(BinaryPrimitives.ReadInt64LittleEndian(span[9..]), DateTimeKind.Utc);
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(span[17..]);
        byte[]? key = null;
        var at = HeaderSize;
        if (keyLength >= 0)
        {
            key = span.Slice(at, keyLength).ToArray();
            at += keyLength;
        }

        return (offset, timestamp, key, span[at..].ToArray());
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
