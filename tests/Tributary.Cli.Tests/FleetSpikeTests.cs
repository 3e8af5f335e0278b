using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Abstractions;
using static Tributary.Cli.Tests.CliAssert;

namespace Tributary.Cli.Tests;

/// <summary>
/// Seed 000's troubleshooting guide end to end: a 20x OMRollout spike breaks OMRollOuts_EntityModel's row limit, the
/// operator finds the failed windows (jobs list, jobs show, a chart), raises the limit, re-runs the failed windows and
/// clears the downstream ones, and ChangeEventV2 ends with every source row exactly once. Then the same listings read
/// the same through a server as offline.
/// </summary>
public sealed partial class FleetSpikeTests(ITestOutputHelper output) : IDisposable
{
    private const string Limited = "OMRollOuts_EntityModel";
    private const string Downstream = "MapOMRollouts_ChangeEventV2";
    private const string To = "2023-05-22T04:00";
    private const string Until = "2023-05-22T04:10";
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly CliProcess _cli = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public void Dispose() => _cli.Dispose();

    private void Step(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:N1} s  {what}");

    [Fact]
    public void Spike_RowLimitFailsWindows_SetRerunClearFixesThemExactly()
    {
        Ok(_cli.Run("apply", FleetCli.PipelinePath));
        var generate = Ok(_cli.Run("generate", "fleet", "--from", FleetCli.From, "--to", To, "--nodes", "100", "--seed", "11", "--spike", "OMRollout@2023-05-22T03:00"));
        Assert.Contains("spikes: OMRollout x20 at 2023-05-22T03:00:00Z", generate.Stdout, StringComparison.Ordinal);
        var expected = FleetCli.SourceCounts(_cli);
        Step("applied and generated");

        // The spike hour's windows fail their row limit on every attempt; downstream windows fail with them.
        var run = Ok(_cli.Run("jobs", "run", "--until", Until));
        var failedWindows = int.Parse(FailedInAll().Match(run.Stdout).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(failedWindows >= 12, run.ToString()); // 6 windows of the spike hour, and the 6 downstream
        Assert.Contains("see which: tributary jobs list", run.Stdout, StringComparison.Ordinal);
        Step("first run");

        var jobs = Records(_cli.Run("jobs", "list", "--as-of", Until, "--format", "csv")).ToDictionary(j => j["Job"], StringComparer.Ordinal);
        Assert.Equal(("failing", "6"), (jobs[Limited]["State"], jobs[Limited]["Failed"]));
        Assert.Equal("2023-05-22T03:00:00.0000000Z", jobs[Limited]["LastSucceededWindowEnd"]);
        Assert.Equal(("failing", "6"), (jobs[Downstream]["State"], jobs[Downstream]["Failed"]));
        Assert.All(jobs.Values.Where(j => j["Job"] is not (Limited or Downstream)), j => Assert.Equal(("enabled", "0"), (j["State"], j["Failed"])));

        var show = Ok(_cli.Run("jobs", "show", Limited, "--as-of", Until));
        Assert.Contains("✗", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("RowLimit", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("more than the job's row limit of 2,000", show.Stdout, StringComparison.Ordinal);
        Assert.Equal(6, show.Stdout.Count(c => c == '✗') - 1); // six failed windows, and the legend's
        var rerunLine = Regex.Match(show.Stdout, "to run the failed windows again: tributary (jobs rerun .*)$", RegexOptions.Multiline);
        Assert.True(rerunLine.Success, show.ToString());
        Assert.Equal($"jobs rerun {Limited} --from 2023-05-22T03:00:00Z --to 2023-05-22T04:00:00Z --failed-only", rerunLine.Groups[1].Value.TrimEnd('\r'));

        var chart = Path.Combine(_cli.Root, "out.png");
        var drawn = Ok(_cli.Run("jobs", "show", Limited, "--as-of", Until, "--chart", chart));
        Assert.Contains("chart written to", drawn.Stderr, StringComparison.Ordinal);
        var png = File.ReadAllBytes(chart);
        Assert.True(png.Length > 1000, $"the PNG has only {png.Length} bytes");
        Assert.Equal(PngSignature, png[..8]);

        var attempts = Counts(_cli.Run("query",
            $"JobAttempts | where Job == '{Limited}' and WindowStart == datetime(2023-05-22T03:00:00Z) | summarize count() by ErrorKind", "--format", "csv"));
        Assert.Equal([new KeyValuePair<string, long>("RowLimit", 7)], attempts); // every attempt the job allows

        var partial = FleetCli.ChangeEventV2Counts(_cli);
        Assert.True(partial["OMRollout"] < expected["OMRollout"], "the spike hour's OMRollout rows should be missing");
        Assert.Equal(expected.Where(p => p.Key is not ("OMRollout" or "OMRollout:SOC")), partial.Where(p => p.Key is not ("OMRollout" or "OMRollout:SOC")));
        Step("diagnosed");

        // The fix: raise the limit, re-run the failed windows as jobs show suggests, clear the downstream ones, run.
        var set = Ok(_cli.Run("jobs", "set", Limited, "--row-limit", "100000"));
        Assert.Contains("row limit 100,000", set.Stdout, StringComparison.Ordinal);
        var rerun = Ok(_cli.Run([.. rerunLine.Groups[1].Value.TrimEnd('\r').Split(' ')]));
        Assert.StartsWith($"6 failed window(s) of {Limited}", rerun.Stdout, StringComparison.Ordinal);
        var clear = Ok(_cli.Run("windows", "clear", Downstream, "--window", "2023-05-22T03:00", "--downstream"));
        Assert.Contains("window(s) cleared", clear.Stdout, StringComparison.Ordinal);
        var again = Ok(_cli.Run("jobs", "run", "--until", Until));
        Assert.Contains(", 0 failed attempt(s)", again.Stdout, StringComparison.Ordinal);
        Assert.Contains("0 window(s) failed in all", again.Stdout, StringComparison.Ordinal);
        FleetCli.AssertExact(_cli, expected, "after the fix");
        var fixedJobs = Records(_cli.Run("jobs", "list", "--as-of", Until, "--format", "csv"));
        Assert.All(fixedJobs, j => Assert.Equal(("enabled", "0", "0", "24"), (j["State"], j["Failed"], j["Pending"], j["Succeeded"])));
        Step("fixed");

        // The same listings and the same error through a server: paused jobs, so its own loop changes nothing meanwhile.
        foreach (var job in FleetCli.Jobs)
        {
            Ok(_cli.Run("jobs", "pause", job));
        }

        string[][] commands =
        [
            ["jobs", "list", "--as-of", FleetCli.Until, "--format", "csv"],
            ["jobs", "list", "--as-of", FleetCli.Until],
            ["jobs", "show", Limited, "--as-of", Until, "--last", "30"],
            ["jobs", "show", "NoSuchJob"],
            ["jobs", "rerun", "NoSuchJob", "--from", FleetCli.From, "--to", To],
            ["query", "ChangeEventV2 | summarize count() by Source | order by Source asc", "--format", "json"],
        ];
        var offline = commands.Select(c => _cli.Run(c)).ToList();
        Step("paused and listed offline");
        using (var server = ServerProcess.Start(_cli.DataDirectory, _cli.Root))
        {
            for (var i = 0; i < commands.Length; i++)
            {
                var online = _cli.Run(commands[i]);
                var command = string.Join(' ', commands[i]);
                Assert.True(offline[i].ExitCode == online.ExitCode, $"{command}: exit codes differ\noffline: {offline[i]}\nserver: {online}");
                Assert.True(offline[i].Stdout == online.Stdout, $"{command}: stdout differs\noffline: {offline[i]}\nserver: {online}");
                Assert.True(offline[i].Stderr == online.Stderr, $"{command}: stderr differs\noffline: {offline[i]}\nserver: {online}");
            }

            Assert.Equal(0, server.StopGracefully());
        }

        Assert.Equal(0, offline[0].ExitCode);
        Assert.Contains("paused", offline[0].Stdout, StringComparison.Ordinal);
        Assert.Contains($"{Limited} → EntityChangeEvents", offline[2].Stdout, StringComparison.Ordinal);
        Assert.StartsWith("error: unknown job 'NoSuchJob'", UserError(offline[3]), StringComparison.Ordinal);
        Assert.StartsWith("error: unknown job 'NoSuchJob'", UserError(offline[4]), StringComparison.Ordinal);
        Step("compared through a server");
    }

    [GeneratedRegex(@"; (\d+) window\(s\) failed in all")]
    private static partial Regex FailedInAll();
}
