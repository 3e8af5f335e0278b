using System.Diagnostics;
using System.Net.Http.Json;
using Xunit.Abstractions;
using static Tributary.Cli.Tests.CliAssert;

namespace Tributary.Cli.Tests;

/// <summary>
/// The server dies by SIGKILL in the middle of running seed 000's jobs. Restarted, it recovers (the attempts it left
/// Running end Cancelled), finishes the work, and stops cleanly; every source row then sits in ChangeEventV2 exactly
/// once, in exactly one extent per job window.
/// </summary>
public sealed class ServerCrashTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliProcess _cli = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public void Dispose() => _cli.Dispose();

    private void Step(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:N1} s  {what}");

    [Fact]
    public async Task Server_KilledMidRun_RestartRecoversAndEveryRowLandsOnce()
    {
        Ok(_cli.Run("apply", FleetCli.PipelinePath));
        Ok(_cli.Run("generate", "fleet", "--from", FleetCli.From, "--to", FleetCli.To, "--nodes", "100", "--seed", "3"));
        var expected = FleetCli.SourceCounts(_cli);
        Step("applied and generated");

        int succeededAtKill;
        long doneAtKill;
        List<string> abandoned;
        using (var server = ServerProcess.Start(_cli.DataDirectory, _cli.Root))
        {
            using var http = server.CreateClient(TimeSpan.FromMinutes(5));
            var run = http.PostAsJsonAsync("v1/jobs/run", new { until = "2023-05-22T06:10:00Z" });

            // Some windows done, not all: then the server dies without a chance to record anything.
            succeededAtKill = WaitForSucceededWindows(atLeast: 120, server);
            server.Kill();
            Step($"killed the server with {succeededAtKill} windows done");
            Assert.True(succeededAtKill < FleetCli.Jobs.Length * FleetCli.WindowsPerJob, "every window was done before the kill");
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => run);
            Assert.True(failure is HttpRequestException or IOException or TaskCanceledException, failure.ToString());
            Assert.NotEqual(0, server.ExitCode);
            Assert.True(File.Exists(server.AnnouncementPath), "a killed server cannot remove its server.json");

            // With the server dead the CLI works on the directory itself. Attempts the kill cut off left either nothing in
            // the ledger (an attempt is recorded when it ends) or a row saying Running: the restart must settle those.
            var left = Records(_cli.Run("query", "JobAttempts | where State == 'Running' | project AttemptId", "--format", "csv"));
            abandoned = left.Select(r => r["AttemptId"]).ToList();
            Assert.False(File.Exists(server.AnnouncementPath), "the stale server.json was not removed");
            doneAtKill = Scalar(_cli.Run("query",
                "JobWindows | where State == 'Succeeded' and WindowStart < datetime(2023-05-22T06:00:00Z) | count", "--format", "csv"));
            Assert.True(doneAtKill >= succeededAtKill, $"{succeededAtKill} windows were done before the kill, {doneAtKill} after it");
        }

        using (var server = ServerProcess.Start(_cli.DataDirectory, _cli.Root))
        {
            Step("restarted");
            if (abandoned.Count > 0)
            {
                var ids = string.Join(", ", abandoned.Select(id => $"'{id}'"));
                var recovered = Counts(_cli.Run("query", $"JobAttempts | where AttemptId in ({ids}) | summarize count() by State", "--format", "csv"));
                Assert.Equal([new KeyValuePair<string, long>("Cancelled", abandoned.Count)], recovered);
                var reason = Counts(_cli.Run("query", $"JobAttempts | where AttemptId in ({ids}) | summarize count() by Error", "--format", "csv"));
                Assert.Equal([new KeyValuePair<string, long>("the server stopped while the attempt ran", abandoned.Count)], reason);
            }

            var run = Ok(_cli.Run("jobs", "run", "--until", FleetCli.Until));
            Assert.Contains("0 window(s) failed in all", run.Stdout, StringComparison.Ordinal);
            Step("ran again");
            Assert.Equal(0, server.StopGracefully());
            Assert.False(File.Exists(server.AnnouncementPath), "server.json is left behind after SIGTERM");
            Assert.DoesNotContain("Exception", server.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("fail:", server.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("crit:", server.Stderr, StringComparison.Ordinal);
        }

        // Offline now: each source row exactly once, every window of the period succeeded, nothing left Running.
        FleetCli.AssertExact(_cli, expected, "after the crash, the restart and the run");
        var windows = Counts(_cli.Run("query",
            "JobWindows | where WindowStart >= datetime(2023-05-22T00:00:00Z) and WindowStart < datetime(2023-05-22T06:00:00Z) | summarize count() by State", "--format", "csv"));
        Assert.Equal([new KeyValuePair<string, long>("Succeeded", FleetCli.Jobs.Length * FleetCli.WindowsPerJob)], windows);
        Assert.Equal(0, Scalar(_cli.Run("query", "JobAttempts | where State == 'Running' | count", "--format", "csv")));
        Assert.Equal(0, Scalar(_cli.Run("query", "JobWindows | where State == 'Running' | count", "--format", "csv")));

        // Every window of the period succeeded exactly once: the ones done before the kill were not run again, the ones it
        // cut off ran once more.
        var twice = Records(_cli.Run("query",
            "JobAttempts | where WindowStart < datetime(2023-05-22T06:00:00Z) and State == 'Succeeded' | summarize n = count() by Job, WindowStart | where n != 1",
            "--format", "csv"));
        Assert.True(twice.Count == 0, string.Join("\n", twice.Select(r => string.Join(", ", r))));

        // One extent per job window: none lost, none doubled by the attempt the kill interrupted.
        var extents = FleetCli.ExtentsPerWindow(_cli, "ChangeEventV2");
        var doubled = extents.Where(e => e.Value.Extents != 1).Select(e => $"{e.Key} ({e.Value.Extents} extents)").ToList();
        Assert.True(doubled.Count == 0, string.Join("\n", doubled));
        foreach (var job in FleetCli.ChangeEventV2Jobs)
        {
            foreach (var start in FleetCli.WindowStarts())
            {
                Assert.True(extents.ContainsKey(FleetCli.WindowTag(job, start)), $"no extent for {FleetCli.WindowTag(job, start)}");
            }
        }

        Assert.Equal(expected.Values.Sum(), extents.Values.Sum(e => e.Rows));
    }

    /// <summary>Polls JobWindows (a query through the server) until at least <paramref name="atLeast"/> windows of the period succeeded.</summary>
    private int WaitForSucceededWindows(int atLeast, ServerProcess server)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromMinutes(3))
        {
            var r = _cli.Run("query",
                "JobWindows | where State == 'Succeeded' and WindowStart < datetime(2023-05-22T06:00:00Z) | count", "--format", "csv");
            Assert.True(r.ExitCode == 0, r + "\n" + server.Describe());
            var n = (int)Scalar(r);
            if (n >= atLeast)
            {
                return n;
            }

            Thread.Sleep(200);
        }

        throw new TimeoutException($"fewer than {atLeast} windows succeeded within 3 minutes\n{server.Describe()}");
    }
}
