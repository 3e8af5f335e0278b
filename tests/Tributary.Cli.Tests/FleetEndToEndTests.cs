using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Abstractions;
using static Tributary.Cli.Tests.CliAssert;

namespace Tributary.Cli.Tests;

/// <summary>
/// Seed 000's pipeline as a user drives it: apply, generate two hours of a 50-node fleet, run the jobs, then re-run
/// everything, retract one window and re-run it. ChangeEventV2 always holds each source row exactly once. The same
/// body runs offline (each command opens the directory) and through a running server (each command is an HTTP call).
/// </summary>
public sealed class FleetEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private const string RetractJob = "MapBatchingEvents_ChangeEventV2";

    // Two hours rather than ServerCrashTests' six: four runs of every window (two of them through a server whose own
    // loop competes for the machine) must fit the suite's time on two cores.
    private const string To = "2023-05-22T02:00";
    private const string Until = "2023-05-22T02:10";
    private const int WindowsPerJob = 12;
    private const string RangeQuery = "ChangeEventV2 | where Timestamp >= datetime(2023-05-22T01:00:00Z) and Timestamp < datetime(2023-05-22T01:10:00Z) | summarize count() by Source";

    private readonly CliProcess _cli = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private ServerProcess? _server;

    private void Step(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:N1} s  {what}");

    public void Dispose()
    {
        _server?.Dispose();
        _cli.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fleet_RunRerunRetractRerun_ChangeEventV2HoldsEverySourceRowOnce(bool throughServer)
    {
        var apply = Ok(_cli.Run("apply", FleetCli.PipelinePath));
        Assert.Contains("change(s) applied", apply.Stdout, StringComparison.Ordinal);
        var generate = Ok(_cli.Run("generate", "fleet", "--from", FleetCli.From, "--to", To, "--nodes", "50", "--seed", "7"));
        Assert.Contains("generated ", generate.Stdout, StringComparison.Ordinal);
        var expected = FleetCli.SourceCounts(_cli);
        Step("applied and generated");
        Assert.Equal(FleetCli.Systems, expected.Keys);
        Assert.All(expected.Values, n => Assert.True(n > 0));

        if (throughServer)
        {
            // The data is there before the server starts: a server runs every due window at once, so a window run
            // before its source rows arrived would (rightly) hold none of them.
            _server = ServerProcess.Start(_cli.DataDirectory, _cli.Root);
            var again = Ok(_cli.Run("apply", FleetCli.PipelinePath));
            Assert.Contains("nothing to change", again.Stdout, StringComparison.Ordinal);
        }

        var run = Ok(_cli.Run("jobs", "run", "--until", Until));
        Step("first run");
        Assert.Contains("0 window(s) failed in all", run.Stdout, StringComparison.Ordinal);
        if (!throughServer)
        {
            // Every source row passes three stages. (Through a server the count also has what its own loop ran meanwhile.)
            Assert.Contains($"{FleetCli.Jobs.Length * WindowsPerJob} succeeded, 0 failed attempt(s), {3 * expected.Values.Sum():N0} rows written", run.Stdout, StringComparison.Ordinal);
        }

        FleetCli.AssertExact(_cli, expected, "after the first run");

        // Re-run every window of every job: each replaces its own output, so nothing changes.
        foreach (var job in FleetCli.Jobs)
        {
            var rerun = Ok(_cli.Run("jobs", "rerun", job, "--from", FleetCli.From, "--to", To));
            Assert.StartsWith($"{WindowsPerJob} window(s) of {job} in [2023-05-22T00:00:00Z, 2023-05-22T02:00:00Z) will run again", rerun.Stdout, StringComparison.Ordinal);
        }

        Ok(_cli.Run("jobs", "run", "--until", Until));
        FleetCli.AssertExact(_cli, expected, "after re-running every window");
        Step("rerun of every window");
        var twice = Scalar(_cli.Run("query",
            "JobAttempts | where WindowStart < datetime(2023-05-22T02:00:00Z) and State == 'Succeeded' | summarize n = count() by Job, WindowStart | where n != 2 | count",
            "--format", "csv"));
        Assert.True(twice == 0, $"{twice} window(s) did not run exactly twice");

        // Retract one window of one job: exactly that system's rows of [01:00, 01:10) leave ChangeEventV2.
        var inRange = Counts(_cli.Run("query", RangeQuery, "--format", "csv"));
        var dropped = inRange["BatchingEvents"];
        Assert.True(dropped > 0, "the window to retract holds no rows");
        var retract = Ok(_cli.Run("windows", "retract", RetractJob, "--window", "2023-05-22T01:05"));
        Assert.Contains($"retracted: {dropped:N0} row(s) dropped from ChangeEventV2", retract.Stdout, StringComparison.Ordinal);

        var afterRetract = Counts(_cli.Run("query", RangeQuery, "--format", "csv"));
        Assert.Equal(inRange.Where(p => p.Key != "BatchingEvents"), afterRetract);
        var lessOne = new SortedDictionary<string, long>(expected, StringComparer.Ordinal) { ["BatchingEvents"] = expected["BatchingEvents"] - dropped };
        FleetCli.AssertExact(_cli, lessOne, "after the retract");

        // Re-run it: the rows come back, exactly.
        var back = Ok(_cli.Run("jobs", "rerun", RetractJob, "--from", "2023-05-22T01:00", "--to", "2023-05-22T01:10"));
        Assert.StartsWith($"1 window(s) of {RetractJob}", back.Stdout, StringComparison.Ordinal);
        Ok(_cli.Run("jobs", "run", "--until", Until));
        Assert.Equal(inRange, Counts(_cli.Run("query", RangeQuery, "--format", "csv")));
        FleetCli.AssertExact(_cli, expected, "after re-running the retracted window");

        Step("retract and rerun");
        var doubled = FleetCli.ExtentsPerWindow(_cli, "ChangeEventV2").Where(e => e.Value.Extents != 1).Select(e => e.Key).ToList();
        Assert.True(doubled.Count == 0, "windows with more than one extent: " + string.Join(", ", doubled));

        var jobs = Records(_cli.Run("jobs", "list", "--as-of", Until, "--format", "csv"));
        Assert.Equal(FleetCli.Jobs.Order(StringComparer.Ordinal), jobs.Select(j => j["Job"]));
        foreach (var job in jobs)
        {
            Assert.True(job["Failed"] == "0" && job["Pending"] == "0", $"{job["Job"]}: {string.Join(", ", job)}");
            if (throughServer)
            {
                // Its own loop carries on with the later windows (they hold no rows).
                Assert.True(string.CompareOrdinal(job["LastSucceededWindowEnd"], "2023-05-22T02:00:00.0000000Z") >= 0, string.Join(", ", job));
            }
            else
            {
                Assert.Equal(("enabled", "12", "2023-05-22T02:00:00.0000000Z"), (job["State"], job["Succeeded"], job["LastSucceededWindowEnd"]));
            }
        }

        if (_server is { } server)
        {
            // The commands really went through the server: its queries are logged as the API's.
            var viaApi = Scalar(_cli.Run("query", "QueryLog | where User == 'api' and Text has 'ChangeEventV2MaterializedView' | count", "--format", "csv"));
            Assert.True(viaApi >= 4, $"only {viaApi} queries ran in the server");
            Assert.Equal(0, server.StopGracefully());
            Assert.False(File.Exists(server.AnnouncementPath), "server.json is left behind");
            Assert.Matches(new Regex("^tributary serving .* \\(pid " + server.Pid + "\\)", RegexOptions.Multiline), server.Stdout);
            FleetCli.AssertExact(_cli, expected, "offline, after the server stopped");
        }
    }
}
