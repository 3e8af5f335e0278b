using static Tributary.Cli.Tests.CliAssert;

namespace Tributary.Cli.Tests;

/// <summary>processors and backups commands as a user runs them: the telemetry sample end to end offline, and bad input.</summary>
public sealed class ProcessorsCliTests : IDisposable
{
    private readonly CliProcess _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void TelemetrySample_GenerateProduceRun_TableFilledAndProcessorsListed()
    {
        Ok(_cli.Run("apply", StreamsCrashTests.TelemetryPipeline));
        var batches = Path.Combine(_cli.Root, "batches.jsonl");
        Ok(_cli.Run("generate", "telemetry", "--batches", "50", "--seed", "3", "--out", batches));
        Ok(_cli.Run("produce", "ingest", batches));

        var run = Ok(_cli.Run("processors", "run", "--format", "csv"));

        Assert.Contains("sink,table,denorm,stopped,0", run.Stdout, StringComparison.Ordinal);
        Assert.True(Scalar(_cli.Run("query", "TelemetryEvents | count", "--format", "csv")) > 500);
        Ok(_cli.Run("processors", "pause", "sink"));
        var list = Records(Ok(_cli.Run("processors", "list", "--format", "csv")));
        Assert.Equal("paused", list.Single(r => r["Processor"] == "sink")["State"]);
        var replay = Ok(_cli.Run("backups", "replay", "--topic", "raw", "--from", "2000-01-01", "--to", "2100-01-01", "--into", "raw"));
        Assert.Contains("replayed", replay.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no processor 'nope'", "processors", "pause", "nope")]
    [InlineData("--wait 'soon' is not a duration", "processors", "run", "--wait", "soon")]
    [InlineData("there are no backups of topic 'raw'", "backups", "replay", "--topic", "raw", "--from", "2024-01-01", "--to", "2024-01-02")]
    [InlineData("--from", "backups", "replay", "--topic", "raw", "--from", "yesterday", "--to", "2024-01-02")]
    [InlineData("must be before --to", "backups", "replay", "--topic", "raw", "--from", "2024-01-03", "--to", "2024-01-02")]
    public void BadInput_OneLineSayingWhat(string expected, params string[] args)
    {
        Ok(_cli.Run("apply", StreamsCrashTests.TelemetryPipeline));

        var error = UserError(_cli.Run(args));

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
