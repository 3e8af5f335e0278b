using Tributary.Streams;

namespace Tributary.Cli.Tests;

/// <summary>The server checkpoints the log after each retention run, so an open after a crash reads only what came after.</summary>
public sealed class LogCheckpointTests
{
    [Fact]
    public async Task Serve_AfterEachRetentionRun_WritesThePartitionsIndexFiles()
    {
        await using var host = await InProcessServer.StartAsync(o => o with { RetentionInterval = TimeSpan.FromMilliseconds(200) });
        var ops = host.Server.Operations;
        ops.CreateTopic("events", new TopicSettings(Partitions: 2));
        var index = Path.Combine(host.DataDirectory, FasterEventLog.DirectoryName, "events", "0", PartitionIndexFile.FileName);
        using var http = host.Client();
        using var response = await http.PostAsync(new Uri("v1/topics/events/records", UriKind.Relative), InProcessServer.Body("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n", "application/x-ndjson"));
        response.EnsureSuccessStatusCode();

        for (var waited = 0; !File.Exists(index) && waited < 150; waited++)
        {
            await Task.Delay(100);
        }

        Assert.True(File.Exists(index), "no index file while the server runs");
        Assert.NotNull(PartitionIndexFile.TryRead(Path.GetDirectoryName(index)!));
    }
}
