using Tributary.Operations;
using static Tributary.Cli.Tests.CliAssert;

namespace Tributary.Cli.Tests;

/// <summary>
/// <c>tributary serve</c>'s life: one server a directory, a clean stop on SIGTERM, a stale announcement after SIGKILL
/// that the next command sees through, and a server dying under a running command.
/// </summary>
public sealed class ServerLifecycleTests : IDisposable
{
    private const string BadCsv = "a,n\nx,1\ny,notanumber\n";
    private readonly CliProcess _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Serve_SecondOnTheSameDirectory_ExitsOneNamingTheHoldersPid()
    {
        Ok(_cli.Run("query", ".create table T (a:string, n:long)"));
        using var server = ServerProcess.Start(_cli.DataDirectory, _cli.Root);

        var second = _cli.RunRaw(TimeSpan.FromMinutes(1), "--data", _cli.DataDirectory, "serve", "--urls", "http://127.0.0.1:0");
        var error = UserError(second);
        Assert.Contains($"(PID {server.Pid})", error, StringComparison.Ordinal);
        Assert.Contains("in use by another process", error, StringComparison.Ordinal);

        // The first server is undisturbed: still announced, still answering.
        Assert.Equal(server.Pid, ServerAnnouncement.TryRead(server.DataDirectory)?.ProcessId);
        Assert.Equal("Count\r\n0\r\n", Ok(_cli.Run("query", "T | count", "--format", "csv")).Stdout);
        Assert.Equal(0, server.StopGracefully());
    }

    [Fact]
    public void Serve_Sigterm_ExitsZeroAndRemovesServerJson()
    {
        using var server = ServerProcess.Start(_cli.DataDirectory, _cli.Root);
        var announced = ServerAnnouncement.TryRead(server.DataDirectory);
        Assert.NotNull(announced);
        Assert.Equal((server.Url, server.Pid), (announced.Url, announced.ProcessId));
        Assert.StartsWith("http://127.0.0.1:", server.Url, StringComparison.Ordinal);
        Assert.Contains($"(pid {server.Pid}) — loopback only", server.Stdout, StringComparison.Ordinal);

        Assert.Equal(0, server.StopGracefully());
        Assert.False(File.Exists(server.AnnouncementPath), "server.json is left behind");
        Assert.Contains("stopped\n", server.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", server.Stderr, StringComparison.Ordinal);

        // The directory is free again.
        Ok(_cli.Run("query", ".create table T (a:string)"));
    }

    [Fact]
    public void Serve_Sigkill_StaleServerJsonIsRemovedAndTheNextCommandWorksOffline()
    {
        string throughServer;
        using (var server = ServerProcess.Start(_cli.DataDirectory, _cli.Root))
        {
            Ok(_cli.Run("query", ".create table T (a:string, n:long)"));
            var ingest = Ok(_cli.Run("ingest", "T", _cli.WriteFile("t.csv", "a,n\nx,1\ny,2\n")));
            Assert.StartsWith("ingested 2 rows into T as extent ", ingest.Stdout, StringComparison.Ordinal);
            throughServer = UserError(_cli.Run("ingest", "T", _cli.WriteFile("bad.csv", BadCsv)));

            server.Kill();
            Assert.True(File.Exists(server.AnnouncementPath), "a killed server cannot remove its server.json");
            Assert.Equal(server.Pid, ServerAnnouncement.TryRead(server.DataDirectory)?.ProcessId);
        }

        var count = Ok(_cli.Run("query", "T | count", "--format", "csv"));
        Assert.Equal("Count\r\n2\r\n", count.Stdout);
        Assert.False(File.Exists(Path.Combine(_cli.DataDirectory, ServerAnnouncement.FileName)), "the stale server.json is still there");

        // What ran through the server ran there (as the API's user), and a bad file reads the same either way.
        Assert.Equal(1, Scalar(_cli.Run("query", "QueryLog | where User == 'api' and Text startswith '.create table T' | count", "--format", "csv")));
        var offline = UserError(_cli.Run("ingest", "T", Path.Combine(_cli.Root, "bad.csv")));
        Assert.Equal(offline, throughServer);
        Assert.StartsWith("error: bad.csv: line 3, column 'n'", offline, StringComparison.Ordinal);
        Assert.Equal("Count\r\n2\r\n", Ok(_cli.Run("query", "T | count", "--format", "csv")).Stdout);
    }

    [Fact]
    public async Task Serve_KilledDuringJobsRun_CliPrintsOneErrorLineAndExitsOne()
    {
        Ok(_cli.Run("apply", FleetCli.PipelinePath));
        Ok(_cli.Run("generate", "fleet", "--from", FleetCli.From, "--to", FleetCli.To, "--nodes", "50", "--seed", "5"));
        using var server = ServerProcess.Start(_cli.DataDirectory, _cli.Root);

        // A week of windows (most of them empty): long enough to be under way when the server dies, even in batches.
        var run = Task.Run(() => _cli.Run("jobs", "run", "--until", "2023-05-29T00:00"));

        // Killed once the CLI is connected and its request under way (killed sooner, the CLI would find no server and
        // rightly work offline).
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!server.HasClientConnection() && !run.IsCompleted && watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50);
        }

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.False(run.IsCompleted, "jobs run finished before the server could be killed: " + (run.IsCompleted ? (await run).ToString() : ""));
        server.Kill();

        var result = await run.WaitAsync(TimeSpan.FromMinutes(1));
        var error = UserError(result);
        Assert.StartsWith($"error: the server at {server.Url} (pid {server.Pid}) stopped answering during the command", error, StringComparison.Ordinal);
        Assert.Contains("may or may not have been carried out", error, StringComparison.Ordinal);
    }
}
