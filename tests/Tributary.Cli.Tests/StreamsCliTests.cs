using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using static Tributary.Cli.Tests.CliAssert;

namespace Tributary.Cli.Tests;

/// <summary>Two data directories: one used offline, one owned by a running server.</summary>
public sealed class StreamsFixture : IDisposable
{
    public StreamsFixture()
    {
        Server = ServerProcess.Start(Online.DataDirectory, Online.Root);
    }

    public CliProcess Offline { get; } = new();

    public CliProcess Online { get; } = new();

    public ServerProcess Server { get; }

    public CliProcess Cli(bool throughServer)
    {
        if (throughServer)
        {
            Assert.False(Server.HasExited, "the server died\n" + Server.Describe());
        }

        return throughServer ? Online : Offline;
    }

    public void Dispose()
    {
        Server.Dispose();
        Offline.Dispose();
        Online.Dispose();
    }
}

/// <summary>
/// <c>topics</c>, <c>produce</c>, <c>consume</c>, <c>groups</c> and <c>ingestion</c> as a user runs them: the same session
/// offline and through a server gives the same output, line for line.
/// </summary>
public sealed partial class StreamsCliTests(StreamsFixture fixture) : IClassFixture<StreamsFixture>
{
    private const string Orders = """
        {"id":"o1","amount":10}
        {"id":"o2","amount":20}

        {"id":"o3","amount":30}
        {"id":"o1","amount":11}
        {"id":"o2","amount":21}
        {"id":"o3","amount":31}
        """;

    /// <summary>One command of the session and what it printed (times made neutral).</summary>
    private sealed record Step(string Command, int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"$ {Command}\n[exit {ExitCode}]\n{Stdout}{Stderr}";
    }

    private static List<Step> Session(CliProcess cli)
    {
        cli.WriteFile("orders.jsonl", Orders);
        string[][] commands =
        [
            ["topics", "create", "orders", "--partitions", "3", "--retention", "7d", "--retention-bytes", "1GB"],
            ["topics", "create", "audit"],
            ["produce", "orders", "orders.jsonl", "--key-field", "id"],
            ["produce", "audit"],
            ["topics", "list"],
            ["topics", "describe", "orders", "--format", "csv"],
            ["consume", "orders", "--from-beginning", "--timeout", "0"],
            ["consume", "orders", "--group", "billing", "--from-beginning", "--max", "4", "--timeout", "0", "--print-key", "--print-offset"],
            ["groups", "describe", "billing"],
            ["groups", "list", "--format", "csv"],
            ["groups", "reset-offsets", "billing", "--topic", "orders", "--to-earliest", "--dry-run"],
            ["groups", "reset-offsets", "billing", "--topic", "orders", "--shift-by", "-1"],
            ["consume", "orders", "--group", "billing", "--timeout", "0"],
            ["groups", "describe", "billing", "--format", "csv"],
            ["ingestion", "pause"],
            ["produce", "orders", "orders.jsonl"],
            ["ingestion", "status"],
            ["ingestion", "resume"],
            ["groups", "reset-offsets", "billing", "--topic", "orders", "--to-datetime", "2000-01-01T00:00:00.000"],
            ["consume", "audit", "--from-beginning", "--timeout", "0", "--partition", "0", "--print-key"],
            ["topics", "delete", "audit"],
            ["topics", "list", "--format", "csv"],
        ];
        var steps = new List<Step>();
        foreach (var command in commands)
        {
            var r = command is ["produce", "audit"] ? cli.RunWithInput("login alice\n\nlogout alice\n", command) : cli.Run(command);
            steps.Add(new Step(string.Join(' ', command), r.ExitCode, Neutral(r.Stdout), Neutral(r.Stderr)));
        }

        return steps;
    }

    private static string Neutral(string text) => Times().Replace(text.Replace("\r\n", "\n", StringComparison.Ordinal), "<time>");

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")]
    private static partial Regex Times();

    [Fact]
    public void Session_SameAnswersOfflineAndThroughTheServer()
    {
        var offline = Session(fixture.Cli(throughServer: false));
        var online = Session(fixture.Cli(throughServer: true));
        for (var i = 0; i < offline.Count; i++)
        {
            Assert.Equal(offline[i].ToString(), online[i].ToString());
        }

        string Out(int i) => offline[i].Stdout;
        Assert.All(offline.Where(s => s.Command != "produce orders orders.jsonl"), s => Assert.True(s.ExitCode == 0, s.ToString()));
        Assert.Equal("created topic 'orders': 3 partitions, retention 7d, at most 1 GB a partition\n", Out(0));
        Assert.Equal("created topic 'audit': 1 partition, retention 14d, no size limit\n", Out(1));
        Assert.StartsWith("produced 6 records to topic 'orders' (partition ", Out(2), StringComparison.Ordinal);
        Assert.StartsWith("produced 2 records to topic 'audit' (partition 0: 2)", Out(3), StringComparison.Ordinal);
        Assert.Matches(@"orders\s+3\s+6\s+\d+\s+7d\s+1073741824", Out(4));

        var partitions = Csv(Out(5));
        Assert.Equal(["Partition", "EarliestOffset", "NextOffset", "Records", "Bytes", "OldestTimestamp", "NewestTimestamp"], partitions[0]);
        Assert.Equal(6, partitions.Skip(1).Sum(p => long.Parse(p[3], System.Globalization.CultureInfo.InvariantCulture)));

        var all = Out(6).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Orders.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.Length > 0).Order(), all.Order());
        Assert.Equal("consumed 6 records from 'orders'\n", offline[6].Stderr);

        var printed = Out(7).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, printed.Length);
        Assert.All(printed, l => Assert.Matches(@"^Partition:\d\tOffset:\d\to\d\t\{""id"":""o\d"",""amount"":\d+\}$", l));
        Assert.Equal("consumed 4 records from 'orders' as group 'billing'\n", offline[7].Stderr);
        Assert.Matches(@"billing,orders,3,2", Out(9));

        Assert.StartsWith("dry run: group 'billing' would move as below (--to-earliest); nothing changed", Out(10), StringComparison.Ordinal);
        Assert.StartsWith("moved group 'billing' (--shift-by):", Out(11), StringComparison.Ordinal);
        var lagAfter = Csv(Out(13)).Skip(1).Sum(r => long.Parse(r[4], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, lagAfter);

        Assert.StartsWith("ingestion is paused since <time>", Out(14), StringComparison.Ordinal);
        Assert.Equal((1, ""), (offline[15].ExitCode, offline[15].Stdout));
        Assert.StartsWith("error: ingestion is paused (since <time>); nothing was appended", offline[15].Stderr, StringComparison.Ordinal);
        Assert.StartsWith("ingestion is paused", Out(16), StringComparison.Ordinal);
        Assert.StartsWith("ingestion is running", Out(17), StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\s[1-9]\d*\s*\n", string.Concat(Out(18).Split('\n').Skip(3).Select(l => l.Length > 30 ? l[30..] + "\n" : "")));
        Assert.Equal("null\tlogin alice\nnull\tlogout alice\n", Out(19));
        Assert.Equal("deleted topic 'audit' (1 partition, 2 records)\n", Out(20));
        Assert.Equal(2, Csv(Out(21)).Count);
    }

    [Fact]
    public async Task Consume_ThroughTheServer_GetsRecordsProducedWhileItWaits_AndTelemetryPostedOverHttp()
    {
        var cli = fixture.Cli(throughServer: true);
        Ok(cli.Run("topics", "create", "live", "--partitions", "2"));
        Ok(cli.Run("consume", "live", "--group", "tail", "--timeout", "0")); // commits the end: the group starts there
        var consumer = Task.Run(() => cli.Run("consume", "live", "--group", "tail", "--max", "2", "--timeout", "60s"));
        await Task.Delay(1500);
        Assert.False(consumer.IsCompleted, "the consumer ended before anything was produced");
        Ok(cli.RunWithInput("{\"n\":1}\n{\"n\":2}\n", "produce", "live"));
        var consumed = Ok(await consumer);
        Assert.Equal(["{\"n\":1}", "{\"n\":2}"], consumed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
        Assert.True(consumed.Elapsed < TimeSpan.FromSeconds(50), consumed.ToString());

        using var http = fixture.Server.CreateClient();
        using var content = new StringContent("{\"id\":\"sunbird.telemetry\",\"ver\":\"3.0\",\"params\":{\"msgid\":\"e2e-1\"},\"mid\":\"e2e-mid\",\"events\":[{\"eid\":\"LOG\",\"mid\":\"LOG:e2e\"}]}", Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("v1/telemetry", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var batch = Ok(cli.Run("consume", "ingest", "--from-beginning", "--timeout", "0", "--print-key"));
        var line = Assert.Single(batch.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("e2e-mid\t{\"id\":\"sunbird.telemetry\"", line, StringComparison.Ordinal);
        Assert.Contains("\"syncts\":", line, StringComparison.Ordinal);
    }
}
