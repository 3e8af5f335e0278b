using Tributary.Demo;

namespace Tributary.Cli.Tests;

/// <summary>
/// <c>tributary demo</c> in a fresh directory: the seed-001 questions on snapshots, then the seed-000 pipeline run by
/// jobs (a spike fails a job, the seed questions on the real history, the fix, every source row exactly once) and a
/// seed-003 run.
/// </summary>
public sealed class CliDemoTests : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly CliProcess _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Demo_FreshDirectory_RunsEveryLayerAndEveryRowLandsOnce()
    {
        Assert.False(Directory.Exists(_cli.DataDirectory));
        var latency = Path.Combine(_cli.Root, "latency.png");
        var r = _cli.Run("demo", "--vms", "200", "--hosts", "20", "--chart", latency);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.DoesNotContain("error", r.Stderr, StringComparison.OrdinalIgnoreCase);

        Assert.Contains("fleet of 200 VMs on 20 hosts", r.Stdout, StringComparison.Ordinal);
        foreach (var question in DemoScript.Questions.Where(q => q.Seed.StartsWith("001", StringComparison.Ordinal)))
        {
            Assert.Contains($"── seed {question.Seed}: {question.Title}", r.Stdout, StringComparison.Ordinal);
        }

        // Every question printed its answer table before the next one: 6 of seed 001, 5 of seed 000, 3 of seed 002.
        var answers = r.Stdout.Split("── seed ")[1..];
        Assert.Equal(14, answers.Length);
        Assert.All(answers, a => Assert.Matches(@"\((\d+ rows|showing \d+ of [\d,]+ rows)\)", a));

        // A cut table says once how many rows it shows of how many; it never also claims to be all of them.
        Assert.Contains(answers, a => a.Contains("(showing 12 of ", StringComparison.Ordinal));
        Assert.DoesNotContain(answers, a => a.Contains("(showing", StringComparison.Ordinal) && a.Contains("(12 rows)", StringComparison.Ordinal));

        // The spike failed OMRollOuts_EntityModel's windows, the fix re-ran them, and every system's rows arrived once.
        Assert.Contains("window(s) failed", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("RowLimit", r.Stdout, StringComparison.Ordinal);

        // Seed 002: the telemetry reached the table exactly once, denormalized from the lookup tables the demo loaded
        // (every device and user but one in 20: both hits and misses).
        Assert.Contains("valid distinct events reach it: exactly once ✓", r.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"tributary ingest Devices \S+devices\.csv   \([\d,]+ of the [\d,]+ devices the apps use\)", r.Stdout);
        Assert.Matches(@"device-cache-hit=\d+, device-cache-miss=\d+", r.Stdout);
        Assert.Contains("(device not in Devices)", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("fOMRollOuts_EntityModel(datetime(2023-05-22T14:", r.Stdout, StringComparison.Ordinal);
        Assert.Equal(8, r.Stdout.Split('\n').Count(l => l.TrimEnd().EndsWith('✓'))); // 7 systems of seed 000, the telemetry of seed 002
        Assert.DoesNotContain("MISMATCH", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("run nightly-2023-05-22", r.Stdout.Replace("runs show nightly-2023-05-22", "run nightly-2023-05-22", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(3, r.Stdout.Split('\n').Count(l => l.Contains("  true ", StringComparison.Ordinal) && l.Contains("OAASRollout", StringComparison.Ordinal)));

        Assert.Equal(PngSignature, File.ReadAllBytes(latency)[..8]);
        Assert.True(new FileInfo(latency).Length > 10_000, "the latency chart is too small to hold a chart");
        Assert.Equal(PngSignature, File.ReadAllBytes(Path.Combine(_cli.Root, "tributary-window-history.png"))[..8]);

        // The store is left for the user to query, with the real job history behind seed 000's tables.
        var q = _cli.Run("query", "KO_RepeatableQueryStatistic | where State == 'Failed' | summarize dcount(ActorId)", "--format", "csv");
        Assert.True(q.ExitCode == 0, q.ToString());
        Assert.Contains("6", q.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_BadSize_Refused()
    {
        var r = _cli.Run("demo", "--vms", "0");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: ", r.Stderr, StringComparison.Ordinal);
    }
}
