using System.Diagnostics;
using System.Globalization;

namespace Tributary.Bench;

/// <summary>The timings of one measured operation: every timed run, in seconds.</summary>
internal sealed record Sample(string Name, IReadOnlyList<double> Seconds)
{
    public double Min => Seconds.Min();

    public double Median
    {
        get
        {
            var sorted = Seconds.Order().ToArray();
            var mid = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
    }
}

/// <summary>Plain timing: warm-up runs, then timed runs; a contender and its baseline are interleaved so load drift hits both.</summary>
internal static class Timing
{
    /// <summary>Runs <paramref name="a"/> and <paramref name="b"/> alternately (order flipped every round): warm-ups, then timed runs.</summary>
    /// <param name="setup">Untimed work before every run of either (dropping a table …), given which side runs next.</param>
    public static (Sample A, Sample B) Pair(string nameA, Action a, string nameB, Action b, int warmups, int runs, Action<bool>? setup = null)
    {
        var ta = new List<double>();
        var tb = new List<double>();
        for (var i = 0; i < warmups + runs; i++)
        {
            var aFirst = i % 2 == 0;
            for (var j = 0; j < 2; j++)
            {
                var isA = aFirst == (j == 0);
                setup?.Invoke(isA);
                var t = Time(isA ? a : b);
                if (i >= warmups)
                {
                    (isA ? ta : tb).Add(t);
                }
            }
        }

        return (new Sample(nameA, ta), new Sample(nameB, tb));
    }

    /// <summary>Warm-ups, then timed runs of one action.</summary>
    public static Sample Single(string name, Action action, int warmups, int runs)
    {
        for (var i = 0; i < warmups; i++)
        {
            action();
        }

        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            times.Add(Time(action));
        }

        return new Sample(name, times);
    }

    public static double Time(Action action)
    {
        var start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>"1.02 (1.05)": the ratio of the medians, and of the minimums.</summary>
    public static string Ratio(double median, double min) => $"{F(median)} ({F(min)})";

    public static string Ms(double seconds) => (seconds * 1000).ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    /// <summary>Milliseconds, or microseconds below 1 ms ("3.2 ms", "41 µs").</summary>
    public static string Dur(double seconds) => seconds >= 0.001 ? Ms(seconds) : (seconds * 1e6).ToString("0", CultureInfo.InvariantCulture) + " µs";

    public static string Us(double seconds) => (seconds * 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " µs";

    public static string F(double value, string format = "0.00") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>The 1-, 5- and 15-minute load averages (Linux), or "n/a".</summary>
    public static string Load()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{parts[0]} {parts[1]} {parts[2]}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "n/a";
        }
    }
}
