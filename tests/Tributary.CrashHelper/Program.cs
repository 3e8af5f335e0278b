using System.Buffers.Binary;
using System.Globalization;
using Tributary.Streams;
using Tributary.Streams.Processors;

// Crash-test helper: does durable work and reports what is durable, until a test kills it.
//
//   dedup-writer DIR N   checks keys key-0 … key-(N-1) at source "crash/0", offsets 0 … N-1, in a DedupStore in DIR
//                        (TTL one day, system clock); after every 100 it flushes and prints "flushed <count>".
//   log-writer DIR N     appends N batches of 100 records of 200 bytes to partition 0 of topic "crash" (created when
//                        missing) in the event log of data directory DIR, each record's value starting with its
//                        offset (8 bytes, little-endian); after every append returns it prints "durable <next offset>".
if (args is ["dedup-writer", var directory, var countText] && int.TryParse(countText, CultureInfo.InvariantCulture, out var count))
{
    using var store = DedupStore.Open(directory, TimeSpan.FromDays(1));
    for (var i = 0; i < count; i++)
    {
        store.Check("key-" + i.ToString(CultureInfo.InvariantCulture), "crash/0", i);
        if ((i + 1) % 100 == 0)
        {
            store.Flush();
            Console.Out.WriteLine($"flushed {i + 1}");
            Console.Out.Flush();
        }
    }

    return 0;
}

if (args is ["log-writer", var logDirectory, var batchesText] && int.TryParse(batchesText, CultureInfo.InvariantCulture, out var batches))
{
    using var log = FasterEventLog.Open(logDirectory);
    if (!log.HasTopic("crash"))
    {
        log.CreateTopic("crash", new TopicSettings());
    }

    var next = log.DescribeTopic("crash").Partitions[0].NextOffset;
    for (var b = 0; b < batches; b++)
    {
        var records = new List<LogRecord>(100);
        for (var i = 0; i < 100; i++)
        {
            var value = new byte[200];
            BinaryPrimitives.WriteInt64LittleEndian(value, next + i);
            records.Add(new LogRecord(null, value, Partition: 0));
        }

        var positions = await log.AppendAsync("crash", records);
        next = positions[^1].Offset + 1;
        Console.Out.WriteLine($"durable {next}");
        Console.Out.Flush();
    }

    return 0;
}

Console.Error.WriteLine("usage: Tributary.CrashHelper dedup-writer DIR N | log-writer DIR N");
return 2;
