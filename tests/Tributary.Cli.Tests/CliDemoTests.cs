using Tributary.Demo;

namespace Tributary.Cli.Tests;

/// <summary><c>tributary demo</c> in a fresh directory: generates, loads, asks every seed question and draws the chart.</summary>
public sealed class CliDemoTests : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly CliProcess _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Demo_FreshDirectory_AsksEverySeedQuestionAndDrawsTheChart()
    {
        Assert.False(Directory.Exists(_cli.DataDirectory));
        var r = _cli.Run("demo", "--vms", "200", "--hosts", "20");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.DoesNotContain("error", r.Stderr, StringComparison.OrdinalIgnoreCase);

        Assert.Contains("fleet of 200 VMs on 20 hosts", r.Stdout, StringComparison.Ordinal);
        foreach (var question in DemoScript.Questions)
        {
            Assert.Contains($"── seed {question.Seed}: {question.Title}", r.Stdout, StringComparison.Ordinal);
        }

        // Every question printed its answer table (or its row count) before the next one.
        var answers = r.Stdout.Split("── seed ")[1..];
        Assert.Equal(DemoScript.Questions.Count, answers.Length);
        Assert.All(answers, a => Assert.Matches(@"\(\d+ rows\)", a));

        var written = r.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).Single(l => l.StartsWith("chart written to ", StringComparison.Ordinal));
        var chart = written["chart written to ".Length..];
        Assert.Equal(Path.Combine(_cli.Root, "tributary-latency-timechart.png"), chart);
        var bytes = File.ReadAllBytes(chart);
        Assert.Equal(PngSignature, bytes[..8]);
        Assert.True(bytes.Length > 10_000, $"the chart has only {bytes.Length} bytes");

        // The store is left for the user to query.
        var q = _cli.Run("query", "KO_RepeatableQueryStatistic | summarize dcount(ActorId) > 0", "--format", "csv");
        Assert.True(q.ExitCode == 0, q.ToString());
    }

    [Fact]
    public void Demo_ChartOption_WritesThere()
    {
        var chart = Path.Combine(_cli.Root, "latency.png");
        var r = _cli.Run("demo", "--vms", "50", "--hosts", "5", "--chart", chart);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(PngSignature, File.ReadAllBytes(chart)[..8]);
    }

    [Fact]
    public void Demo_BadSize_Refused()
    {
        var r = _cli.Run("demo", "--vms", "0");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: ", r.Stderr, StringComparison.Ordinal);
    }
}
