using static Tributary.Cli.Tests.CliAssert;

namespace Tributary.Cli.Tests;

/// <summary>A changed pipeline file applied while the server runs its jobs: every window still runs exactly once.</summary>
public sealed class ServerApplyWhileRunningTests : IDisposable
{

    private readonly CliProcess _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Apply_ChangedPipelineWhileWindowsRun_EveryWindowRunsOnce()
    {
        Ok(_cli.Run("apply", FleetCli.PipelinePath));
        Ok(_cli.Run("generate", "fleet", "--from", FleetCli.From, "--to", FleetCli.To, "--nodes", "50", "--seed", "9"));
        var expected = FleetCli.SourceCounts(_cli);
        var yaml = File.ReadAllText(FleetCli.PipelinePath);
        var at = yaml.IndexOf("    maxParallelism: 5", StringComparison.Ordinal);
        var four = _cli.WriteFile("fleet-4.yaml", yaml[..at] + "    maxParallelism: 4" + yaml[(at + "    maxParallelism: 5".Length)..]);

        using var server = ServerProcess.Start(_cli.DataDirectory, _cli.Root);

        // The server's own loop starts the due windows at once; each apply changes a job and so reloads the scheduler.
        for (var i = 0; i < 8; i++)
        {
            var apply = Ok(_cli.Run("apply", i % 2 == 0 ? four : FleetCli.PipelinePath));
            Assert.Contains("1 change(s) applied", apply.Stdout, StringComparison.Ordinal);
        }

        Ok(_cli.Run("jobs", "run", "--until", FleetCli.Until));

        FleetCli.AssertExact(_cli, expected, "after applies while windows ran");
        var twice = Records(_cli.Run("query",
            "JobAttempts | where State == 'Succeeded' | summarize n = count() by Job, WindowStart | where n != 1",
            "--format", "csv"));
        Assert.True(twice.Count == 0, "windows that ran more than once: " + string.Join("; ", twice.Select(r => string.Join(", ", r.Values))));
        string[] targets =
        [
            "OMRollouts_EntityModel_Staging", "BatchingEvents_EntityModel_Staging", "OAASRollout_EntityModel_Staging", "ScheduledEvents_EntityModel_Staging",
            "NodeLevelAppDeploymentsRaw", "EntityChangeEvents", "NodeLevelAppDeployments", "ChangeEventV2",
        ];
        foreach (var table in targets)
        {
            var doubled = FleetCli.ExtentsPerWindow(_cli, table).Where(e => e.Value.Extents != 1).Select(e => e.Key).ToList();
            Assert.True(doubled.Count == 0, $"{table}: " + string.Join(", ", doubled));
        }

        Assert.Equal(0, server.StopGracefully());
    }
}
