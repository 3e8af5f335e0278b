using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using Tributary.Telemetry;
using Xunit.Abstractions;
using static Tributary.Cli.Tests.CliAssert;

namespace Tributary.Cli.Tests;

/// <summary>
/// Seed 002's pipeline under a crash: telemetry batches (with duplicate events, re-sent batches and invalid events) are
/// posted and acknowledged, the server is SIGKILLed while its processors work through them, and restarted. Then the
/// table holds exactly the valid distinct events, and the failed and duplicate topics exactly the rest: no acknowledged
/// event lost, none put anywhere twice.
/// </summary>
public sealed class StreamsCrashTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliProcess _cli = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public void Dispose() => _cli.Dispose();

    private void Step(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:N1} s  {what}");

    public static string TelemetryPipeline => Path.Combine(Path.GetDirectoryName(FleetCli.PipelinePath)!, "telemetry.yaml");

    [Fact]
    public async Task Server_KilledWhileProcessing_RestartLosesNothingAndDuplicatesNothing()
    {
        var generated = TelemetryGenerator.Generate(new TelemetryGenerateOptions(new DateTime(2024, 5, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2024, 5, 1, 6, 0, 0, DateTimeKind.Utc))
        {
            Batches = 600,
            EventsPerBatch = 20,
            Seed = 7,
            DuplicateEvents = 0.03,
            InvalidEvents = 0.03,
            DuplicateBatches = 0.02,
        });
        var tally = generated.Tally;
        int Of(TelemetryEventCategory category, params string[] eids) => eids.Sum(e => tally.ByEid(category).GetValueOrDefault(e));

        // Where each event must end: LOG events leave at the extractor (not validated, not deduplicated), ERROR events at
        // the router; every other valid event reaches the table once.
        var expectedRows = tally.ValidEvents - Of(TelemetryEventCategory.Valid, "LOG", "ERROR");
        var expectedFailed = tally.InvalidEvents - Of(TelemetryEventCategory.Invalid, "LOG");
        var expectedDuplicates = tally.DuplicateEvents - Of(TelemetryEventCategory.Duplicate, "LOG");
        Ok(_cli.Run("apply", TelemetryPipeline));
        Step($"applied; {tally.Batches} batches: {expectedRows} rows expected, {expectedFailed} failed, {expectedDuplicates} duplicates");

        long rowsAtKill;
        using (var server = ServerProcess.Start(_cli.DataDirectory, _cli.Root))
        {
            using var http = server.CreateClient(TimeSpan.FromMinutes(2));

            // The extractor waits until every batch is in, so the kill comes in the middle of a large backlog.
            Ok(_cli.Run("processors", "pause", "extractor"));
            foreach (var batch in generated.Batches)
            {
                using var response = await http.PostAsync("v1/telemetry", new StringContent(batch, Encoding.UTF8, "application/json"));
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            }

            Step("every batch acknowledged");
            Ok(_cli.Run("processors", "resume", "extractor"));
            rowsAtKill = 0;
            while (rowsAtKill == 0)
            {
                rowsAtKill = await CountAsync(http, "TelemetryEvents | count");
                await Task.Delay(20);
            }

            server.Kill();
            Step($"killed the server with {rowsAtKill} rows in the table");
            Assert.True(rowsAtKill < expectedRows, $"the processors were done ({rowsAtKill} rows) before the kill");
        }

        using (var server = ServerProcess.Start(_cli.DataDirectory, _cli.Root))
        {
            Step("restarted");
            var run = Ok(_cli.Run("processors", "run", "--wait", "3m", "--format", "csv"));
            Step("caught up");
            output.WriteLine(run.Stdout);
            using var http = server.CreateClient(TimeSpan.FromMinutes(2));
            Assert.Equal(expectedRows, await CountAsync(http, "TelemetryEvents | count"));
            Assert.Equal(expectedRows, await CountAsync(http, "TelemetryEvents | summarize dcount(Mid)"));
            Assert.Equal(0, await CountAsync(http, "TelemetryEvents | where Eid in ('LOG', 'ERROR') | count"));
            Assert.Equal(expectedFailed, TopicRecords("telemetry.failed"));
            Assert.Equal(expectedDuplicates, TopicRecords("telemetry.duplicate"));
            Assert.Equal(tally.DuplicateBatches, TopicRecords("extractor.duplicate"));
            Assert.Equal(tally.Batches, TopicRecords("ingest"));
            Assert.Equal(0, server.StopGracefully());
        }
    }

    private long TopicRecords(string topic) =>
        CliAssert.Records(Ok(_cli.Run("topics", "describe", topic, "--format", "csv"))).Sum(r => long.Parse(r["Records"], System.Globalization.CultureInfo.InvariantCulture));

    private static async Task<long> CountAsync(HttpClient http, string query)
    {
        using var response = await http.PostAsJsonAsync("v1/query", new { query });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var doc = System.Text.Json.JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("rows")[0][0].GetInt64();
    }
}
