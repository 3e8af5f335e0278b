using System.Buffers.Binary;
using Tributary.Streams;

namespace Tributary.Tests.Streams;

/// <summary>
/// One partition's FasterLog on a temp directory: reads that go on with their cursor (across batches, pages from disk,
/// new appends, retention, concurrent readers), the durable end, and recovery from commits after the last metadata file.
/// </summary>
public sealed class PartitionLogTests : TempDirectoryTest
{
    private static readonly DateTime T0 = new(2024, 5, 23, 0, 0, 0, DateTimeKind.Utc);

    public PartitionLogTests()
        : base("partition")
    {
    }

    private PartitionLog Open(ReadCursors? cursors = null) => PartitionLog.Open(0, Dir, cursors ?? new ReadCursors(8));

    /// <summary>Records whose value is their intended offset (8 bytes), padded to <paramref name="size"/> bytes.</summary>
    private static List<(byte[]? Key, byte[] Value, DateTime Timestamp)> Records(long from, int count, int size = 200) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var value = new byte[size];
            BinaryPrimitives.WriteInt64LittleEndian(value, from + i);
            value[^1] = (byte)(from + i);
            return ((byte[]?)null, value, T0.AddSeconds(from + i));
        }).ToList();

    private static async Task Append(PartitionLog log, long from, int count, int size = 200) =>
        await log.AppendAsync(Records(from, count, size), CancellationToken.None);

    /// <summary>Checks records are the dense run <paramref name="from"/>, … with the values <see cref="Records"/> gave them.</summary>
    private static void AssertRun(long from, IReadOnlyList<StoredRecord> records)
    {
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            Assert.Equal(from + i, r.Offset);
            Assert.Equal(from + i, BinaryPrimitives.ReadInt64LittleEndian(r.Value));
            Assert.Equal((byte)(from + i), r.Value[^1]);
            Assert.Equal(T0.AddSeconds(from + i), r.Timestamp);
        }
    }

    /// <summary>Reads everything from <paramref name="offset"/> to the end in reads of <paramref name="chunk"/>, checking each.</summary>
    private static long ReadOn(PartitionLog log, long offset, int chunk)
    {
        while (log.Read("t", offset, chunk) is { Count: > 0 } records)
        {
            AssertRun(offset, records);
            offset += records.Count;
        }

        return offset;
    }

    [Fact]
    public async Task Read_ReadingOnInsideBatches_GoesOnWithOneCursor_AndOnIntoNewAppends()
    {
        var cursors = new ReadCursors(8);
        using var log = Open(cursors);
        await Append(log, 0, 2_000); // about seven 64 KB batches

        // Reads of 333 stop inside batches: the rest of a batch is carried to the next read.
        var offset = 0L;
        for (var n = 0; n < 5; n++)
        {
            var records = log.Read("t", offset, 333);
            Assert.Equal(333, records.Count);
            AssertRun(offset, records);
            offset += records.Count;
            Assert.Equal(1, cursors.Count);
        }

        await Append(log, 2_000, 1_000);
        var rest = log.Read("t", offset, 5_000);
        Assert.Equal(3_000 - offset, rest.Count);
        AssertRun(offset, rest);

        // A read that reached the end gives its cursor up; one from elsewhere starts its own.
        Assert.Equal(0, cursors.Count);
        AssertRun(1_234, log.Read("t", 1_234, 10));
        Assert.Equal(1, cursors.Count);
    }

    [Fact]
    public async Task Read_ManyPagesFromDisk_EveryRecordOnceInOrder_WithAndWithoutCursors()
    {
        // 12 MB: six FASTER pages, most of them only on disk once the log is opened again.
        using (var log = Open())
        {
            for (var i = 0; i < 60; i++)
            {
                await Append(log, i * 1_000L, 1_000);
            }
        }

        using (var log = Open())
        {
            Assert.Equal(60_000, ReadOn(log, 0, 7_777));
            Assert.Equal(60_000, ReadOn(log, 12_345, 10_000));
        }

        using (var log = Open(new ReadCursors(0)))
        {
            Assert.Equal(60_000, ReadOn(log, 0, 7_777));
        }
    }

    [Fact]
    public async Task Read_AfterRetention_CursorsAreDropped_AndReadsStartAtTheEarliestKept()
    {
        var cursors = new ReadCursors(8);
        using var log = Open(cursors);
        for (var i = 0; i < 20; i++)
        {
            await Append(log, i * 500L, 500, size: 1_000);
        }

        AssertRun(0, log.Read("t", 0, 4_000));
        Assert.Equal(1, cursors.Count);

        var dropped = log.Truncate(cutoff: null, maxBytes: 2_000_000);
        Assert.True(dropped > 4_000, $"dropped {dropped}");
        Assert.Equal(0, cursors.Count);

        var earliest = log.Info().EarliestOffset;
        var records = log.Read("t", 4_000, 1_000);
        Assert.Equal(1_000, records.Count);
        AssertRun(earliest, records);
        Assert.Equal(10_000, ReadOn(log, earliest + 1_000, 999));
    }

    [Fact]
    public async Task Read_ConcurrentReadersOfOnePartition_WhileAppending_EachSeesEveryRecordOnceInOrder()
    {
        // Two idle cursors for four readers: they take, give back and push out each other's all the time.
        using var log = Open(new ReadCursors(2));
        await Append(log, 0, 5_000);
        const long total = 40_000;
        var appender = Task.Run(async () =>
        {
            for (var from = 5_000L; from < total; from += 1_000)
            {
                await Append(log, from, 1_000);
            }
        });

        var readers = new[] { 100, 333, 1_000, 4_096 }.Select(chunk => Task.Run(async () =>
        {
            var offset = 0L;
            while (offset < total)
            {
                var records = log.Read("t", offset, chunk);
                AssertRun(offset, records);
                offset += records.Count;
                if (records.Count == 0)
                {
                    await log.WaitForAsync(offset, CancellationToken.None);
                }
            }

            return offset;
        })).ToArray();

        await appender;
        Assert.All(await Task.WhenAll(readers), end => Assert.Equal(total, end));
    }

    [Fact]
    public async Task Read_FasterCommittedMoreThanIsDurable_StopsAtTheDurableEnd_AndReadsOnOnceItIs()
    {
        // Two producers' appends go into the log; one commit makes both durable in FASTER, but only the first has
        // been acknowledged (the second producer's commit has not returned yet).
        var cursors = new ReadCursors(8);
        using var log = Open(cursors);
        var (first, firstLast) = log.EnqueueOnce(Records(0, 300), "a", 1);
        var (second, secondLast) = log.EnqueueOnce(Records(300, 300), "b", 1);
        Assert.Equal((300, 300L, 300, 600L), (first, firstLast, second, secondLast));
        await log.CommitAsync(firstLast, CancellationToken.None);

        AssertRun(100, log.Read("t", 100, 100));
        var upToDurable = log.Read("t", 200, 1_000);
        Assert.Equal(100, upToDurable.Count);
        AssertRun(200, upToDurable);
        Assert.Empty(log.Read("t", 300, 1_000));

        // A reader that stopped exactly at the durable end keeps its cursor there and reads on from it once the rest
        // is acknowledged.
        Assert.Equal(300, log.Read("t", 0, 300).Count);
        Assert.Equal(1, cursors.Count);
        await log.CommitAsync(secondLast, CancellationToken.None);
        Assert.Equal(600, ReadOn(log, 300, 250));
    }

    [Fact]
    public async Task Open_CommitsAfterTheLastMetadataFile_AreFoundInTheLog()
    {
        // 45 commits: FASTER writes its metadata file for one commit in 32, so the newest file is older than the last
        // 12 commits; they are found again by scanning the log's commit entries.
        using (var log = Open())
        {
            for (var i = 0; i < 45; i++)
            {
                await Append(log, i * 10L, 10);
            }
        }

        var newestMetadata = Directory.GetFiles(Path.Combine(Dir, "log-commits")).Select(f => long.Parse(Path.GetFileName(f).Split('.')[1], System.Globalization.CultureInfo.InvariantCulture)).Max();
        Assert.True(newestMetadata < 45, $"the newest commit metadata file is of commit {newestMetadata}");

        using (var log = Open())
        {
            Assert.Equal(450, log.Info().NextOffset);
            Assert.Equal(450, ReadOn(log, 0, 100));
            Assert.Equal(450, (await log.AppendAsync(Records(450, 1), CancellationToken.None))[0]);
        }
    }

    [Fact]
    public async Task Open_TornTail_CutAtTheLastWholeCommit_AndOffsetsGoOnFromThere()
    {
        var segment = Path.Combine(Dir, "log.0");
        long whole;
        using (var log = Open())
        {
            for (var i = 0; i < 9; i++)
            {
                await Append(log, i * 100L, 100);
            }

            whole = new FileInfo(segment).Length;
            await Append(log, 900, 100);
        }

        // The tenth append reached the disk only in part (a crash in its write, before its commit returned, so before
        // any metadata file could name it): the file ends inside its batch.
        var torn = new FileInfo(segment).Length;
        Assert.True(torn > whole + 20_000, $"{whole} then {torn} bytes");
        using (var file = new FileStream(segment, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(whole + ((torn - whole) / 2));
        }

        using (var log = Open())
        {
            // The index written at the close ends past what survived: it is not used.
            Assert.False(log.OpenedFromIndex);
            Assert.Equal(900, log.Info().NextOffset);
            Assert.Equal(900, ReadOn(log, 0, 128));
            Assert.Equal(900, (await log.AppendAsync(Records(900, 1), CancellationToken.None))[0]);
        }

        using (var log = Open())
        {
            Assert.Equal(901, ReadOn(log, 0, 128));
        }
    }

    /// <summary>What an open knows of the log: offsets, size and time span, every record, and producers' stamps.</summary>
    private static string State(PartitionLog log, params string[] producers)
    {
        var info = log.Info();
        var records = log.Read("t", 0, int.MaxValue);
        var stamps = producers.Select(p => log.LastStamp(p) is { } s ? $"{p}={s.Sequence}/{s.Part}" : $"{p}=none");
        return $"{info} | {records.Count} records {string.Join(",", records.Select(r => r.Offset).Take(3))}… | {string.Join(" ", stamps)}";
    }

    private async Task AppendStamped(PartitionLog log, string producer, long sequence, long from, int count)
    {
        var (_, last) = log.EnqueueOnce(Records(from, count), producer, sequence);
        await log.CommitAsync(last, CancellationToken.None);
    }

    /// <summary>The state after an open that scans the whole log (the index file out of the way).</summary>
    private string FullScanState(params string[] producers)
    {
        File.Delete(Path.Combine(Dir, PartitionIndexFile.FileName));
        using var log = Open();
        Assert.False(log.OpenedFromIndex);
        return State(log, producers);
    }

    [Fact]
    public async Task Open_AfterACleanClose_TakesTheIndexFile_AndScansOnlyWhatCameAfter_KnowingWhatAFullScanKnows()
    {
        using (var log = Open())
        {
            Assert.False(log.OpenedFromIndex);
            for (var i = 0; i < 30; i++)
            {
                await AppendStamped(log, i % 2 == 0 ? "even" : "odd", i, i * 50L, 50);
            }
        }

        Assert.True(File.Exists(Path.Combine(Dir, PartitionIndexFile.FileName)));
        string fromIndex;
        using (var log = Open())
        {
            Assert.True(log.OpenedFromIndex);
            fromIndex = State(log, "even", "odd", "other");
            Assert.Equal(1500, ReadOn(log, 0, 333));
            Assert.Equal(1500, (await log.AppendAsync(Records(1500, 10), CancellationToken.None))[0]);
        }

        Assert.Contains("odd=29/0", fromIndex, StringComparison.Ordinal);
        using (var log = Open())
        {
            // The index of the second close, and the appends after the first: both ways find the same.
            Assert.True(log.OpenedFromIndex);
            Assert.Equal(1510, ReadOn(log, 0, 500));
            Assert.Equal(State(log, "even", "odd"), FullScanState("even", "odd"));
        }
    }

    [Fact]
    public async Task Open_AnIndexFromBeforeRetention_LeavesOutTheBatchesRetentionRemoved_AsAFullScanDoes()
    {
        using (var log = Open())
        {
            await AppendStamped(log, "early", 1, 0, 500);
            await Append(log, 500, 1500);
        }

        var index = Path.Combine(Dir, PartitionIndexFile.FileName);
        var before = File.ReadAllBytes(index);
        using (var log = Open())
        {
            // Records are a second apart from T0: retention to T0 + 1000 s drops the batches before the one holding record 1000, "early"'s batch with them.
            Assert.True(log.Truncate(T0.AddSeconds(1000), null) > 0);
            await Append(log, 2000, 100);
        }

        // A crash would have left the index of the first close: it must still give what a scan of the log gives now.
        File.WriteAllBytes(index, before);
        string state;
        using (var log = Open())
        {
            Assert.True(log.OpenedFromIndex);
            state = State(log, "early");
            var earliest = log.Info().EarliestOffset;
            Assert.InRange(earliest, 600, 1000); // whole batches of about 300 records go
            Assert.Equal(2100, ReadOn(log, earliest, 256));
        }

        File.WriteAllBytes(index, before);
        Assert.Equal(FullScanState("early"), state);
        Assert.Contains("early=none", state, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_AnIndexFileNotWhole_IsIgnored_AndTheLogIsScanned()
    {
        using (var log = Open())
        {
            await Append(log, 0, 300);
        }

        var index = Path.Combine(Dir, PartitionIndexFile.FileName);
        var bytes = File.ReadAllBytes(index);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(index, bytes);
        using (var log = Open())
        {
            Assert.False(log.OpenedFromIndex);
            Assert.Equal(300, ReadOn(log, 0, 64));
        }

        File.WriteAllBytes(index, bytes.AsSpan(0, bytes.Length - 3).ToArray());
        using (var log = Open())
        {
            Assert.False(log.OpenedFromIndex);
            Assert.Equal(300, log.Info().NextOffset);
        }
    }

    [Fact]
    public async Task TimestampAt_AnyRecordFromDiskOrMemory_ItsTimestamp_NullOutsideTheLog()
    {
        using (var log = Open())
        {
            await Append(log, 0, 3000);
            Assert.Equal(T0.AddSeconds(2999), log.TimestampAt(2999)); // the tail, still in memory
        }

        using (var log = Open())
        {
            foreach (var offset in new long[] { 0, 1, 299, 300, 1234, 2999 })
            {
                Assert.Equal(T0.AddSeconds(offset), log.TimestampAt(offset));
            }

            Assert.Null(log.TimestampAt(3000));
            Assert.Null(log.TimestampAt(-1));
            Assert.True(log.Truncate(T0.AddSeconds(1500), null) > 0);
            var earliest = log.Info().EarliestOffset;
            Assert.Null(log.TimestampAt(earliest - 1));
            Assert.Equal(T0.AddSeconds(earliest), log.TimestampAt(earliest));
        }
    }

    [Fact]
    public async Task OffsetForTime_TimestampsOutOfOrder_TheFirstRecordAtOrAfterTheTime_AsAScanFindsIt()
    {
        // Timestamps jump back and forth (a replay of a backup appends old records after new ones).
        var random = new Random(5);
        var timestamps = Enumerable.Range(0, 4000).Select(i => T0.AddSeconds(i % 1000 == 999 ? 5000 + i : i - (random.Next(3) * 700))).ToList();
        long Expected(DateTime t, long from) => Enumerable.Range((int)from, 4000 - (int)from).FirstOrDefault(i => timestamps[i] >= t, 4000);
        var records = timestamps.Select((t, i) => ((byte[]?)null, BitConverter.GetBytes((long)i), t)).ToList();
        DateTime[] probes = [T0.AddSeconds(-5000), T0, T0.AddSeconds(1), T0.AddSeconds(999), T0.AddSeconds(2500), T0.AddSeconds(5998), T0.AddSeconds(7000), T0.AddSeconds(9999)];
        using (var log = Open())
        {
            foreach (var chunk in records.Chunk(700))
            {
                await log.AppendAsync(chunk, CancellationToken.None);
            }

            Assert.All(probes, t => Assert.Equal(Expected(t, 0), log.OffsetForTime(t)));
        }

        using (var log = Open())
        {
            Assert.True(log.OpenedFromIndex);
            Assert.All(probes, t => Assert.Equal(Expected(t, 0), log.OffsetForTime(t)));
            Assert.True(log.Truncate(null, 40_000) > 0); // about 96 KB of records: the older half goes
            var earliest = log.Info().EarliestOffset;
            Assert.All(probes, t => Assert.Equal(Expected(t, earliest), log.OffsetForTime(t)));
        }

        File.Delete(Path.Combine(Dir, PartitionIndexFile.FileName));
        using (var log = Open())
        {
            Assert.False(log.OpenedFromIndex);
            var earliest = log.Info().EarliestOffset;
            Assert.All(probes, t => Assert.Equal(Expected(t, earliest), log.OffsetForTime(t)));
        }
    }

    [Fact]
    public async Task Truncate_FromTheIndex_ABatchGoesOnlyWhenAllItsRecordsAreOlder_AndTheNewestAlwaysStays()
    {
        using var log = Open();
        (byte[]?, byte[], DateTime) At(int seconds) => (null, new byte[10], T0.AddSeconds(seconds));
        await log.AppendAsync([At(0), At(1)], CancellationToken.None);            // batch 0: all old
        await log.AppendAsync([At(2), At(5000), At(3)], CancellationToken.None);  // batch 1: one young record in the middle
        await log.AppendAsync([At(4)], CancellationToken.None);                   // batch 2: old, but the newest record

        Assert.Equal(2, log.Truncate(T0.AddSeconds(100), null));
        Assert.Equal((2L, T0.AddSeconds(2)), (log.Info().EarliestOffset, log.Info().EarliestTimestamp!.Value));
        Assert.Equal(3, log.Truncate(T0.AddSeconds(6000), null));
        Assert.Equal(5, log.Info().EarliestOffset);
        Assert.Equal(0, log.Truncate(T0.AddSeconds(9000), null));
        Assert.Equal(T0.AddSeconds(4), Assert.Single(log.Read("t", 0, 10)).Timestamp);
    }

    [Fact]
    public void IndexFile_KnownIndex_MatchesGoldenBytes_AndReadsBack()
    {
        var index = new PartitionIndex(EndAddress: 0x1000, NextOffset: 5, LatestTicks: T0.AddMinutes(1).Ticks,
            [new IndexedBatch(0, 64, T0.Ticks, T0.AddSeconds(2).Ticks), new IndexedBatch(3, 2048, T0.AddSeconds(3).Ticks, T0.AddMinutes(1).Ticks)],
            [new IndexedStamp("p/0/g0", new ProducerStamp(7, 1), 2048)]);

        Directory.CreateDirectory(Dir);
        PartitionIndexFile.Write(Dir, index);

        // T0 = 638520192000000000 ticks (0x08DC7ABB4A130000).
        const string Expected =
            "54 52 58 49 02 00 00 00 " + // "TRXI", version 2
            "00 10 00 00 00 00 00 00 05 00 00 00 00 00 00 00 00 46 D6 6D BB 7A DC 08 " + // end address, next offset, newest timestamp
            "02 00 00 00 " + // two batches: offset, address, first and newest timestamps
            "00 00 00 00 00 00 00 00 40 00 00 00 00 00 00 00 00 00 13 4A BB 7A DC 08 00 2D 44 4B BB 7A DC 08 " +
            "03 00 00 00 00 00 00 00 00 08 00 00 00 00 00 00 80 C3 DC 4B BB 7A DC 08 00 46 D6 6D BB 7A DC 08 " +
            "01 00 00 00 06 70 2F 30 2F 67 30 07 00 00 00 00 00 00 00 01 00 00 00 00 08 00 00 00 00 00 00"; // one stamp: "p/0/g0", sequence 7, part 1, its batch's address
        var bytes = File.ReadAllBytes(Path.Combine(Dir, PartitionIndexFile.FileName));
        Assert.Equal(Expected, string.Join(' ', Convert.ToHexString(bytes[..^8]).Chunk(2).Select(c => new string(c))));
        Assert.Equal(System.IO.Hashing.XxHash64.HashToUInt64(bytes[..^8]), BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(bytes.Length - 8)));

        var back = PartitionIndexFile.TryRead(Dir)!;
        Assert.Equal((index.EndAddress, index.NextOffset, index.LatestTicks), (back.EndAddress, back.NextOffset, back.LatestTicks));
        Assert.Equal(index.Batches, back.Batches);
        Assert.Equal(index.Stamps, back.Stamps);
    }

    [Fact]
    public async Task SaveIndex_WhileOpen_AnOpenAfterACrashReadsOnlyWhatCameAfter()
    {
        var copy = Dir + "-crashed";
        try
        {
            using (var log = Open())
            {
                await AppendStamped(log, "p", 1, 0, 500);
                Assert.True(log.SaveIndex());
                Assert.False(log.SaveIndex()); // nothing changed since
                await AppendStamped(log, "p", 2, 500, 200);

                // The disk as a crash would leave it now: every acknowledged append, the index of before the second one.
                Directory.CreateDirectory(copy);
                foreach (var file in Directory.GetFiles(Dir, "*", SearchOption.AllDirectories))
                {
                    var target = Path.Combine(copy, Path.GetRelativePath(Dir, file));
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(file, target);
                }
            }

            using var crashed = PartitionLog.Open(0, copy, new ReadCursors(8));
            Assert.True(crashed.OpenedFromIndex);
            Assert.Equal(700, crashed.Info().NextOffset);
            Assert.Equal(700, ReadOn(crashed, 0, 128));
            Assert.Equal(new ProducerStamp(2, 0), crashed.LastStamp("p"));
        }
        finally
        {
            if (Directory.Exists(copy))
            {
                Directory.Delete(copy, recursive: true);
            }
        }
    }
}
