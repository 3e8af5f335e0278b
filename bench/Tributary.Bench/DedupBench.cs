using System.Diagnostics;
using System.Globalization;
using Tributary.Streams.Processors;

namespace Tributary.Bench;

/// <summary>
/// The dedup store against a <see cref="HashSet{T}"/> of strings fed the same keys: checks per second over
/// UUID-like mids of which about 30% are copies, durable (a Flush every 5,000 checks: a processor with a backlog flushes
/// once a pass, before it commits its input offsets, and a pass holds at least one chunk of up to 5,000 records) and
/// without flushing.
/// </summary>
internal static class DedupBench
{
    private const double Target = 0.3;
    private const int FlushEvery = ProcessorRunner.ChunkRecords;

    /// <summary>A copy repeats one of this many keys before it (client retries and re-sent batches come soon).</summary>
    private const int CopyWindow = 100_000;

    public static List<Row> Run(Options options, string root)
    {
        var count = options.Quick ? 200_000 : 2_000_000;
        var (keys, copies) = Keys(count);
        Console.WriteLine($"== dedup: {count:N0} checks of UUID mids, {copies:N0} copies ({100.0 * copies / count:0.0}%) of one of the previous {CopyWindow:N0} keys, TTL 1 h (load {Timing.Load()})");
        var results = new List<Row>();
        var run = 0;
        string StoreDir() => Path.Combine(root, "dedup-" + run);

        // Seconds spent in Flush, per timed run of the durable store.
        var flushSeconds = new List<double>();

        void Setup(bool isOurs)
        {
            if (isOurs)
            {
                if (Directory.Exists(StoreDir()))
                {
                    Directory.Delete(StoreDir(), recursive: true);
                }

                run++;
            }
        }

        void Store(int flushEvery)
        {
            var duplicates = 0;
            long flushTicks = 0;
            using (var store = DedupStore.Open(StoreDir(), TimeSpan.FromHours(1)))
            {
                for (var i = 0; i < keys.Length; i++)
                {
                    if (store.Check(keys[i], "dedup/0", i) == DedupVerdict.Duplicate)
                    {
                        duplicates++;
                    }

                    if ((i + 1) % flushEvery == 0)
                    {
                        var start = Stopwatch.GetTimestamp();
                        store.Flush();
                        flushTicks += Stopwatch.GetTimestamp() - start;
                    }
                }
            }

            flushSeconds.Add((double)flushTicks / Stopwatch.Frequency);
            Expect(duplicates, copies, "the store");
        }

        void Set()
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var duplicates = 0;
            foreach (var key in keys)
            {
                if (!seen.Add(key))
                {
                    duplicates++;
                }
            }

            Expect(duplicates, copies, "the HashSet");
        }

        var runs = Math.Max(3, options.Runs - 2);
        var (durable, set) = Timing.Pair($"dedup store, flush every {FlushEvery:N0}", () => Store(FlushEvery), "HashSet<string>.Add", Set, options.Warmups, runs, Setup);
        var flushes = count / FlushEvery;
        var flushMedian = new Sample("flush", flushSeconds.Skip(options.Warmups).ToList()).Median;
        var flushNote = $"; in Flush {Timing.Ms(flushMedian)}, {Timing.F(flushMedian * 1000 / flushes, "0.00")} ms a flush";
        results.Add(Report($"{count:N0} checks, Flush (fsync) every {FlushEvery:N0}", count, durable, set, Target, flushNote));
        var (buffered, set2) = Timing.Pair("dedup store, no flush", () => Store(int.MaxValue), "HashSet<string>.Add", Set, options.Warmups, runs, Setup);
        results.Add(Report($"{count:N0} checks, no Flush (one at Dispose)", count, buffered, set2, null, ""));
        return results;
    }

    /// <summary>Mids as UUID strings; a copy is a new string equal to an earlier key, as a parser would hand it over.</summary>
    private static (string[] Keys, int Copies) Keys(int count)
    {
        var random = new Random(20240523);
        var keys = new string[count];
        Span<byte> bytes = stackalloc byte[16];
        var copies = 0;
        for (var i = 0; i < count; i++)
        {
            if (i > 0 && random.NextDouble() < 0.3)
            {
                keys[i] = new string(keys[i - 1 - random.Next(Math.Min(i, CopyWindow))].AsSpan());
                copies++;
            }
            else
            {
                random.NextBytes(bytes);
                keys[i] = new Guid(bytes).ToString();
            }
        }

        return (keys, copies);
    }

    private static void Expect(int duplicates, int copies, string who)
    {
        if (duplicates != copies)
        {
            throw new InvalidOperationException($"{who} found {duplicates:N0} duplicates, expected {copies:N0}");
        }
    }

    private static Row Report(string name, int count, Sample ours, Sample baseline, double? target, string note)
    {
        var ratio = baseline.Median / ours.Median;
        var ratioMin = baseline.Min / ours.Min;
        bool? met = target is { } t ? ratio >= t : null;
        string Rate(Sample s) => $"{count / s.Median / 1e6:0.00} M checks/s ({Timing.Ms(s.Median)}, {Timing.Ms(s.Min)})";
        var verdict = met switch { true => "ok", false => $"MISSED (target >= {target!.Value.ToString(CultureInfo.InvariantCulture)})", null => "(no target)" };
        Console.WriteLine($"   {name}: store {Rate(ours)}{note}; HashSet {Rate(baseline)}; ratio {Timing.Ratio(ratio, ratioMin)} {verdict} (load {Timing.Load()})");
        return new Row("dedup", name, Rate(ours) + note, $"HashSet<string>.Add: {Rate(baseline)}", Timing.Ratio(ratio, ratioMin), target is { } x ? $"store/HashSet ≥ {x.ToString(CultureInfo.InvariantCulture)}" : "–", met, Timing.Load());
    }
}
