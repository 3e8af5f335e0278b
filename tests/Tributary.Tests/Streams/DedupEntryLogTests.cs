using Tributary.Streams.Processors;

namespace Tributary.Tests.Streams;

/// <summary>The dedup store's log of entries in store order: sequence numbers, dropping from the front, chunks reused.</summary>
public sealed class DedupEntryLogTests
{
    [Fact]
    public void Append_ThenIndex_ReturnsEachEntryUnderItsSequenceNumber()
    {
        var log = new DedupEntryLog();
        for (var i = 0; i < 10_000; i++)
        {
            Assert.Equal(i, log.Append(Entry(i)));
        }

        Assert.Equal(0, log.Head);
        Assert.Equal(10_000, log.Tail);
        Assert.Equal(10_000, log.Count);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.Equal(Entry(i), log[i]);
        }
    }

    [Fact]
    public void Index_Overwritten_KeepsTheNewEntry()
    {
        var log = new DedupEntryLog();
        log.Append(Entry(0));
        log.Append(Entry(1));
        log[0] = default;
        Assert.Null(log[0].Key);
        Assert.Equal(Entry(1), log[1]);
    }

    [Fact]
    public void DropFirst_AllOfSeveralChunks_EmptiesAndKeepsNumbering()
    {
        var log = new DedupEntryLog();
        for (var i = 0; i < 9_000; i++)
        {
            log.Append(Entry(i));
        }

        for (var i = 0; i < 9_000; i++)
        {
            log.DropFirst();
        }

        Assert.Equal(0, log.Count);
        Assert.Equal(9_000, log.Head);
        Assert.Equal(9_000, log.Append(Entry(9_000)));
        Assert.Equal(Entry(9_000), log[9_000]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void AppendAndDropFirst_RandomMix_AgreeWithAQueue(int seed)
    {
        // Bursts of appends and drops, so the log both grows its ring and wraps around in it, several chunks at a time.
        var random = new Random(seed);
        var log = new DedupEntryLog();
        var model = new Queue<(long Sequence, DedupEntryLog.Entry Entry)>();
        var next = 0;
        for (var round = 0; round < 200; round++)
        {
            var appends = random.Next(12_000);
            for (var i = 0; i < appends; i++)
            {
                var entry = Entry(next++);
                model.Enqueue((log.Append(entry), entry));
            }

            var drops = random.Next(model.Count + 1);
            for (var i = 0; i < drops; i++)
            {
                log.DropFirst();
                model.Dequeue();
            }

            Assert.Equal(model.Count, log.Count);
            Assert.Equal(next, log.Tail);
            var expectedSequence = log.Head;
            foreach (var (sequence, entry) in model)
            {
                Assert.Equal(expectedSequence++, sequence);
                Assert.Equal(entry, log[sequence]);
            }
        }
    }

    private static DedupEntryLog.Entry Entry(int i) => new("key-" + i, 1_000 + i, i, i % 3, 4 + (i % 7));
}
