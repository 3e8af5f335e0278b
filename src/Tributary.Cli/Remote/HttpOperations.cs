using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Tributary.Jobs;
using Tributary.Operations;
using Tributary.Query;
using Tributary.Store;
using Tributary.Store.Ingestion;

namespace Tributary.Cli.Remote;

/// <summary>The operations carried out by a running server through its HTTP API (what the CLI does while <c>serve</c> owns the directory).</summary>
internal sealed class HttpOperations : ITributaryOperations
{
    private readonly HttpClient _http;
    private readonly ServerAnnouncement _server;

    public HttpOperations(ServerAnnouncement server)
    {
        _server = server;
        _http = new HttpClient { BaseAddress = new Uri(server.Url.TrimEnd('/') + "/"), Timeout = Timeout.InfiniteTimeSpan };
    }

    public QueryResult Query(string text, IReadOnlyDictionary<string, object?>? parameters, CancellationToken cancellationToken) =>
        Post<QueryResult>("v1/query", new QueryRequest(text, parameters?.ToDictionary(p => p.Key, p => Convert.ToString(p.Value, CultureInfo.InvariantCulture))), cancellationToken);

    public IngestResult Ingest(string table, string path, IngestFormat? format, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new StoreException($"file not found: {path}");
        }

        var fmt = format ?? FileIngestor.FormatFromExtension(path);
        var query = $"v1/tables/{Uri.EscapeDataString(table)}/ingest?format={FormatName(fmt)}&file={Uri.EscapeDataString(Path.GetFileName(path))}" +
                    string.Concat(tags.Select(t => "&tags=" + Uri.EscapeDataString(t)));
        using var stream = File.OpenRead(path);
        using var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return Send<IngestResult>(HttpMethod.Post, query, content, cancellationToken);
    }

    public ApplyResult Apply(string file, string yaml, bool dryRun) => Post<ApplyResult>("v1/apply", new ApplyRequest(file, yaml, dryRun));

    public RunReport RunJobs(DateTime until, IProgress<RunProgress>? progress, CancellationToken cancellationToken) =>
        Post<RunReport>("v1/jobs/run", new RunJobsRequest(until), cancellationToken);

    public IReadOnlyList<JobStatus> ListJobs(DateTime? asOf) => Send<List<JobStatus>>(HttpMethod.Get, "v1/jobs" + AsOf(asOf, "?"), null, CancellationToken.None);

    public JobHistory ShowJob(string name, int last, DateTime? asOf) =>
        Send<JobHistory>(HttpMethod.Get, $"v1/jobs/{Uri.EscapeDataString(name)}?last={last}" + AsOf(asOf, "&"), null, CancellationToken.None);

    private static string AsOf(DateTime? asOf, string separator) =>
        asOf is { } t ? $"{separator}asOf={Uri.EscapeDataString(t.ToString(WireJson.DateTimeFormat, CultureInfo.InvariantCulture))}" : "";

    public OperationResult Rerun(string name, DateTime from, DateTime to, bool failedOnly) => Post<OperationResult>(Job(name, "rerun"), new RangeRequest(from, to, failedOnly));

    public OperationResult Backfill(string name, DateTime from, DateTime to) => Post<OperationResult>(Job(name, "backfill"), new RangeRequest(from, to));

    public OperationResult SetPaused(string name, bool paused) => Post<OperationResult>(Job(name, paused ? "pause" : "resume"), new { });

    public OperationResult SetJob(string name, JobSettings settings) =>
        Post<OperationResult>(Job(name, "set"), new SetJobRequest(settings.MaxParallelism, settings.Timeout, settings.Attempts, settings.Delay, settings.RowLimit, settings.Enabled, settings.Batch));

    public OperationResult Kill(string name, DateTime? window) => Post<OperationResult>(Job(name, "kill"), new KillRequest(window));

    public OperationResult MarkSucceeded(string name, DateTime window) => Post<OperationResult>(Job(name, "windows/mark-succeeded"), new WindowRequest(window));

    public OperationResult Clear(string name, DateTime window, bool downstream) => Post<OperationResult>(Job(name, "windows/clear"), new WindowRequest(window, Downstream: downstream));

    public OperationResult Retract(string name, DateTime window, bool cascade) => Post<OperationResult>(Job(name, "windows/retract"), new WindowRequest(window, Cascade: cascade));

    public RunView StartRun(IReadOnlyList<string> jobs, DateTime window, string? transactionId) => Post<RunView>("v1/runs", new RunRequest([.. jobs], window, transactionId));

    public RunView ShowRun(string transactionId) => Send<RunView>(HttpMethod.Get, $"v1/runs/{Uri.EscapeDataString(transactionId)}", null, CancellationToken.None);

    public RunView RerunRun(string transactionId) => Post<RunView>($"v1/runs/{Uri.EscapeDataString(transactionId)}/rerun", new { });

    public OperationResult RetractRun(string transactionId, IReadOnlyList<string>? jobs) =>
        Post<OperationResult>($"v1/runs/{Uri.EscapeDataString(transactionId)}/retract", new RetractRunRequest(jobs?.ToArray()));

    public void Dispose() => _http.Dispose();

    private static string Job(string name, string action) => $"v1/jobs/{Uri.EscapeDataString(name)}/{action}";

    private static string FormatName(IngestFormat format) => format switch
    {
        IngestFormat.Csv => "csv",
        IngestFormat.JsonLines => "jsonl",
        IngestFormat.Json => "json",
        _ => "parquet",
    };

    private T Post<T>(string path, object body, CancellationToken cancellationToken = default) =>
        Send<T>(HttpMethod.Post, path, JsonContent.Create(body, body.GetType(), options: WireJson.Options), cancellationToken);

    private T Send<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = _http.Send(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw Vanished(e);
        }
        catch (IOException e)
        {
            throw Vanished(e);
        }

        using (response)
        {
            string text;
            try
            {
                text = response.Content.ReadAsStringAsync(cancellationToken).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                throw Vanished(e);
            }

            if (!response.IsSuccessStatusCode)
            {
                string message;
                try
                {
                    message = JsonSerializer.Deserialize<ErrorResponse>(text, WireJson.Options)?.Error ?? text;
                }
                catch (JsonException)
                {
                    message = $"the server answered {(int)response.StatusCode} {response.ReasonPhrase}";
                }

                throw new OperationException(message) { Status = (int)response.StatusCode };
            }

            try
            {
                return JsonSerializer.Deserialize<T>(text, WireJson.Options) ?? throw new OperationException($"the server at {_server.Url} sent an empty answer");
            }
            catch (JsonException e)
            {
                throw new OperationException($"the server at {_server.Url} sent an answer this CLI cannot read ({e.Message}); are the CLI and server the same version?", e);
            }
        }
    }

    private OperationException Vanished(Exception e) =>
        new($"the server at {_server.Url} (pid {_server.ProcessId}) stopped answering during the command ({e.Message.TrimEnd('.')}); " +
            "the command may or may not have been carried out: check with 'jobs list' or a query once the server is back (without a server, the CLI works on the directory itself)", e)
        { Status = 0 };

    /// <summary>True when the server answers its liveness probe within a few seconds.</summary>
    public bool IsAlive()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var response = _http.Send(new HttpRequestMessage(HttpMethod.Get, "healthz"), cts.Token);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}
