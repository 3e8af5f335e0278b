using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using static Tributary.Cli.Tests.CliAssert;

namespace Tributary.Cli.Tests;

/// <summary>One server, with a table T of two rows, for <see cref="ServerHttpApiTests"/>.</summary>
public sealed class HttpServerFixture : IDisposable
{
    public HttpServerFixture()
    {
        Ok(Cli.Run("query", ".create table T (a:string, n:long)"));
        Ok(Cli.Run("ingest", "T", Cli.WriteFile("t.csv", "a,n\nx,1\ny,2\n")));
        Server = ServerProcess.Start(Cli.DataDirectory, Cli.Root);
    }

    public CliProcess Cli { get; } = new();

    public ServerProcess Server { get; }

    public void Dispose()
    {
        Server.Dispose();
        Cli.Dispose();
    }
}

/// <summary>
/// The HTTP API given bad input by a direct client: every mistake answers a 4xx with a JSON <c>{"error": …}</c> that says
/// what is wrong, never a stack trace, and changes nothing.
/// </summary>
public sealed class ServerHttpApiTests(HttpServerFixture fixture) : IClassFixture<HttpServerFixture>, IDisposable
{
    private const int JsonLimit = 8 * 1024 * 1024;
    private readonly HttpClient _http = fixture.Server.CreateClient();

    public void Dispose() => _http.Dispose();

    [Theory]
    [InlineData("healthz", "ok")]
    [InlineData("readyz", "ready")]
    public async Task Probe_Answers200(string path, string body)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApi_IsJsonListingTheEndpoints()
    {
        using var response = await _http.GetAsync(new Uri("openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = doc.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/v1/query", paths);
        Assert.Contains("/v1/tables/{table}/ingest", paths);
        Assert.Contains("/v1/jobs/run", paths);
        Assert.Contains("/healthz", paths);
    }

    [Fact]
    public async Task Query_Answers200WithColumnsAndRows()
    {
        using var response = await Post("v1/query", """{"query": "T | summarize s = sum(n)"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("s", doc.RootElement.GetProperty("columns")[0].GetProperty("name").GetString());
        Assert.Equal(3, doc.RootElement.GetProperty("rows")[0][0].GetInt64());
    }

    [Fact]
    public async Task Query_MalformedJson_400()
    {
        var error = await Error(Post("v1/query", """{"query": "T | count" """), HttpStatusCode.BadRequest);
        Assert.StartsWith("malformed JSON at line 1", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_NotAnObject_400()
    {
        await Error(Post("v1/query", "null"), HttpStatusCode.BadRequest);
        await Error(Post("v1/query", """{"query": 5}"""), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task JobsRun_WrongContentType_400()
    {
        var error = await Error(Post("v1/jobs/run", "<until>2023-05-22T06:10:00Z</until>", "application/xml"), HttpStatusCode.BadRequest);
        Assert.Contains("must be JSON", error, StringComparison.Ordinal);
        Assert.Contains("application/xml", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsRun_MissingUntil_400NamesTheField()
    {
        var error = await Error(Post("v1/jobs/run", "{}"), HttpStatusCode.BadRequest);
        Assert.Equal("the JSON body needs 'until'", error);
        var rerun = await Error(Post("v1/jobs/T/rerun", """{"to": "2023-05-22T06:00:00Z"}"""), HttpStatusCode.BadRequest);
        Assert.Equal("the JSON body needs 'from'", rerun);
    }

    [Fact]
    public async Task JobsRun_NotATime_400()
    {
        var error = await Error(Post("v1/jobs/run", """{"until": "yesterday"}"""), HttpStatusCode.BadRequest);
        Assert.Contains("yesterday", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobs_UnknownJob_404()
    {
        var show = await Error(Get("v1/jobs/NoSuchJob"), HttpStatusCode.NotFound);
        Assert.StartsWith("unknown job 'NoSuchJob'", show, StringComparison.Ordinal);
        await Error(Post("v1/jobs/NoSuchJob/pause", "{}"), HttpStatusCode.NotFound);
        await Error(Post("v1/jobs/NoSuchJob/rerun", """{"from": "2023-05-22T00:00:00Z", "to": "2023-05-22T06:00:00Z"}"""), HttpStatusCode.NotFound);
        var run = await Error(Get("v1/runs/no-such-run"), HttpStatusCode.NotFound);
        Assert.Equal("no run has transaction id 'no-such-run'", run);
    }

    [Fact]
    public async Task Query_KqlError_400WithLineAndColumn()
    {
        var error = await Error(Post("v1/query", """{"query": "T\n| where nn == 1"}"""), HttpStatusCode.BadRequest);
        Assert.Contains("unknown column 'nn'", error, StringComparison.Ordinal);
        Assert.EndsWith("(at 2:9)", error, StringComparison.Ordinal);
        var text = await Error(Post("v1/query", "T | where a == \"open", "text/plain"), HttpStatusCode.BadRequest);
        Assert.Contains("(at 1:16)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_EmptyBody_400()
    {
        var error = await Error(Post("v1/tables/T/ingest?format=csv", "", "text/csv"), HttpStatusCode.BadRequest);
        Assert.Contains("the request body is empty", error, StringComparison.Ordinal);
        await AssertTableUnchanged();
    }

    [Fact]
    public async Task Ingest_UnknownFormat_400()
    {
        var error = await Error(Post("v1/tables/T/ingest?format=xml", "a,n\nz,3\n", "application/octet-stream"), HttpStatusCode.BadRequest);
        Assert.Equal("unknown format 'xml' (expected csv, jsonl, json or parquet)", error);
        var unsaid = await Error(Post("v1/tables/T/ingest", "a,n\nz,3\n", "application/octet-stream"), HttpStatusCode.BadRequest);
        Assert.Contains("say the body's format", unsaid, StringComparison.Ordinal);
        await AssertTableUnchanged();
    }

    [Fact]
    public async Task Ingest_MissingTable_400()
    {
        var error = await Error(Post("v1/tables/Nope/ingest?format=csv", "a,n\nz,3\n", "text/csv"), HttpStatusCode.BadRequest);
        Assert.StartsWith("table 'Nope' does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_CsvWithABadRow_400AndNothingLoaded()
    {
        var error = await Error(Post("v1/tables/T/ingest?format=csv", "a,n\nz,3\nw,4\nv,notanumber\nu,6\n", "text/csv"), HttpStatusCode.BadRequest);
        Assert.Contains("line 4, column 'n': 'notanumber' is not a long", error, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetTempPath(), error, StringComparison.Ordinal);
        Assert.DoesNotContain("tributary-ingest-", error, StringComparison.Ordinal);
        var named = await Error(Post("v1/tables/T/ingest?format=csv&file=../../etc/rows.csv", "a,n\nv,notanumber\n", "text/csv"), HttpStatusCode.BadRequest);
        Assert.StartsWith("rows.csv: line 2", named, StringComparison.Ordinal);
        await AssertTableUnchanged();
    }

    [Fact]
    public async Task Apply_InvalidYaml_400WithLineAndColumnAndNothingChanged()
    {
        var before = await Tables();
        var yaml = "tables:\n  A: { x: long }\n  B: { y: long\n";
        var error = await Error(Post("v1/apply", JsonSerializer.Serialize(new { file = "p.yaml", yaml })), HttpStatusCode.BadRequest);
        Assert.Matches(@"^p\.yaml:\d+:\d+: not valid YAML", error);
        var unknownTable = await Error(Post("v1/apply", JsonSerializer.Serialize(new { file = "q.yaml", yaml = "tables:\n  A: { x: long }\njobs:\n  J:\n    query: Missing | where x > 0\n    target: A\n    window: 1h\n    start: 2024-01-01T00:00:00Z\n" })), HttpStatusCode.BadRequest);
        Assert.Matches(@"^q\.yaml:5:\d+: .*Missing", unknownTable);
        Assert.Equal(before, await Tables());
    }

    [Fact]
    public async Task Query_JsonBodyOverTheLimit_413()
    {
        var big = JsonSerializer.Serialize(new { query = "T | where a == '" + new string('x', JsonLimit) + "' | count" });
        var said = await Error(Post("v1/query", big), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("the JSON body is larger than 8 MB", said);

        // Sent chunked, without a length up front, it is refused all the same.
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/query") { Content = new StringContent(big, Encoding.UTF8, "application/json") };
        request.Headers.TransferEncodingChunked = true;
        await Error(_http.SendAsync(request), HttpStatusCode.RequestEntityTooLarge);

        var text = await Error(Post("v1/query", "T | where a == '" + new string('x', JsonLimit) + "' | count", "text/plain"), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("the query body is larger than 8 MB", text);
    }

    private Task<HttpResponseMessage> Get(string path) => _http.GetAsync(new Uri(path, UriKind.Relative));

    private async Task<HttpResponseMessage> Post(string path, string body, string contentType = "application/json")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await _http.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    /// <summary>The answer is the status and a JSON object with just "error", which reads as a sentence, not a trace.</summary>
    private static async Task<string> Error(Task<HttpResponseMessage> answer, HttpStatusCode status)
    {
        using (var response = await answer)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
            using var doc = JsonDocument.Parse(text);
            var error = Assert.Single(doc.RootElement.EnumerateObject());
            Assert.Equal("error", error.Name);
            var message = error.Value.GetString()!;
            Assert.False(string.IsNullOrWhiteSpace(message));
            Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
            return message;
        }
    }

    private async Task AssertTableUnchanged()
    {
        using var response = await Post("v1/query", """{"query": "T | summarize n = count(), s = sum(n)"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var row = doc.RootElement.GetProperty("rows")[0];
        Assert.Equal((2L, 3L), (row[0].GetInt64(), row[1].GetInt64()));
        var extents = fixture.Cli.Run("query", ".show table T extents | count", "--format", "csv");
        Assert.Equal("Count\r\n1\r\n", Ok(extents).Stdout);
    }

    private async Task<string> Tables()
    {
        using var response = await Post("v1/query", """{"query": ".show tables"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
