using System.Runtime.InteropServices;
using FASTER.core;
using Tributary.Streams;

namespace Tributary.Tests.Streams;

/// <summary>The partition log's FASTER device on a temp directory: bytes at their places across segments, short reads, files FASTER's own device wrote, removal, errors.</summary>
public sealed class LogFileDeviceTests : TempDirectoryTest
{
    private const long SegmentSize = 1 << 20;

    public LogFileDeviceTests()
        : base("device")
    {
        Directory.CreateDirectory(Dir);
    }

    private string LogPath => Path.Combine(Dir, "log");

    private LogFileDevice Device()
    {
        var device = new LogFileDevice(LogPath);
        device.Initialize(SegmentSize);
        return device;
    }

    private IDevice ManagedDevice()
    {
        var device = Devices.CreateLogDevice(LogPath, preallocateFile: false, deleteOnClose: false);
        device.Initialize(SegmentSize);
        return device;
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Writes <paramref name="bytes"/> at a log address (segment and offset from it) and waits for the callback.</summary>
    private static async Task Write(IDevice device, long address, byte[] bytes)
    {
        var memory = Marshal.AllocHGlobal(bytes.Length);
        try
        {
            Marshal.Copy(bytes, 0, memory, bytes.Length);
            var done = new TaskCompletionSource<(uint Error, uint Bytes)>(TaskCreationOptions.RunContinuationsAsynchronously);
            device.WriteAsync(memory, (ulong)address, (uint)bytes.Length, (error, n, _) => done.SetResult((error, n)), null);
            Assert.Equal((0u, (uint)bytes.Length), await done.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            Marshal.FreeHGlobal(memory);
        }
    }

    /// <summary>Reads up to <paramref name="length"/> bytes at a log address: the error code and the bytes read.</summary>
    private static async Task<(uint Error, byte[] Bytes)> Read(IDevice device, long address, int length)
    {
        var memory = Marshal.AllocHGlobal(length);
        try
        {
            var done = new TaskCompletionSource<(uint Error, uint Bytes)>(TaskCreationOptions.RunContinuationsAsynchronously);
            device.ReadAsync((ulong)address, memory, (uint)length, (error, n, _) => done.SetResult((error, n)), null);
            var (error, read) = await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var bytes = new byte[read];
            Marshal.Copy(memory, bytes, 0, (int)read);
            return (error, bytes);
        }
        finally
        {
            Marshal.FreeHGlobal(memory);
        }
    }

    [Fact]
    public async Task WriteThenRead_AcrossSegments_TheSameBytesAtTheSamePlaces()
    {
        using var device = Device();
        var first = Bytes(64 * 1024, 1);
        var second = Bytes(8 * 1024, 2);
        await Write(device, 4096, first);
        await Write(device, SegmentSize + 512, second);

        Assert.Equal(first, (await Read(device, 4096, first.Length)).Bytes);
        Assert.Equal(second, (await Read(device, SegmentSize + 512, second.Length)).Bytes);
        Assert.Equal(first.AsSpan(1024, 512).ToArray(), (await Read(device, 4096 + 1024, 512)).Bytes);
        Assert.Equal(4096 + first.Length, new FileInfo(LogPath + ".0").Length);
        Assert.Equal(512 + second.Length, new FileInfo(LogPath + ".1").Length);
    }

    [Fact]
    public async Task Read_PastTheEndOfTheFile_ComesBackShortWithoutAnError()
    {
        using var device = Device();
        var bytes = Bytes(1000, 3);
        await Write(device, 0, bytes);

        var (error, read) = await Read(device, 512, 4096);
        Assert.Equal(0u, error);
        Assert.Equal(bytes.AsSpan(512).ToArray(), read);
    }

    [Fact]
    public async Task FilesOfFastersManagedDevice_ReadBack_AndTheOtherWayRound()
    {
        // Partitions written before this device keep opening: same file names, same bytes at the same offsets.
        var older = Bytes(20_000, 4);
        var newer = Bytes(30_000, 5);
        using (var managed = ManagedDevice())
        {
            await Write(managed, SegmentSize - 10_000, older);
        }

        using (var device = Device())
        {
            Assert.Equal(older.AsSpan(0, 10_000).ToArray(), (await Read(device, SegmentSize - 10_000, 10_000)).Bytes);
            await Write(device, (2 * SegmentSize) + 1024, newer);
        }

        using (var managed = ManagedDevice())
        {
            Assert.Equal(newer, (await Read(managed, (2 * SegmentSize) + 1024, newer.Length)).Bytes);
        }
    }

    [Fact]
    public async Task RemoveSegment_DeletesItsFile_AndAMissingOneIsNoError()
    {
        using var device = Device();
        await Write(device, 0, Bytes(512, 6));
        await Write(device, SegmentSize, Bytes(512, 7));

        device.RemoveSegment(0);
        device.RemoveSegment(5);
        Assert.False(File.Exists(LogPath + ".0"));
        Assert.True(File.Exists(LogPath + ".1"));
    }

    [Fact]
    public async Task Disposed_IoIsReportedAsAnError_NotThrown()
    {
        var device = Device();
        await Write(device, 0, Bytes(512, 8));
        device.Dispose();

        var (error, read) = await Read(device, 0, 512);
        Assert.NotEqual(0u, error);
        Assert.Empty(read);
    }
}
