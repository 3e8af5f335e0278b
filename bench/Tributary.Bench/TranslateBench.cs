using System.Diagnostics;
using Tributary.Demo;
using Tributary.Store;

namespace Tributary.Bench;

/// <summary>Translation time of each demo question (seeds 000 and 001) with a store's catalog holding the demo tables and function.</summary>
internal static class TranslateBench
{
    private const double TargetSeconds = 0.001;

    public static List<Row> Run(Options options, string root)
    {
        Console.WriteLine($"== translation: {DemoScript.Questions.Count} demo questions, {options.TranslateIterations:N0} timed translations each (load {Timing.Load()})");
        var results = new List<Row>();
        using var store = TributaryStore.Open(Path.Combine(root, "translate"));
        foreach (var schema in FleetGenerator.Schemas)
        {
            store.Execute($".create table {schema.Name} ({schema.CslSchema})");
        }

        store.Execute(DemoScript.UserRecentFailuresFunction);
        var warmups = Math.Max(100, options.TranslateIterations / 10);
        foreach (var q in DemoScript.Questions)
        {
            for (var i = 0; i < warmups; i++)
            {
                store.Translate(q.Query);
            }

            var times = new double[options.TranslateIterations];
            for (var i = 0; i < times.Length; i++)
            {
                var start = Stopwatch.GetTimestamp();
                store.Translate(q.Query);
                times[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }

            var sample = new Sample(q.Title, times);
            var met = sample.Median < TargetSeconds;
            Console.WriteLine($"   {q.Seed}: {q.Title}: median {Timing.Us(sample.Median)} (min {Timing.Us(sample.Min)}) {(met ? "ok" : "MISSED (target < 1 ms)")}");
            results.Add(new Row("translate", $"{q.Seed}: {q.Title}", $"{Timing.Us(sample.Median)} (min {Timing.Us(sample.Min)})", "–", "–", "< 1 ms", met, Timing.Load()));
        }

        return results;
    }
}
