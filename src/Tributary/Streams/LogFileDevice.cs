using System.Collections.Concurrent;
using FASTER.core;
using Microsoft.Win32.SafeHandles;

namespace Tributary.Streams;

/// <summary>
/// FasterLog's storage on local files: a file per segment, named as FASTER's own managed device names them
/// (<c>log.0</c>, <c>log.1</c> …, so partitions written before open the same), opened write-through (<c>O_SYNC</c>):
/// a write has reached the disk when FASTER is called back for it. Each read and write runs as one work item on the
/// thread pool and calls FASTER back there. Thread-safe.
/// </summary>
/// <remarks>
/// Implementation note: FASTER's <c>ManagedLocalStorageDevice</c> (what <c>Devices.CreateLogDevice</c> gives outside
/// Windows; its native device is Windows-only) runs every I/O as <c>Task.Run</c> over a shared <c>FileStream</c> (a lock,
/// a seek, then <c>ReadAsync</c>/<c>WriteAsync</c>, which queue the <c>pread</c>/<c>pwrite</c> to the thread pool again):
/// two thread hops per page a reader loads and per commit flush, which on two busy cores cost more than the copies.
/// Here the I/O is a positioned read or write on a handle, one hop, same bytes at the same places.
/// </remarks>
internal sealed class LogFileDevice : StorageDeviceBase
{
    private readonly ConcurrentDictionary<int, SafeFileHandle> _segments = new();
    private readonly Lock _open = new();
    private bool _disposed;

    /// <param name="path">The segment files' path without their number (<c>DIR/log</c>).</param>
    public LogFileDevice(string path)
        : base(path, sectorSize: 512, Devices.CAPACITY_UNSPECIFIED)
    {
    }

    public override void WriteAsync(IntPtr sourceAddress, int segmentId, ulong destinationAddress, uint numBytesToWrite, DeviceIOCompletionCallback callback, object context)
    {
        HandleCapacity(segmentId);
        ThreadPool.UnsafeQueueUserWorkItem(
            static io => io.Device.Write(io),
            new Io(this, segmentId, destinationAddress, sourceAddress, numBytesToWrite, callback, context),
            preferLocal: false);
    }

    public override void ReadAsync(int segmentId, ulong sourceAddress, IntPtr destinationAddress, uint readLength, DeviceIOCompletionCallback callback, object context)
    {
        ThreadPool.UnsafeQueueUserWorkItem(
            static io => io.Device.Read(io),
            new Io(this, segmentId, sourceAddress, destinationAddress, readLength, callback, context),
            preferLocal: false);
    }

    public override void RemoveSegmentAsync(int segment, AsyncCallback callback, IAsyncResult result)
    {
        RemoveSegment(segment);
        callback(result);
    }

    public override void RemoveSegment(int segment)
    {
        lock (_open)
        {
            if (_segments.TryRemove(segment, out var handle))
            {
                handle.Dispose();
            }

            try
            {
                File.Delete(GetSegmentFilename(FileName, segment));
            }
            catch (IOException)
            {
                // Its directory is gone already (FASTER's own device ignores this too).
            }
        }
    }

    public override long GetFileSize(int segment) => segmentSize > 0 ? segmentSize : RandomAccess.GetLength(Segment(segment));

    public override void Dispose()
    {
        lock (_open)
        {
            _disposed = true;
            foreach (var handle in _segments.Values)
            {
                handle.Dispose();
            }

            _segments.Clear();
        }
    }

    private unsafe void Write(Io io)
    {
        uint error = 0, written = io.Length;
        try
        {
            RandomAccess.Write(Segment(io.Segment), new ReadOnlySpan<byte>((void*)io.Memory, checked((int)io.Length)), checked((long)io.Offset));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            (error, written) = (ErrorCode(e), 0);
        }

        io.Callback(error, written, io.Context);
    }

    private unsafe void Read(Io io)
    {
        uint error = 0, read = 0;
        try
        {
            // Short at the end of the file: FASTER reads whole pages and finds the end of the log itself.
            var destination = new Span<byte>((void*)io.Memory, checked((int)io.Length));
            var handle = Segment(io.Segment);
            int n;
            while (read < io.Length && (n = RandomAccess.Read(handle, destination[(int)read..], checked((long)io.Offset + read))) > 0)
            {
                read += (uint)n;
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            (error, read) = (ErrorCode(e), 0);
        }

        io.Callback(error, read, io.Context);
    }

    private SafeFileHandle Segment(int segment)
    {
        if (_segments.TryGetValue(segment, out var handle))
        {
            return handle;
        }

        lock (_open)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_segments.TryGetValue(segment, out handle))
            {
                handle = File.OpenHandle(GetSegmentFilename(FileName, segment), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, FileOptions.WriteThrough);
                _segments[segment] = handle;
            }

            return handle;
        }
    }

    /// <summary>A non-zero error code for FASTER: the low word of the HRESULT, as its managed device reports one.</summary>
    private static uint ErrorCode(Exception e) => (e.HResult & 0xFFFF) is var code and not 0 ? (uint)code : uint.MaxValue;

    /// <summary>One read or write: where in which segment, the memory FASTER gave, and whom to call back.</summary>
    private sealed record Io(LogFileDevice Device, int Segment, ulong Offset, IntPtr Memory, uint Length, DeviceIOCompletionCallback Callback, object Context);
}
