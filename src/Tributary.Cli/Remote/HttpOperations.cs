using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Tributary.Jobs;
using Tributary.Operations;
using Tributary.Streams.Processors;
using Tributary.Query;
using Tributary.Store;
using Tributary.Store.Ingestion;
using Tributary.Streams;
using Tributary.Streams.Ingest;

namespace Tributary.Cli.Remote;

/// <summary>
/// The operations carried out by a running server through its HTTP API (what the CLI does while <c>serve</c> owns the
/// directory), sending the API token, when given, as <c>Authorization: Bearer</c>.
/// </summary>
internal sealed class HttpOperations : ITributaryOperations
{
    /// <summary>Records a produce request carries at most (the server's default limit is 10,000).</summary>
    internal const int ProduceChunkRecords = 1000;

    /// <summary>Bytes a produce request carries at most, about (the server's default limit is 10 MB).</summary>
    internal const int ProduceChunkBytes = 4 * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly ServerAnnouncement _server;

    public HttpOperations(ServerAnnouncement server, string? token = null)
    {
        _server = server;
        _http = new HttpClient { BaseAddress = new Uri(server.Url.TrimEnd('/') + "/"), Timeout = Timeout.InfiniteTimeSpan };
        if (!string.IsNullOrEmpty(token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
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

    public TopicInfo CreateTopic(string name, TopicSettings settings) =>
        Post<TopicInfo>("v1/topics", new CreateTopicRequest(name, settings.Partitions, StreamUnits.FormatRetention(settings.RetentionAge), settings.RetentionBytes));

    public IReadOnlyList<TopicInfo> ListTopics() => Send<List<TopicInfo>>(HttpMethod.Get, "v1/topics", null, CancellationToken.None);

    public TopicInfo DescribeTopic(string name) => Send<TopicInfo>(HttpMethod.Get, Topic(name), null, CancellationToken.None);

    public TopicInfo DeleteTopic(string name) => Send<TopicInfo>(HttpMethod.Delete, Topic(name), null, CancellationToken.None);

    /// <summary>
    /// Sends the records in requests of at most <see cref="ProduceChunkRecords"/> records and about
    /// <see cref="ProduceChunkBytes"/> bytes, each appended all or nothing; a refusal part-way says how many went in.
    /// </summary>
    public ProduceResult Produce(string topic, RecordLines records, CancellationToken cancellationToken)
    {
        var result = new ProduceResult(topic, 0, []);
        var path = Topic(topic) + "/records" + (records.KeyField is { } k ? "?keyField=" + Uri.EscapeDataString(k) : "");
        var contentType = records.Format == LineFormat.Json ? "application/x-ndjson" : "text/plain";
        var chunk = new List<RecordLine>();
        long bytes = 0;

        void Flush()
        {
            if (chunk.Count == 0)
            {
                return;
            }

            var content = new ByteArrayContent(RecordLines.Join(chunk));
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType) { CharSet = "utf-8" };
            try
            {
                result = result.Merge(Send<ProduceResult>(HttpMethod.Post, path, content, cancellationToken));
            }
            catch (OperationException e) when (result.Records > 0)
            {
                throw new OperationException($"{e.Message} (lines {chunk[0].Line} to {chunk[^1].Line}; the {result.Records:N0} records before line {chunk[0].Line} were appended)", e) { Status = e.Status };
            }

            chunk.Clear();
            bytes = 0;
        }

        foreach (var record in records.Records)
        {
            if (chunk.Count >= ProduceChunkRecords || (chunk.Count > 0 && bytes + record.Value.Length + 1 > ProduceChunkBytes))
            {
                Flush();
            }

            chunk.Add(record);
            bytes += record.Value.Length + 1;
        }

        Flush();
        if (records.Records.Count == 0)
        {
            // Nothing to send (the API refuses an empty body): only check the topic, as the log does.
            _ = DescribeTopic(topic);
        }

        return result;
    }

    public RecordsPage ReadRecords(string topic, IReadOnlyList<PartitionOffset> from, int max, TimeSpan wait, CancellationToken cancellationToken)
    {
        var query = string.Concat(from.Select(p => $"partition={p.Partition}&offset={p.Offset}&"));
        return Send<RecordsPage>(HttpMethod.Get, $"{Topic(topic)}/records?{query}max={max}&wait={(long)wait.TotalMilliseconds}ms", null, cancellationToken);
    }

    public IReadOnlyList<GroupSummary> ListGroups() => Send<List<GroupSummary>>(HttpMethod.Get, "v1/groups", null, CancellationToken.None);

    public IReadOnlyList<PartitionLag> DescribeGroup(string group, string? topic) =>
        Send<List<PartitionLag>>(HttpMethod.Get, Group(group) + (topic is null ? "" : "?topic=" + Uri.EscapeDataString(topic)), null, CancellationToken.None);

    public IReadOnlyList<PartitionLag> CommitOffsets(string group, string topic, IReadOnlyDictionary<int, long> offsets) =>
        Post<List<PartitionLag>>(Group(group) + "/offsets", new CommitOffsetsRequest(topic, offsets.ToDictionary(p => p.Key, p => p.Value)));

    public IReadOnlyList<OffsetMove> ResetOffsets(string group, string topic, OffsetReset reset, bool dryRun) =>
        Post<List<OffsetMove>>(Group(group) + "/reset-offsets", new ResetOffsetsRequest(topic, reset, dryRun));

    public IReadOnlyList<ProcessorStatus> ListProcessors() => Send<List<ProcessorStatus>>(HttpMethod.Get, "v1/processors", null, CancellationToken.None);

    public ProcessorStatus SetProcessorPaused(string name, bool paused) =>
        Post<ProcessorStatus>($"v1/processors/{Uri.EscapeDataString(name)}/{(paused ? "pause" : "resume")}", new { });

    public ProcessorsRunResult RunProcessors(TimeSpan wait, CancellationToken cancellationToken) =>
        Post<ProcessorsRunResult>("v1/processors/run", new RunProcessorsRequest(wait.TotalSeconds), cancellationToken);

    public ReplayResult ReplayBackups(string topic, DateTime from, DateTime to, string? into, CancellationToken cancellationToken) =>
        Post<ReplayResult>("v1/backups/replay", new ReplayBackupsRequest(topic, from, to, into), cancellationToken);

    public IngestionStatus GetIngestion() => Send<IngestionStatus>(HttpMethod.Get, "v1/ingestion", null, CancellationToken.None);

    public IngestionStatus SetIngestionPaused(bool paused) => Post<IngestionStatus>(paused ? "v1/ingestion/pause" : "v1/ingestion/resume", new { });

    public void Dispose() => _http.Dispose();

    private static string Topic(string name) => $"v1/topics/{Uri.EscapeDataString(name)}";

    private static string Group(string name) => $"v1/groups/{Uri.EscapeDataString(name)}";

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
