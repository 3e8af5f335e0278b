using System.Buffers.Binary;
using Tributary.Streams;

namespace Tributary.Bench;

/// <summary>
/// The durable log against plain sequential file I/O of the same bytes: appends (a durable commit per batch
/// against a write + flush-to-disk per batch) and reads (every record of a partition against reading the file
/// back in 64 KB chunks).
/// </summary>
internal static class LogBench
{
    private const double Target = 0.7;

    public static List<Row> Run(Options options, string root)
    {
        var records = options.Quick ? 100_000 : 1_000_000;
        const int size = 200;
        const int batch = 1_000;
        Console.WriteLine($"== log: {records:N0} records of {size} bytes in appends of {batch:N0} (each durable), one partition (load {Timing.Load()})");
        var payloads = Enumerable.Range(0, batch).Select(i =>
        {
            var b = new byte[size];
            new Random(i).NextBytes(b);
            return b;
        }).ToArray();
        var batchRecords = payloads.Select(p => new LogRecord(null, p, new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc))).ToList();
        var results = new List<Row>();
        var run = 0;
        string LogDir() => Path.Combine(root, "log-" + run);
        string FilePath() => Path.Combine(root, "plain-" + run + ".bin");

        // Appends: FasterEventLog.AppendAsync (one commit each) vs FileStream.Write + Flush(true) of the same bytes with a length prefix.
        var (ours, plain) = Timing.Pair(
            "log append",
            () =>
            {
                using var log = FasterEventLog.Open(LogDir());
                log.CreateTopic("bench", new TopicSettings());
                for (var written = 0; written < records; written += batch)
                {
                    log.AppendAsync("bench", batchRecords).AsTask().GetAwaiter().GetResult();
                }
            },
            "file write",
            () =>
            {
                using var file = new FileStream(FilePath(), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                Span<byte> prefix = stackalloc byte[4];
                for (var written = 0; written < records; written += batch)
                {
                    foreach (var p in payloads)
                    {
                        BinaryPrimitives.WriteInt32LittleEndian(prefix, p.Length);
                        file.Write(prefix);
                        file.Write(p);
                    }

                    file.Flush(flushToDisk: true);
                }
            },
            options.Warmups,
            Math.Max(3, options.Runs - 2),
            isOurs =>
            {
                run++;
                if (Directory.Exists(LogDir()))
                {
                    Directory.Delete(LogDir(), recursive: true);
                }
            });
        results.Add(Report("append", $"{records:N0} x {size} B, durable every {batch:N0}", records, ours, plain, "write + fsync per batch"));

        // Reads of what the last runs wrote.
        var logDir = Path.Combine(root, "log-read");
        using (var log = FasterEventLog.Open(logDir))
        {
            log.CreateTopic("bench", new TopicSettings());
            for (var written = 0; written < records; written += batch)
            {
                log.AppendAsync("bench", batchRecords).AsTask().GetAwaiter().GetResult();
            }
        }

        var plainFile = Directory.GetFiles(root, "plain-*.bin").First();
        long checksum = 0;
        using var reader = FasterEventLog.Open(logDir);
        var (read, plainRead) = Timing.Pair(
            "log read",
            () =>
            {
                var log = reader;
                long offset = 0, n = 0;
                while (true)
                {
                    var chunk = log.Read("bench", 0, offset, 10_000);
                    if (chunk.Count == 0)
                    {
                        break;
                    }

                    n += chunk.Count;
                    checksum += chunk[^1].Value[0];
                    offset = chunk[^1].Offset + 1;
                }

                if (n != records)
                {
                    throw new InvalidOperationException($"read {n} records of {records}");
                }
            },
            "file read",
            () =>
            {
                // The same bytes read back as records: each length prefix, then the record copied out as its own array.
                using var file = new FileStream(plainFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                var prefix = new byte[4];
                long n = 0;
                while (file.ReadAtLeast(prefix, 4, throwOnEndOfStream: false) == 4)
                {
                    var value = new byte[BinaryPrimitives.ReadInt32LittleEndian(prefix)];
                    file.ReadExactly(value);
                    checksum += value[0];
                    n++;
                }

                if (n != records)
                {
                    throw new InvalidOperationException($"read {n} records of {records} from the file");
                }
            },
            options.Warmups,
            Math.Max(3, options.Runs - 2));
        results.Add(Report("read", $"{records:N0} x {size} B, one partition from offset 0 in reads of 10,000", records, read, plainRead, "read the file's records (length prefix, copy each)"));
        Console.WriteLine($"   (checksum {checksum})");
        return results;
    }

    private static Row Report(string what, string name, int records, Sample ours, Sample baseline, string baselineName)
    {
        var ratio = baseline.Median / ours.Median;
        var ratioMin = baseline.Min / ours.Min;
        var met = ratio >= Target;
        string Rate(Sample s) => $"{records / s.Median / 1e6:0.00} M records/s, {records * 200.0 / s.Median / 1e6:0} MB/s ({Timing.Ms(s.Median)}, {Timing.Ms(s.Min)})";
        Console.WriteLine($"   {what}: log {Rate(ours)}; {baselineName} {Rate(baseline)}; ratio {Timing.Ratio(ratio, ratioMin)} {(met ? "ok" : "MISSED (target >= 0.7)")} (load {Timing.Load()})");
        return new Row("log", $"{what}: {name}", Rate(ours), $"{baselineName}: {Rate(baseline)}", Timing.Ratio(ratio, ratioMin), "log/file ≥ 0.7", met, Timing.Load());
    }
}
