using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using static Tributary.Streams.Processors.DedupJournal;

namespace Tributary.Streams.Processors;

/// <summary>
/// A dedup processor's durable state: which keys were seen within the last TTL, and where each was first seen, kept
/// in memory and in an append-only journal on local disk (format: <see cref="DedupJournal"/>).
/// </summary>
/// <remarks>
/// <para>
/// <b>Verdicts.</b> <see cref="Check(string, string, long)"/> answers <see cref="DedupVerdict.Unique"/> when the key
/// is not live, or when it is live and was first seen at the same position (source, offset) — the same input record
/// processed again after a crash, so a replay gets the verdicts of the first pass. Otherwise it answers
/// <see cref="DedupVerdict.Duplicate"/>. A unique verdict stores the key with expiry now + TTL and the position.
/// </para>
/// <para>
/// <b>TTL</b>, like Redis <c>SETEX</c> in Sunbird's DedupEngine: a key stored at <c>t</c> is live in
/// <c>[t, t + TTL)</c>; a duplicate does not store the key again, so copies do not extend its life (a replayed first
/// copy does, as the key is stored again). The expiry is written with the key, so a store reopened with another TTL
/// applies it to keys stored from then on. Expired keys are dropped as time passes and at compaction.
/// </para>
/// <para>
/// <b>Durability.</b> Checks are buffered; <see cref="Flush"/> makes every check so far durable (write and fsync;
/// <c>fdatasync</c> on Linux, see <see cref="DurableFile"/>) and must come before the processor commits its input offset. A crash loses only unflushed checks, which the
/// processor then sees again as replays. Opening replays the journal; a tail torn by a crash is cut, keeping every
/// whole entry before it. When the journal grows past twice what the live keys take (and past 1 MiB) a check first
/// compacts it (see <see cref="Compact"/>), which also makes everything so far durable.
/// </para>
/// <para>
/// <b>Keys</b> are compared ordinally as strings; they take at most 1,024 bytes of UTF-8 (longer ones, and strings
/// with unpaired surrogates, throw <see cref="ArgumentException"/>); the empty string is a key like any other. A
/// null key throws <see cref="ArgumentNullException"/>: what a record without a key means (Sunbird has both "unique,
/// never stored" and "duplicate") is the caller's decision. Source ids take at most 1,024 bytes of UTF-8 too.
/// </para>
/// <para>
/// <b>Threads.</b> Not thread-safe: one writer — the processor's thread — makes every call. One store at a time
/// may have a directory open (a lock file); a second open, in this process or another, throws
/// <see cref="IOException"/>. After an I/O error while writing, the store refuses further calls
/// (<see cref="InvalidOperationException"/>): dispose it and open it again, which recovers what was flushed.
/// </para>
/// </remarks>
public sealed class DedupStore : IDisposable
{
    /// <summary>Journals below this size are never compacted automatically.</summary>
    private const long CompactionFloor = 1 << 20;

    private const int BufferSize = 1 << 16;

    /// <summary>Journals past this size get their file grown ahead of the writes (where <see cref="DurableFile.SyncsDataOnly"/>).</summary>
    private const long PreallocationFloor = 1 << 16;

    /// <summary>The least the file grows by at a time, once past <see cref="PreallocationFloor"/>; otherwise an eighth of its size.</summary>
    private const long PreallocationStep = 1 << 20;

    private static readonly byte[] Zeros = new byte[1 << 16];

    private readonly string _directory;
    private readonly string _path;
    private readonly long _ttlTicks;
    private readonly TimeProvider _time;
    private readonly FileStream _lock;
    // Implementation note: each live key maps to the sequence number of its entry in _log, which holds its expiry and
    // position, so a table entry takes 24 bytes instead of 40 with them inline. Most of a check is cache misses over
    // the table (as for a HashSet<string>.Add), and a smaller table misses less; a duplicate's extra read of its entry
    // mostly hits, as copies come soon after the first.
    private readonly Dictionary<string, long> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _keysBySpan;
    private readonly List<string> _sources = [];
    private readonly Dictionary<string, int> _sourceIds = new(StringComparer.Ordinal);
    private readonly byte[] _buffer = new byte[BufferSize];
    private FileStream _journal;

    // Implementation note: the TTL is fixed, so keys expire in the order they were stored; this log of entries in
    // store order lets each check drop what has expired in amortized O(1), keeping memory, Count and the compaction
    // trigger to the live keys. A key stored again gets a new entry and its old one is cleared. Only a clock stepping
    // back, or a reopen with a shorter TTL, leaves it out of expiry order: then some keys are dropped late (they answer
    // as expired all the same), and compaction drops them.
    private DedupEntryLog _log = new();
    private int _buffered;
    private long _journalBytes;

    // The journal file's length: _journalBytes less what is buffered, plus zeros allocated ahead of the writes.
    private long _allocated;
    private long _liveKeyBytes;
    private long _sourceBytes;
    private bool _dirty;
    private string? _lastSource;
    private int _lastSourceId;
    private bool _faulted;
    private bool _disposed;

    private DedupStore(string directory, long ttlTicks, TimeProvider time, FileStream lockFile, FileStream journal)
    {
        _directory = directory;
        _path = Path.Combine(directory, FileName);
        _ttlTicks = ttlTicks;
        _time = time;
        _lock = lockFile;
        _journal = journal;
        _keysBySpan = _keys.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// Live keys: stored less than a TTL ago (by the store's clock); drops expired keys first, amortized O(1). Exact
    /// while keys expire in the order they were stored; after the clock steps back, or a reopen with a shorter TTL,
    /// a key that expired out of order counts until the keys stored before it expire or <see cref="Compact"/> runs.
    /// </summary>
    public int Count
    {
        get
        {
            ThrowIfUnusable();
            Expire(Now());
            return _keys.Count;
        }
    }

    /// <summary>
    /// Bytes cut from the end of the journal when this store opened: a tail torn by a crash, with the zeros allocated
    /// ahead of the writes (0 after a clean close).
    /// </summary>
    internal long TruncatedBytes { get; private set; }

    /// <summary>The journal's size, buffered entries included.</summary>
    internal long JournalBytes => _journalBytes;

    /// <summary>
    /// Opens the store in <paramref name="directory"/> (created if missing), replaying its journal: keys already
    /// expired are dropped, and a tail torn by a crash is cut.
    /// </summary>
    /// <param name="directory">The store's own directory (it holds <c>dedup.journal</c> and <c>dedup.lock</c>).</param>
    /// <param name="ttl">How long a stored key stays live; positive.</param>
    /// <param name="time">The clock for expiries (default: the system clock).</param>
    /// <exception cref="IOException">Another store has the directory open, or the disk failed.</exception>
    /// <exception cref="InvalidDataException">The journal is not a dedup journal, is of a newer format, or is corrupt beyond a torn tail.</exception>
    public static DedupStore Open(string directory, TimeSpan ttl, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(directory);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (IOException e)
        {
            throw new IOException($"the dedup store in '{directory}' is open elsewhere (another process or another DedupStore): {e.Message}", e);
        }

        FileStream? journal = null;
        try
        {
            var path = Path.Combine(directory, FileName);
            var temp = Path.Combine(directory, TempFileName);

            // A compaction or a creation cut short: the journal beside it (if any) is whole.
            File.Delete(temp);
            if (!File.Exists(path))
            {
                Span<byte> header = stackalloc byte[HeaderSize];
                WriteHeader(header);
                using (var created = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
                {
                    created.Write(header);
                    created.Flush(flushToDisk: true);
                }

                File.Move(temp, path);
                DurableDirectory.Sync(directory);
            }

            journal = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
            var store = new DedupStore(directory, ttl.Ticks, time ?? TimeProvider.System, lockFile, journal);
            store.Recover();
            return store;
        }
        catch
        {
            journal?.Dispose();
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Decides whether the record at (<paramref name="source"/>, <paramref name="offset"/>) with
    /// <paramref name="key"/> is a copy, and stores the key when it is not (see the class remarks).
    /// </summary>
    /// <param name="key">The record's dedup key (an event's <c>mid</c>, a batch's <c>params.msgid</c>); not null.</param>
    /// <param name="source">Where the record comes from, e.g. "dedup/0" for the processor and input partition.</param>
    /// <param name="offset">The record's offset in <paramref name="source"/>.</param>
    /// <exception cref="ArgumentException">The key or source is longer than 1,024 bytes of UTF-8, or is not valid UTF-16.</exception>
    public DedupVerdict Check(string key, string source, long offset)
    {
        ArgumentNullException.ThrowIfNull(key);
        var sourceId = SourceId(source);
        Reserve();
        var now = Now();
        ref var sequence = ref CollectionsMarshal.GetValueRefOrAddDefault(_keys, key, out var exists);
        if (exists && IsCopy(in _log[sequence], sourceId, offset, now))
        {
            Expire(now);
            return DedupVerdict.Duplicate;
        }

        return Store(key, ref sequence, exists, sourceId, offset, now);
    }

    /// <summary>
    /// <see cref="Check(string, string, long)"/> for a key given as UTF-8 bytes (as read from JSON): allocates
    /// nothing for a duplicate. Bytes that are not valid UTF-8 throw <see cref="ArgumentException"/>.
    /// </summary>
    public DedupVerdict Check(ReadOnlySpan<byte> utf8Key, string source, long offset)
    {
        var sourceId = SourceId(source);
        if (utf8Key.Length > MaxKeyBytes)
        {
            throw TooLong("key", utf8Key.Length, MaxKeyBytes);
        }

        Span<char> chars = stackalloc char[MaxKeyBytes];
        if (Utf8.ToUtf16(utf8Key, chars, out _, out var length, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            throw new ArgumentException("a dedup key must be valid UTF-8", nameof(utf8Key));
        }

        var now = Now();
        var text = chars[..length];
        var found = _keysBySpan.TryGetValue(text, out var stored, out var storedSequence);
        if (found && IsCopy(in _log[storedSequence], sourceId, offset, now))
        {
            Expire(now);
            return DedupVerdict.Duplicate;
        }

        Reserve();
        var key = stored ?? new string(text);
        ref var sequence = ref CollectionsMarshal.GetValueRefOrAddDefault(_keys, key, out var exists);
        return Store(key, ref sequence, exists, sourceId, offset, now);
    }

    /// <summary>
    /// Makes every check so far durable: writes the buffered entries and syncs the journal to disk (fsync;
    /// <c>fdatasync</c> on Linux). Cheap when nothing changed.
    /// </summary>
    public void Flush()
    {
        ThrowIfUnusable();
        if (!_dirty)
        {
            return;
        }

        try
        {
            WriteBuffer();
            DurableFile.SyncData(_journal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _faulted = true;
            throw;
        }

        _dirty = false;
    }

    /// <summary>
    /// Rewrites the journal with only the live keys (to a temporary file, fsynced, renamed over the journal), which
    /// also makes every check so far durable. Returns the bytes reclaimed: the journal's size before (buffered entries
    /// included) minus after.
    /// </summary>
    public long Compact()
    {
        ThrowIfUnusable();
        var now = Now();
        Expire(now);
        var before = _journalBytes;
        Rewrite(now);
        return before - _journalBytes;
    }

    /// <summary>
    /// Flushes (see <see cref="Flush"/>; an I/O error is thrown), cuts the space allocated ahead of the writes, and
    /// closes the journal. Idempotent.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            if (!_faulted)
            {
                Flush();
                if (_allocated > _journalBytes)
                {
                    _journal.SetLength(_journalBytes);
                    _journal.Flush(flushToDisk: true);
                }
            }
        }
        finally
        {
            _disposed = true;
            _journal.Dispose();
            _lock.Dispose();
        }
    }

    private static ArgumentException TooLong(string what, int bytes, int limit) =>
        new($"a dedup {what} takes at most {limit:N0} bytes of UTF-8; this one takes {bytes:N0}", what);

    /// <summary>Whether a check at (source, offset) at <paramref name="now"/> finds a copy of the key stored as <paramref name="entry"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsCopy(in DedupEntryLog.Entry entry, int sourceId, long offset, long now) =>
        entry.ExpiryTicks > now && (entry.SourceId != sourceId || entry.Offset != offset);

    /// <summary>
    /// Stores <paramref name="key"/> (found in the table or just added to it, <paramref name="sequence"/> being its
    /// value there) as first seen now at (source, offset), and journals it; the buffer has room (<see cref="Reserve"/>).
    /// </summary>
    private DedupVerdict Store(string key, ref long sequence, bool exists, int sourceId, long offset, long now)
    {
        // The key goes straight into its place in the buffer. A key in the table was encoded before; a new one
        // that cannot be is taken out again.
        var entry = _buffer.AsSpan(_buffered);
        int keyBytes;
        try
        {
            keyBytes = EncodeKey(key, entry.Slice(FrameSize + KeyFixed, MaxKeyBytes));
        }
        catch (ArgumentException) when (!exists)
        {
            _keys.Remove(key);
            throw;
        }

        var expiry = _ttlTicks > long.MaxValue - now ? long.MaxValue : now + _ttlTicks;
        if (exists)
        {
            // The key is stored again (its replay, or after it expired): its old entry is superseded, and the new
            // one keeps the table's instance of the key rather than the caller's copy.
            ref var old = ref _log[sequence];
            key = old.Key!;
            _liveKeyBytes -= KeyEntrySize(old.KeyBytes);
            old = default;
        }

        sequence = _log.Append(new DedupEntryLog.Entry(key, expiry, offset, sourceId, keyBytes));
        var size = CompleteKeyEntry(entry, expiry, sourceId, offset, keyBytes);
        _buffered += size;
        _journalBytes += size;
        _liveKeyBytes += size;
        _dirty = true;

        // Only now: dropping expired keys may free the table entry that sequence refers to.
        Expire(now);
        if (_journalBytes > CompactionFloor && _journalBytes > 2 * LiveJournalBytes)
        {
            Rewrite(now);
        }

        return DedupVerdict.Unique;
    }

    /// <summary>What a compacted journal holding the live keys takes.</summary>
    private long LiveJournalBytes => HeaderSize + _sourceBytes + _liveKeyBytes;

    private static int EncodeKey(string key, Span<byte> destination)
    {
        var status = Utf8.FromUtf16(key, destination, out _, out var written, replaceInvalidSequences: false);
        return status switch
        {
            OperationStatus.Done => written,
            OperationStatus.DestinationTooSmall => throw TooLong("key", Encoding.UTF8.GetByteCount(key), MaxKeyBytes),
            _ => throw new ArgumentException("a dedup key must be valid UTF-16 (this one has an unpaired surrogate)", nameof(key)),
        };
    }

    private long Now() => _time.GetUtcNow().UtcTicks;

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_faulted)
        {
            throw new InvalidOperationException($"the dedup store in '{_directory}' failed to write; dispose it and open it again");
        }
    }

    /// <summary>The source's id, journaling it first when new.</summary>
    private int SourceId(string source)
    {
        ThrowIfUnusable();
        ArgumentNullException.ThrowIfNull(source);
        if (string.Equals(source, _lastSource, StringComparison.Ordinal))
        {
            return _lastSourceId;
        }

        if (!_sourceIds.TryGetValue(source, out var id))
        {
            Reserve();
            var entry = _buffer.AsSpan(_buffered);
            var status = Utf8.FromUtf16(source, entry.Slice(FrameSize + SourceFixed, MaxSourceBytes), out _, out var nameBytes, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                throw status == OperationStatus.DestinationTooSmall
                    ? TooLong("source", Encoding.UTF8.GetByteCount(source), MaxSourceBytes)
                    : new ArgumentException("a dedup source must be valid UTF-16 (this one has an unpaired surrogate)", nameof(source));
            }

            id = _sources.Count;
            var size = CompleteSourceEntry(entry, id, nameBytes);
            _buffered += size;
            _journalBytes += size;
            _sourceBytes += size;
            _dirty = true;
            _sources.Add(source);
            _sourceIds.Add(source, id);
        }

        _lastSource = source;
        _lastSourceId = id;
        return id;
    }

    /// <summary>Drops the keys that expired by <paramref name="now"/> (at the head of the log), and superseded entries before them.</summary>
    private void Expire(long now)
    {
        while (_log.Count > 0)
        {
            ref readonly var head = ref _log[_log.Head];
            if (head.Key is { } key)
            {
                if (head.ExpiryTicks > now)
                {
                    return;
                }

                _liveKeyBytes -= KeyEntrySize(head.KeyBytes);
                _keys.Remove(key);
            }

            _log.DropFirst();
        }
    }

    /// <summary>Makes room in the buffer for the largest entry.</summary>
    private void Reserve()
    {
        if (_buffer.Length - _buffered < MaxEntry)
        {
            Drain();
        }
    }

    /// <summary>Writes the buffer out (not inlined into <see cref="Reserve"/>: a method with a catch never is).</summary>
    private void Drain()
    {
        try
        {
            WriteBuffer();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _faulted = true;
            throw;
        }
    }

    private void WriteBuffer()
    {
        if (_buffered == 0)
        {
            return;
        }

        var end = _journal.Position + _buffered;
        if (end > PreallocationFloor && end + (PreallocationStepAt(_allocated) / 2) > _allocated && DurableFile.SyncsDataOnly)
        {
            Preallocate(end);
        }

        _journal.Write(_buffer, 0, _buffered);
        _buffered = 0;
        _allocated = Math.Max(_allocated, end);
    }

    /// <summary>How much the journal file grows by at a time when it is <paramref name="length"/> bytes long.</summary>
    private static long PreallocationStepAt(long length) => Math.Max(PreallocationStep, length / 8);

    /// <summary>
    /// Grows the journal file with zeros a step past <paramref name="end"/> (or past its end, if further), once the
    /// writes come within half a step of its end.
    /// </summary>
    /// <remarks>
    /// Implementation note: a flush after an append has to commit the new size and blocks in the file system's
    /// journal, which on a shared disk waits for everyone's pending metadata (0.4 ms a flush here when quiet, several
    /// ms under load), while a flush of writes over blocks already written needs no commit (0.2 ms quiet). The zeros
    /// are not synced here, only sent on their way to disk, half a step ahead of the entries: the flush that first
    /// writes over them then finds them mostly written, and commits the size once for the step.
    /// </remarks>
    private void Preallocate(long end)
    {
        var start = _allocated;
        var target = Math.Max(end, start) + PreallocationStepAt(start);
        var handle = _journal.SafeFileHandle;
        for (var at = start; at < target; at += Zeros.Length)
        {
            RandomAccess.Write(handle, Zeros.AsSpan(0, (int)Math.Min(Zeros.Length, target - at)), at);
        }

        _allocated = target;
        DurableFile.StartWriteBack(_journal, start, target - start);
    }

    /// <summary>Replays the journal into memory, cutting a torn tail.</summary>
    private void Recover()
    {
        var now = Now();
        long fileLength;
        bool torn;
        long validEnd;
        using (var read = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1 << 16))
        {
            fileLength = read.Length;
            Span<byte> header = stackalloc byte[HeaderSize];
            if (read.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize || !header[..8].SequenceEqual(Magic))
            {
                throw new InvalidDataException($"'{_path}' is not a dedup journal");
            }

            var version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"'{_path}' is a dedup journal of format version {version}; this build reads version {FormatVersion}");
            }

            var reader = new DedupJournalReader(read, HeaderSize);
            var chars = new char[MaxKeyBytes];
            while (reader.TryRead(out var payload))
            {
                Replay(payload, chars, now, reader.ValidEnd);
            }

            torn = reader.Torn;
            validEnd = reader.ValidEnd;
        }

        if (torn || validEnd != fileLength)
        {
            _journal.SetLength(validEnd);
            _journal.Flush(flushToDisk: true);
            TruncatedBytes = fileLength - validEnd;
        }

        _journal.Seek(validEnd, SeekOrigin.Begin);
        _journalBytes = validEnd;
        _allocated = validEnd;
        SortLogByExpiry();
        if (_journalBytes > CompactionFloor && _journalBytes > 2 * LiveJournalBytes)
        {
            Rewrite(now);
        }
    }

    private void Replay(ReadOnlySpan<byte> payload, char[] chars, long now, long end)
    {
        switch (payload[0])
        {
            case SourceKind when payload.Length >= SourceFixed:
            {
                var id = BinaryPrimitives.ReadUInt32LittleEndian(payload[1..]);
                var name = payload[SourceFixed..];
                if (id != _sources.Count || name.Length > MaxSourceBytes || !Utf8.IsValid(name))
                {
                    throw Corrupt(end, $"a source entry with id {id} (expected {_sources.Count})");
                }

                var source = Encoding.UTF8.GetString(name);
                if (!_sourceIds.TryAdd(source, (int)id))
                {
                    throw Corrupt(end, $"a second entry for the source '{source}'");
                }

                _sources.Add(source);
                _sourceBytes += FrameSize + payload.Length;
                break;
            }

            case KeyKind when payload.Length >= KeyFixed:
            {
                var expiry = BinaryPrimitives.ReadInt64LittleEndian(payload[1..]);
                var sourceId = BinaryPrimitives.ReadUInt32LittleEndian(payload[9..]);
                var offset = BinaryPrimitives.ReadInt64LittleEndian(payload[13..]);
                var key = payload[KeyFixed..];
                if (sourceId >= (uint)_sources.Count || key.Length > MaxKeyBytes
                    || Utf8.ToUtf16(key, chars, out _, out var length, replaceInvalidSequences: false) != OperationStatus.Done)
                {
                    throw Corrupt(end, "a key entry with an unknown source or a key that is not UTF-8");
                }

                // This entry replaces any earlier one for the key; an expired one leaves the key out.
                var text = chars.AsSpan(0, length);
                var exists = _keysBySpan.TryGetValue(text, out var stored, out var sequence);
                if (exists)
                {
                    _liveKeyBytes -= KeyEntrySize(_log[sequence].KeyBytes);
                    _log[sequence] = default;
                    if (expiry <= now)
                    {
                        _keys.Remove(stored!);
                    }
                }

                if (expiry > now)
                {
                    stored ??= new string(text);
                    _keys[stored] = _log.Append(new DedupEntryLog.Entry(stored, expiry, offset, (int)sourceId, key.Length));
                    _liveKeyBytes += KeyEntrySize(key.Length);
                }

                break;
            }

            default:
                throw Corrupt(end, $"an entry of unknown kind {payload[0]} or too short ({payload.Length} bytes)");
        }
    }

    private InvalidDataException Corrupt(long end, string what) =>
        new($"the dedup journal '{_path}' is corrupt: {what}, in the entry ending at byte {end:N0}, whose checksum matches");

    /// <summary>
    /// Rebuilds the log in expiry order when the journal was not (its keys were stored under a clock that stepped back,
    /// or with a longer TTL than now), so that keys expire from its head in order.
    /// </summary>
    private void SortLogByExpiry()
    {
        var previous = long.MinValue;
        var sorted = true;
        for (var sequence = _log.Head; sequence < _log.Tail && sorted; sequence++)
        {
            ref readonly var entry = ref _log[sequence];
            if (entry.Key is not null)
            {
                sorted = previous <= entry.ExpiryTicks;
                previous = entry.ExpiryTicks;
            }
        }

        if (sorted)
        {
            return;
        }

        var entries = new List<DedupEntryLog.Entry>(_keys.Count);
        for (var sequence = _log.Head; sequence < _log.Tail; sequence++)
        {
            if (_log[sequence].Key is not null)
            {
                entries.Add(_log[sequence]);
            }
        }

        // Stable, so keys with the same expiry keep their journal order.
        var ordered = entries.OrderBy(e => e.ExpiryTicks).ToList();
        var log = new DedupEntryLog();
        foreach (var entry in ordered)
        {
            _keys[entry.Key!] = log.Append(entry);
        }

        _log = log;
    }

    /// <summary>Writes a journal of the live keys to the temporary file and renames it over the journal.</summary>
    private void Rewrite(long now)
    {
        var temp = Path.Combine(_directory, TempFileName);
        var kept = new DedupEntryLog();
        var dropped = new List<string>();
        long sourceBytes = 0, keyBytes = 0;
        try
        {
            using var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20);
            Span<byte> entry = new byte[MaxEntry];
            WriteHeader(entry);
            output.Write(entry[..HeaderSize]);
            for (var id = 0; id < _sources.Count; id++)
            {
                var nameBytes = Encoding.UTF8.GetBytes(_sources[id], entry[(FrameSize + SourceFixed)..]);
                var size = CompleteSourceEntry(entry, id, nameBytes);
                output.Write(entry[..size]);
                sourceBytes += size;
            }

            for (var sequence = _log.Head; sequence < _log.Tail; sequence++)
            {
                ref readonly var live = ref _log[sequence];
                if (live.Key is not { } key)
                {
                    continue;
                }

                if (live.ExpiryTicks <= now)
                {
                    // Expired out of order (the clock stepped back).
                    dropped.Add(key);
                    continue;
                }

                var n = Encoding.UTF8.GetBytes(key, entry[(FrameSize + KeyFixed)..]);
                var size = CompleteKeyEntry(entry, live.ExpiryTicks, live.SourceId, live.Offset, n);
                output.Write(entry[..size]);
                keyBytes += size;
                kept.Append(live);
            }

            output.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing changed yet: the journal and the buffer are as they were.
            TryDelete(temp);
            throw;
        }

        try
        {
            // The buffered entries are in the new journal: they are dropped with the old one.
            _journal.Dispose();
            _buffered = 0;
            File.Move(temp, _path, overwrite: true);
            DurableDirectory.Sync(_directory);
            _journal = new FileStream(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
            _allocated = _journal.Seek(0, SeekOrigin.End);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _faulted = true;
            throw;
        }

        foreach (var key in dropped)
        {
            _keys.Remove(key);
        }

        // The kept entries, renumbered without the superseded and dropped ones.
        for (var sequence = kept.Head; sequence < kept.Tail; sequence++)
        {
            CollectionsMarshal.GetValueRefOrNullRef(_keys, kept[sequence].Key!) = sequence;
        }

        _log = kept;
        _sourceBytes = sourceBytes;
        _liveKeyBytes = keyBytes;
        _journalBytes = HeaderSize + sourceBytes + keyBytes;
        _dirty = false;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Deleted at the next open.
        }
    }
}
