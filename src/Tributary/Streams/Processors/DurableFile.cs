using System.Runtime.InteropServices;

namespace Tributary.Streams.Processors;

/// <summary>
/// Makes what was written to a file durable with as little metadata as the platform allows: <c>fdatasync</c> on Linux,
/// which flushes the data and only the metadata needed to read it back (the size, new blocks) but not timestamps, so
/// writes over blocks the file already has need no file-system journal commit; <see cref="FileStream.Flush(bool)"/>
/// (<c>fsync</c>, or <c>F_FULLFSYNC</c> on macOS) elsewhere.
/// </summary>
internal static class DurableFile
{
    /// <summary>Whether <see cref="SyncData"/> spares the metadata commit for writes over a file's existing blocks.</summary>
    public static bool SyncsDataOnly => OperatingSystem.IsLinux();

    /// <summary>Flushes the data written to <paramref name="file"/> to disk; throws <see cref="IOException"/> when it cannot.</summary>
    public static void SyncData(FileStream file)
    {
        if (!SyncsDataOnly)
        {
            file.Flush(flushToDisk: true);
            return;
        }

        if (fdatasync(file.SafeFileHandle) != 0)
        {
            throw new IOException($"cannot flush '{file.Name}' to disk (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    /// <summary>
    /// Starts writing <paramref name="count"/> bytes of <paramref name="file"/> at <paramref name="offset"/> to disk
    /// without waiting (<c>sync_file_range</c> on Linux; nothing elsewhere). A hint: durability still takes <see cref="SyncData"/>.
    /// </summary>
    public static void StartWriteBack(FileStream file, long offset, long count)
    {
        if (SyncsDataOnly)
        {
            // Failing is harmless (the pages are written at the next sync all the same), so the result is ignored.
            _ = sync_file_range(file.SafeFileHandle, offset, count, SyncFileRangeWrite);
        }
    }

    private const uint SyncFileRangeWrite = 2;

#pragma warning disable SA1300, IDE1006 // libc's names
    [DllImport("libc", SetLastError = true)]
    private static extern int fdatasync(SafeHandle fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int sync_file_range(SafeHandle fd, long offset, long nbytes, uint flags);
#pragma warning restore SA1300, IDE1006
}
