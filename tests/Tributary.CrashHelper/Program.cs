using System.Globalization;
using Tributary.Streams.Processors;

// Crash-test helper: does durable work and reports what is durable, until a test kills it.
//
//   dedup-writer DIR N   checks keys key-0 … key-(N-1) at source "crash/0", offsets 0 … N-1, in a DedupStore in DIR
//                        (TTL one day, system clock); after every 100 it flushes and prints "flushed <count>".
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

Console.Error.WriteLine("usage: Tributary.CrashHelper dedup-writer DIR N");
return 2;
