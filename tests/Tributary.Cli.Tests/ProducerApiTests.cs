using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Tributary.Streams;

namespace Tributary.Cli.Tests;

/// <summary>One server (in this process) with small producer limits and a topic 'events' of 2 partitions, for <see cref="ProducerApiTests"/>.</summary>
public sealed class ProducerServerFixture : IAsyncLifetime
{
    public InProcessServer Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await InProcessServer.StartAsync(o => o with { MaxProduceBodyBytes = 4096, MaxProduceRecords = 5, MaxProduceRecordBytes = 200 });
        Host.Server.Operations.CreateTopic("events", new TopicSettings(2));
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// The producer and consumer APIs (<c>/v1/topics/{t}/records</c>) and the topic, group and ingestion endpoints given good
/// and bad input by a direct client: all or nothing, each mistake a 4xx with a JSON error (and a code for the producer).
/// </summary>
public sealed class ProducerApiTests(ProducerServerFixture fixture) : IClassFixture<ProducerServerFixture>, IDisposable
{
    private readonly HttpClient _http = fixture.Host.Client();

    public void Dispose() => _http.Dispose();

    private long Records(string topic = "events") => fixture.Host.Server.Operations.DescribeTopic(topic).Records;

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Send(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return (response.StatusCode, doc.RootElement.Clone(), response);
    }

    private Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Produce(string body, string contentType = "application/x-ndjson", string query = "", string topic = "events") =>
        Send(HttpMethod.Post, $"v1/topics/{topic}/records{query}", InProcessServer.Body(body, contentType));

    /// <summary>An error answer: the status, {"error": …[, "code": …]}; returns the message.</summary>
    private static async Task<string> Error(Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> call, HttpStatusCode status, string? code = null)
    {
        var (actual, body, response) = await call;
        using (response)
        {
            Assert.True(actual == status, $"expected {(int)status}, got {(int)actual}: {body}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var message = body.GetProperty("error").GetString()!;
            Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
            if (code is not null)
            {
                Assert.Equal(code, body.GetProperty("code").GetString());
            }

            return message;
        }
    }

    [Fact]
    public async Task Produce_JsonLinesWithKeyField_AllAppended_ThenReadBack()
    {
        var before = fixture.Host.Server.Operations.DescribeTopic("events").Partitions.Select(p => p.NextOffset).ToArray();
        var (status, body, response) = await Produce("{\"id\":\"a\",\"n\":1}\n\n{\"id\":\"b\",\"n\":2}\n{\"id\":\"a\",\"n\":3}\n", query: "?keyField=id");
        response.Dispose();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("events", body.GetProperty("topic").GetString());
        Assert.Equal(3, body.GetProperty("records").GetInt64());
        Assert.Equal(3, body.GetProperty("partitions").EnumerateArray().Sum(p => p.GetProperty("records").GetInt64()));

        var query = string.Join("&", before.Select((offset, p) => $"partition={p}&offset={offset}"));
        var (readStatus, page, readResponse) = await Send(HttpMethod.Get, $"v1/topics/events/records?{query}&max=10");
        readResponse.Dispose();
        Assert.Equal(HttpStatusCode.OK, readStatus);
        var records = page.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(3, records.Count);
        var byKey = records.GroupBy(r => r.GetProperty("key").GetString()).ToDictionary(g => g.Key!, g => g.Select(r => r.GetProperty("partition").GetInt32()).Distinct().Count());
        Assert.Equal(1, byKey["a"]);
        Assert.Contains(records, r => r.GetProperty("value").GetString() == "{\"id\":\"b\",\"n\":2}");
    }

    [Fact]
    public async Task Produce_PlainText_AnyLines()
    {
        var before = Records();
        var (status, body, response) = await Produce("hello world\nnot { json\n", "text/plain; charset=utf-8");
        response.Dispose();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, body.GetProperty("records").GetInt64());
        Assert.Equal(before + 2, Records());
    }

    [Fact]
    public async Task Produce_ABadLine_400NamingIt_NothingAppended()
    {
        var before = Records();
        var message = await Error(Produce("{\"ok\":1}\n{\"ok\":2\n{\"ok\":3}\n"), HttpStatusCode.BadRequest, "INVALID_JSON");
        Assert.StartsWith("line 2 is not valid JSON: ", message, StringComparison.Ordinal);
        var key = await Error(Produce("{\"id\":1}\n{\"other\":1}\n", query: "?keyField=id"), HttpStatusCode.BadRequest, "MISSING_KEY");
        Assert.Equal("line 2 has no key field 'id'", key);
        var notUtf8 = Encoding.UTF8.GetBytes("{\"ok\":1}\n{\"ok\":\"?\"}\n");
        notUtf8[Array.IndexOf(notUtf8, (byte)'?')] = 0xC3;
        var encoding = await Error(Send(HttpMethod.Post, "v1/topics/events/records", InProcessServer.Body(notUtf8, "application/x-ndjson")), HttpStatusCode.BadRequest, "INVALID_JSON");
        Assert.Equal("line 2 is not UTF-8: byte 8 of the line (0xC3) starts no UTF-8 character; JSON text is UTF-8", encoding);
        Assert.Equal(before, Records());
    }

    [Fact]
    public async Task Produce_OverTheLimits_413Or400_NothingAppended()
    {
        var before = Records();
        Assert.Equal("line 2 has 201 bytes, more than the 200 a record may have",
            await Error(Produce("{}\n\"" + new string('x', 199) + "\"\n"), HttpStatusCode.RequestEntityTooLarge, "RECORD_TOO_LARGE"));
        Assert.StartsWith("more than 5 records in one request (line 6 is one too many)",
            await Error(Produce(string.Concat(Enumerable.Repeat("{}\n", 6))), HttpStatusCode.BadRequest, "TOO_MANY_RECORDS"), StringComparison.Ordinal);
        Assert.Equal("the request body is larger than 4 KB; send smaller batches",
            await Error(Produce(string.Concat(Enumerable.Repeat("\"" + new string('y', 150) + "\"\n", 30))), HttpStatusCode.RequestEntityTooLarge, "BODY_TOO_LARGE"));
        Assert.Equal("the body has no records: send one record per line", await Error(Produce("\n\n"), HttpStatusCode.BadRequest, "EMPTY_BODY"));
        Assert.Equal(before, Records());
    }

    [Fact]
    public async Task Produce_WrongContentTypeOrUnknownTopic()
    {
        Assert.Equal("send JSON lines (Content-Type: application/x-ndjson) or plain lines (text/plain), not 'application/json'",
            await Error(Produce("{}", "application/json"), HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE"));
        Assert.Equal("topic 'nope' does not exist; create it with: topics create nope", await Error(Produce("{}\n", topic: "nope"), HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task Produce_WhilePaused_503RetryAfter_NothingAppended()
    {
        var ops = fixture.Host.Server.Operations;
        var before = Records();
        ops.SetIngestionPaused(true);
        try
        {
            var (status, body, response) = await Produce("{\"a\":1}\n");
            using (response)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
                Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta);
                Assert.Equal("INGESTION_PAUSED", body.GetProperty("code").GetString());
            }
        }
        finally
        {
            ops.SetIngestionPaused(false);
        }

        Assert.Equal(before, Records());
    }

    [Theory]
    [InlineData("v1/topics/events/records", "give each partition to read with its offset")]
    [InlineData("v1/topics/events/records?partition=0", "give each partition to read with its offset")]
    [InlineData("v1/topics/events/records?partition=zero&offset=0", "partition 'zero' is not a whole number")]
    [InlineData("v1/topics/events/records?partition=0&offset=0&max=0", "max must be between 1 and 10,000, not 0")]
    [InlineData("v1/topics/events/records?partition=7&offset=0", "topic 'events' has partitions 0 to 1, not 7")]
    [InlineData("v1/topics/events/records?partition=0&offset=0&wait=2m", "wait may be at most 30s, not 2m")]
    [InlineData("v1/topics/events/records?partition=0&offset=0&wait=soon", "wait 'soon' is not a duration (e.g. 500ms, 5s)")]
    public async Task Read_BadQuery_400(string path, string start)
    {
        var message = await Error(Send(HttpMethod.Get, path), HttpStatusCode.BadRequest);
        Assert.StartsWith(start, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_WithWait_AnswersOnceARecordArrives()
    {
        var ops = fixture.Host.Server.Operations;
        ops.CreateTopic("waiting", new TopicSettings(1));
        var watch = Stopwatch.StartNew();
        var read = Send(HttpMethod.Get, "v1/topics/waiting/records?partition=0&offset=0&wait=20s");
        await Task.Delay(300);
        Assert.False(read.IsCompleted);
        var (produced, _, r) = await Produce("{\"late\":1}\n", topic: "waiting");
        r.Dispose();
        Assert.Equal(HttpStatusCode.OK, produced);
        var (status, page, response) = await read;
        response.Dispose();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("{\"late\":1}", Assert.Single(page.GetProperty("records").EnumerateArray()).GetProperty("value").GetString());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Topics_CreateDescribeDelete_AndTheirMistakes()
    {
        var (created, info, r1) = await Send(HttpMethod.Post, "v1/topics", InProcessServer.Body("{\"name\":\"made\",\"partitions\":3,\"retention\":\"36h\",\"retentionBytes\":1048576}", "application/json"));
        r1.Dispose();
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(3, info.GetProperty("partitions").GetArrayLength());
        Assert.Equal("1.12:00:00", info.GetProperty("settings").GetProperty("retentionAge").GetString());

        Assert.Equal("topic 'made' already exists", await Error(Send(HttpMethod.Post, "v1/topics", InProcessServer.Body("{\"name\":\"made\"}", "application/json")), HttpStatusCode.Conflict));
        Assert.Equal("retention 'soon' is not a duration (examples: 12h, 14d) or 'forever'",
            await Error(Send(HttpMethod.Post, "v1/topics", InProcessServer.Body("{\"name\":\"x\",\"retention\":\"soon\"}", "application/json")), HttpStatusCode.BadRequest));
        Assert.StartsWith("topic 'y': partitions must be between 1 and 256, not 0",
            await Error(Send(HttpMethod.Post, "v1/topics", InProcessServer.Body("{\"name\":\"y\",\"partitions\":0}", "application/json")), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Equal("the JSON body needs 'name'", await Error(Send(HttpMethod.Post, "v1/topics", InProcessServer.Body("{}", "application/json")), HttpStatusCode.BadRequest));

        var (deleted, _, r2) = await Send(HttpMethod.Delete, "v1/topics/made");
        r2.Dispose();
        Assert.Equal(HttpStatusCode.OK, deleted);
        Assert.StartsWith("topic 'made' does not exist", await Error(Send(HttpMethod.Get, "v1/topics/made"), HttpStatusCode.NotFound), StringComparison.Ordinal);
        await Error(Send(HttpMethod.Delete, "v1/topics/made"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Groups_CommitDescribeReset_AndTheirMistakes()
    {
        var (committed, lags, r1) = await Send(HttpMethod.Post, "v1/groups/api-readers/offsets", InProcessServer.Body("{\"topic\":\"events\",\"offsets\":{\"0\":0,\"1\":0}}", "application/json"));
        r1.Dispose();
        Assert.Equal(HttpStatusCode.OK, committed);
        Assert.Equal(2, lags.GetArrayLength());

        var (reset, moves, r2) = await Send(HttpMethod.Post, "v1/groups/api-readers/reset-offsets",
            InProcessServer.Body("{\"topic\":\"events\",\"reset\":{\"kind\":\"toLatest\"},\"dryRun\":true}", "application/json"));
        r2.Dispose();
        Assert.Equal(HttpStatusCode.OK, reset);
        Assert.All(moves.EnumerateArray(), m => Assert.Equal(0, m.GetProperty("current").GetInt64()));

        Assert.StartsWith("consumer group 'nobody' does not exist", await Error(Send(HttpMethod.Get, "v1/groups/nobody"), HttpStatusCode.NotFound), StringComparison.Ordinal);
        Assert.Equal("the JSON body needs 'reset'",
            await Error(Send(HttpMethod.Post, "v1/groups/api-readers/reset-offsets", InProcessServer.Body("{\"topic\":\"events\"}", "application/json")), HttpStatusCode.BadRequest));
        Assert.StartsWith("topic 'nope' does not exist",
            await Error(Send(HttpMethod.Post, "v1/groups/api-readers/offsets", InProcessServer.Body("{\"topic\":\"nope\",\"offsets\":{\"0\":1}}", "application/json")), HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingestion_PauseStatusResume()
    {
        var (paused, state, r1) = await Send(HttpMethod.Post, "v1/ingestion/pause", InProcessServer.Body("{}", "application/json"));
        r1.Dispose();
        Assert.Equal(HttpStatusCode.OK, paused);
        Assert.True(state.GetProperty("paused").GetBoolean());
        var (_, now, r2) = await Send(HttpMethod.Get, "v1/ingestion");
        r2.Dispose();
        Assert.True(now.GetProperty("paused").GetBoolean());
        var (_, resumed, r3) = await Send(HttpMethod.Post, "v1/ingestion/resume");
        r3.Dispose();
        Assert.False(resumed.GetProperty("paused").GetBoolean());
        Assert.True(File.Exists(Path.Combine(fixture.Host.DataDirectory, "streams", "ingestion.json")));
    }
}
