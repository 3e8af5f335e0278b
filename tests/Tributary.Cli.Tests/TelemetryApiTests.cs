using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Tributary.Streams;

namespace Tributary.Cli.Tests;

/// <summary>One server (in this process, its clock fixed) for <see cref="TelemetryApiTests"/>; the telemetry topic exists once the first test posted.</summary>
public sealed class TelemetryServerFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2024, 5, 23, 10, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Now);

    public InProcessServer Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await InProcessServer.StartAsync(time: Time);

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// <c>POST /v1/telemetry</c>: Sunbird v3 batches appended as one stamped record each (JSON or gzip'd), answered in the
/// Sunbird shape; every bad batch is refused with the right status and code and appends nothing.
/// </summary>
public sealed class TelemetryApiTests(TelemetryServerFixture fixture) : IClassFixture<TelemetryServerFixture>, IDisposable
{
    private const string Topic = "ingest";
    private readonly HttpClient _http = fixture.Host.Client();

    public void Dispose() => _http.Dispose();

    private IEventLog Log => fixture.Host.Server.Operations.Log;

    private static string Batch(int events = 2, string? msgid = "msg-1", string extra = "") =>
        $"{{\"id\":\"sunbird.telemetry\",\"ver\":\"3.0\",\"ets\":1716458000000,\"params\":{{\"msgid\":{(msgid is null ? "null" : $"\"{msgid}\"")},\"requesterId\":\"\"}}{extra},\"events\":[" +
        string.Join(",", Enumerable.Range(0, events).Select(i => $"{{\"eid\":\"LOG\",\"ets\":1716457999{i:000},\"ver\":\"3.0\",\"mid\":\"LOG:{i}\",\"actor\":{{\"id\":\"u\",\"type\":\"user\"}},\"context\":{{\"channel\":\"c\",\"env\":\"home\"}},\"edata\":{{\"level\":\"INFO\",\"message\":\"é {i}\"}}}}")) +
        "]}";

    private async Task<(HttpStatusCode Status, JsonElement Answer, HttpResponseMessage Response)> Post(HttpContent content, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/telemetry") { Content = content };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(text);
        return (response.StatusCode, doc.RootElement.Clone(), response);
    }

    private Task<(HttpStatusCode Status, JsonElement Answer, HttpResponseMessage Response)> PostJson(string json, params (string Name, string Value)[] headers) =>
        Post(InProcessServer.Body(json, "application/json"), headers);

    private long Records() => Log.HasTopic(Topic) ? Log.DescribeTopic(Topic).Records : 0;

    /// <summary>The records of the topic, oldest first per partition.</summary>
    private List<StoredRecord> All() => Log.DescribeTopic(Topic).Partitions.SelectMany(p => Log.Read(Topic, p.Partition, p.EarliestOffset, 10_000)).ToList();

    private static void AssertSuccess(JsonElement answer, string? msgid)
    {
        Assert.Equal(["id", "ver", "ts", "params", "responseCode"], answer.EnumerateObject().Select(p => p.Name));
        Assert.Equal("api.telemetry", answer.GetProperty("id").GetString());
        Assert.Equal("3.0", answer.GetProperty("ver").GetString());
        Assert.Equal("2024-05-23T10:00:00.000Z", answer.GetProperty("ts").GetString());
        Assert.Equal("SUCCESS", answer.GetProperty("responseCode").GetString());
        var p = answer.GetProperty("params");
        Assert.Equal(["resmsgid", "msgid", "status", "err", "errmsg"], p.EnumerateObject().Select(x => x.Name));
        Assert.True(Guid.TryParse(p.GetProperty("resmsgid").GetString(), out _));
        Assert.Equal(msgid, p.GetProperty("msgid").GetString());
        Assert.Equal("successful", p.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, p.GetProperty("err").ValueKind);
        Assert.Equal(JsonValueKind.Null, p.GetProperty("errmsg").ValueKind);
    }

    /// <summary>A refusal: the status, the Sunbird failure shape with the code, and nothing appended. Returns errmsg.</summary>
    private async Task<string> Refused(Task<(HttpStatusCode Status, JsonElement Answer, HttpResponseMessage Response)> post, HttpStatusCode status, string code, long before)
    {
        var (actual, answer, response) = await post;
        using (response)
        {
            Assert.True(actual == status, $"expected {(int)status}, got {(int)actual}: {answer}");
            Assert.Equal("CLIENT_ERROR", answer.GetProperty("responseCode").GetString());
            var p = answer.GetProperty("params");
            Assert.Equal("failed", p.GetProperty("status").GetString());
            Assert.Equal(code, p.GetProperty("err").GetString());
            var message = p.GetProperty("errmsg").GetString()!;
            Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
            Assert.Equal(before, Records());
            return message;
        }
    }

    [Fact]
    public async Task Post_InlineBatch_200SunbirdAnswer_OneStampedRecordKeyedByANewMid()
    {
        var before = Records();
        var earlier = Log.HasTopic(Topic) ? All().Select(r => (r.Partition, r.Offset)).ToHashSet() : [];
        var (status, answer, response) = await PostJson(Batch(), ("X-Device-ID", "device-7"), ("X-Channel-ID", "channel-3"), ("X-App-ID", "app.portal"));
        response.Dispose();
        Assert.Equal(HttpStatusCode.OK, status);
        AssertSuccess(answer, "msg-1");

        var info = Log.DescribeTopic(Topic);
        Assert.Equal((4, TopicSettings.DefaultRetentionAge), (info.Partitions.Count, info.Settings.RetentionAge!.Value));
        Assert.Equal(before + 1, info.Records);
        var record = Assert.Single(All(), r => !earlier.Contains((r.Partition, r.Offset)));
        using var stored = JsonDocument.Parse(record.Value);
        var root = stored.RootElement;
        var mid = root.GetProperty("mid").GetString()!;
        Assert.True(Guid.TryParse(mid, out _), mid);
        Assert.Equal(mid, Encoding.UTF8.GetString(record.Key!));
        Assert.Equal(TelemetryServerFixture.Now.ToUnixTimeMilliseconds(), root.GetProperty("syncts").GetInt64());
        Assert.Equal(("device-7", "channel-3", "app.portal"), (root.GetProperty("did").GetString(), root.GetProperty("channel").GetString(), root.GetProperty("pid").GetString()));
        using var sent = JsonDocument.Parse(Batch());
        Assert.Equal(sent.RootElement.GetProperty("events").GetRawText(), root.GetProperty("events").GetRawText());
        Assert.Equal("msg-1", root.GetProperty("params").GetProperty("msgid").GetString());
    }

    [Fact]
    public async Task Post_BatchWithItsOwnMid_KeyedByIt_NoHeaders_NoDeviceFields()
    {
        var (status, answer, response) = await PostJson(Batch(msgid: null, extra: ",\"mid\":\"batch-mid-42\""));
        response.Dispose();
        Assert.Equal(HttpStatusCode.OK, status);
        AssertSuccess(answer, null);
        var record = Assert.Single(All(), r => Encoding.UTF8.GetString(r.Key!) == "batch-mid-42");
        using var stored = JsonDocument.Parse(record.Value);
        Assert.False(stored.RootElement.TryGetProperty("did", out _));
        Assert.Equal("batch-mid-42", stored.RootElement.GetProperty("mid").GetString());
    }

    [Fact]
    public async Task Post_Gzipped_200AndTheSameRecord()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(Batch(msgid: "gz-1", extra: ",\"mid\":\"gz-mid\"")));
        }

        var (status, answer, response) = await Post(InProcessServer.Body(buffer.ToArray(), "application/json", "gzip"));
        response.Dispose();
        Assert.Equal(HttpStatusCode.OK, status);
        AssertSuccess(answer, "gz-1");
        var record = Assert.Single(All(), r => Encoding.UTF8.GetString(r.Key!) == "gz-mid");
        using var stored = JsonDocument.Parse(record.Value);
        Assert.Equal(2, stored.RootElement.GetProperty("events").GetArrayLength());
    }

    [SkippableFact]
    public async Task Post_RealSunbirdBatch_FromTheExtractorFixtures()
    {
        var line = File.ReadLines(Path.Combine(SharedData.RequireSunbird(), "events", "telemetry-extractor.fixtures.jsonl")).First();
        using var original = JsonDocument.Parse(line);
        var (status, answer, response) = await PostJson(line);
        response.Dispose();
        Assert.Equal(HttpStatusCode.OK, status);
        AssertSuccess(answer, "3fc11963-04e7-4251-83de-18e0dbb5a684");
        var mid = original.RootElement.GetProperty("mid").GetString()!;
        var record = All().Last(r => Encoding.UTF8.GetString(r.Key!) == mid);
        using var stored = JsonDocument.Parse(record.Value);
        Assert.Equal(21, stored.RootElement.GetProperty("events").GetArrayLength());
        Assert.Equal(original.RootElement.GetProperty("events").GetRawText(), stored.RootElement.GetProperty("events").GetRawText());
        Assert.Equal(TelemetryServerFixture.Now.ToUnixTimeMilliseconds(), stored.RootElement.GetProperty("syncts").GetInt64());
    }

    [Fact]
    public async Task Post_MalformedJson_400InvalidJsonNamingTheByte()
    {
        await EnsureTopic();
        var message = await Refused(PostJson("{\"id\":\"x\",\"events\":[{\"eid\":\"LOG\"},]}"), HttpStatusCode.BadRequest, "INVALID_JSON", Records());
        Assert.StartsWith("malformed JSON at byte 35: The JSON array contains a trailing comma", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_NotUtf8_400InvalidJsonNamingTheByte_NothingAppended()
    {
        await EnsureTopic();
        var body = Encoding.UTF8.GetBytes("{\"params\":{\"msgid\":\"m\"},\"events\":[{\"eid\":\"LOG\",\"mid\":\"?\"}]}");
        body[Array.IndexOf(body, (byte)'?')] = 0xFE;
        var message = await Refused(Post(InProcessServer.Body(body, "application/json")), HttpStatusCode.BadRequest, "INVALID_JSON", Records());
        Assert.Equal("the body is not UTF-8: byte 55 (0xFE) starts no UTF-8 character; JSON text is UTF-8", message);
    }

    [Theory]
    [InlineData("{\"id\":\"sunbird.telemetry\",\"params\":{\"msgid\":\"m\"}}", "MISSING_EVENTS", "the batch has no 'events'")]
    [InlineData("{\"params\":{\"msgid\":\"m\"},\"events\":[]}", "EMPTY_BATCH", "'events' is empty")]
    [InlineData("{\"events\":\"LOG\"}", "INVALID_EVENTS", "'events' is a string, not an array of event objects")]
    [InlineData("{\"events\":[{\"eid\":\"LOG\"},\"testing events\"]}", "INVALID_EVENTS", "events[1] is a string, not an event object")]
    [InlineData("[{\"eid\":\"LOG\"}]", "INVALID_BATCH", "the body is a JSON array, not an object")]
    [InlineData("", "EMPTY_BODY", "the request body is empty")]
    public async Task Post_BadEnvelope_400WithCodeAndNothingAppended(string json, string code, string start)
    {
        await EnsureTopic();
        var message = await Refused(PostJson(json), HttpStatusCode.BadRequest, code, Records());
        Assert.StartsWith(start, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_BadBatch_EchoesItsMsgId()
    {
        await EnsureTopic();
        var (_, answer, response) = await PostJson("{\"params\":{\"msgid\":\"echo-me\"},\"events\":[]}");
        response.Dispose();
        Assert.Equal("echo-me", answer.GetProperty("params").GetProperty("msgid").GetString());
    }

    [Fact]
    public async Task Post_TooManyEvents_400()
    {
        await EnsureTopic();
        var message = await Refused(PostJson(Batch(events: 1001)), HttpStatusCode.BadRequest, "TOO_MANY_EVENTS", Records());
        Assert.StartsWith("the batch has 1,001 events, more than the 1,000 a batch may have", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_AnEventOver1MB_413()
    {
        await EnsureTopic();
        var big = "{\"events\":[{\"eid\":\"LOG\"},{\"eid\":\"LOG\",\"mid\":\"LOG:big\",\"edata\":{\"message\":\"" + new string('x', 1 << 20) + "\"}}]}";
        var message = await Refused(PostJson(big), HttpStatusCode.RequestEntityTooLarge, "EVENT_TOO_LARGE", Records());
        Assert.StartsWith("events[1] (mid LOG:big) has 1,048,6", message, StringComparison.Ordinal);
        Assert.EndsWith("more than the 1,048,576 an event may have", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_EventsUnderTheLimitButTooLargeForOneRecord_413()
    {
        await EnsureTopic();
        var events = string.Join(",", Enumerable.Range(0, 3).Select(i => $"{{\"eid\":\"LOG\",\"edata\":\"{new string('x', 1_000_000)}\"}}"));
        var message = await Refused(PostJson($"{{\"events\":[{events}]}}"), HttpStatusCode.RequestEntityTooLarge, "BATCH_TOO_LARGE", Records());
        Assert.Contains("more than the 2,097,", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_BodyOver10MB_413_PlainOrAsAGzipBomb()
    {
        await EnsureTopic();
        var huge = "{\"events\":[{\"eid\":\"LOG\",\"edata\":\"" + new string('x', 10 * 1024 * 1024) + "\"}]}";
        var plain = await Refused(PostJson(huge), HttpStatusCode.RequestEntityTooLarge, "BODY_TOO_LARGE", Records());
        Assert.Equal("the request body is larger than 10 MB; send smaller batches", plain);

        // 64 MB of spaces gzip to about 64 KB; the server stops reading at 10 MB decompressed.
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            var spaces = Encoding.ASCII.GetBytes(new string(' ', 1 << 20));
            gzip.Write("{\"events\":"u8);
            for (var i = 0; i < 64; i++)
            {
                gzip.Write(spaces);
            }

            gzip.Write("[{}]}"u8);
        }

        Assert.True(buffer.Length < 1 << 20);
        var bomb = await Refused(Post(InProcessServer.Body(buffer.ToArray(), "application/json", "gzip")), HttpStatusCode.RequestEntityTooLarge, "BODY_TOO_LARGE", Records());
        Assert.Equal("the request body is larger than 10 MB once decompressed; send smaller batches", bomb);
    }

    [Fact]
    public async Task Post_NotGzipThoughItSaysSo_400()
    {
        await EnsureTopic();
        var message = await Refused(Post(InProcessServer.Body(Batch(), "application/json", "gzip")), HttpStatusCode.BadRequest, "INVALID_ENCODING", Records());
        Assert.StartsWith("the body is not valid gzip (Content-Encoding: gzip)", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/plain", null, "the body must be JSON (Content-Type: application/json), not 'text/plain'")]
    [InlineData(null, null, "the body must be JSON (Content-Type: application/json); the request has no Content-Type")]
    [InlineData("application/json", "br", "Content-Encoding 'br' is not supported; send the body as is or gzip'd (Content-Encoding: gzip)")]
    public async Task Post_WrongContentTypeOrEncoding_415(string? contentType, string? encoding, string expected)
    {
        await EnsureTopic();
        var message = await Refused(Post(InProcessServer.Body(Batch(), contentType, encoding)), HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", Records());
        Assert.Equal(expected, message);
    }

    [Fact]
    public async Task Post_WhilePaused_503RetryAfter_NothingAppended_ThenAccepted()
    {
        await EnsureTopic();
        var ops = fixture.Host.Server.Operations;
        ops.SetIngestionPaused(true);
        try
        {
            var before = Records();
            var (status, answer, response) = await PostJson(Batch(msgid: "while-paused"));
            using (response)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
                Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta);
                Assert.Equal("INGESTION_PAUSED", answer.GetProperty("params").GetProperty("err").GetString());
                Assert.Equal(JsonValueKind.Null, answer.GetProperty("params").GetProperty("msgid").ValueKind); // refused before the body is read
                Assert.StartsWith("ingestion is paused", answer.GetProperty("params").GetProperty("errmsg").GetString(), StringComparison.Ordinal);
                Assert.Equal(before, Records());
            }
        }
        finally
        {
            ops.SetIngestionPaused(false);
        }

        var (again, _, r) = await PostJson(Batch(msgid: "after-resume"));
        r.Dispose();
        Assert.Equal(HttpStatusCode.OK, again);
    }

    [Fact]
    public async Task TelemetryTopicAndLimits_AreServerOptions()
    {
        await using var host = await InProcessServer.StartAsync(o => o with { TelemetryTopic = "telemetry.raw", MaxTelemetryEvents = 2 });
        using var http = host.Client();
        using var ok = await http.PostAsync(new Uri("v1/telemetry", UriKind.Relative), InProcessServer.Body(Batch(events: 2), "application/json"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var tooMany = await http.PostAsync(new Uri("v1/telemetry", UriKind.Relative), InProcessServer.Body(Batch(events: 3), "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal(1, host.Server.Operations.Log.DescribeTopic("telemetry.raw").Records);
        Assert.False(host.Server.Operations.Log.HasTopic("ingest"));
    }

    private async Task EnsureTopic()
    {
        if (!Log.HasTopic(Topic))
        {
            var (status, _, response) = await PostJson(Batch(msgid: "first"));
            response.Dispose();
            Assert.Equal(HttpStatusCode.OK, status);
        }
    }
}
