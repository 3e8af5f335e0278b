using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tributary.Operations;
using Tributary.Server.Security;
using Tributary.Store;
using Tributary.Streams.Ingest;

namespace Tributary.Server;

/// <summary>How <c>tributary serve</c> starts.</summary>
/// <param name="DataDirectory">The data directory the server owns while it runs.</param>
/// <param name="Urls">Where it listens (default loopback port 8080; port 0 picks a free one; several separated by ';').</param>
public sealed record ServerOptions(string DataDirectory, string Urls = ServerOptions.DefaultUrls)
{
    /// <summary>Loopback only, port 8080.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>The API tokens file; null: <c>DATA/tokens.yaml</c> if present, else no tokens (loopback only).</summary>
    public string? TokensFile { get; init; }

    /// <summary>The topic <c>POST /v1/telemetry</c> appends to (created with 4 partitions and 14 days' retention on first use).</summary>
    public string TelemetryTopic { get; init; } = "ingest";

    /// <summary>The largest telemetry body, counted after gzip decoding (10 MB).</summary>
    public int MaxTelemetryBodyBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>The most events a telemetry batch may carry (1,000).</summary>
    public int MaxTelemetryEvents { get; init; } = TelemetryLimits.DefaultMaxEvents;

    /// <summary>The largest event of a telemetry batch, as sent (1 MB).</summary>
    public int MaxTelemetryEventBytes { get; init; } = TelemetryLimits.DefaultMaxEventBytes;

    /// <summary>The largest producer body (<c>POST /v1/topics/{t}/records</c>), counted after gzip decoding (10 MB).</summary>
    public int MaxProduceBodyBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>The most records one producer request may carry (10,000).</summary>
    public int MaxProduceRecords { get; init; } = RecordLines.DefaultMaxRecords;

    /// <summary>The largest record (line) of a producer request (1 MB).</summary>
    public int MaxProduceRecordBytes { get; init; } = RecordLines.DefaultMaxRecordBytes;

    /// <summary>What a refusal while ingestion is paused tells clients to wait (Retry-After, 30 s).</summary>
    public TimeSpan IngestionRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the server drops records past their topic's retention (1 minute).</summary>
    public TimeSpan RetentionInterval { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// The long-running process that owns a data directory: the job scheduler and the HTTP API the CLI
/// uses while it runs. Announces its address in the data directory (<see cref="ServerAnnouncement"/>).
/// </summary>
public sealed class TributaryServer : IAsyncDisposable
{
    /// <summary>The thread pool's minimum while a server runs: room for many jobs' attempts and the requests beside them.</summary>
    private const int MinWorkerThreads = 256;

    private readonly WebApplication _app;
    private readonly LocalOperations _operations;

    private TributaryServer(WebApplication app, LocalOperations operations, ApiTokens tokens)
    {
        _app = app;
        _operations = operations;
        Tokens = tokens;
    }

    /// <summary>The API tokens the server accepts (none: authentication off, loopback only).</summary>
    public ApiTokens Tokens { get; }

    /// <summary>Every endpoint the server maps (for checks that each declares its role).</summary>
    internal IReadOnlyList<Endpoint> Endpoints => ((IEndpointRouteBuilder)_app).DataSources.SelectMany(d => d.Endpoints).ToList();

    /// <summary>The address it listens on (known after <see cref="StartAsync"/>).</summary>
    public string Url { get; private set; } = "";

    /// <summary>The operations the API carries out.</summary>
    public LocalOperations Operations => _operations;

    /// <summary>Opens the data directory (refused when another process owns it) and builds the host.</summary>
    /// <exception cref="ServerConfigurationException">The tokens file is bad, or a non-loopback address is asked for without tokens.</exception>
    public static TributaryServer Create(ServerOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tokens = LoadTokens(options);
        var exposed = options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(u => !IsLoopback(u)).ToList();
        if (!tokens.Enabled && exposed.Count > 0)
        {
            throw new ServerConfigurationException(
                $"refusing to listen on {string.Join(", ", exposed)} without API tokens: anyone who can reach it could read and change everything. " +
                $"Give a tokens file (--tokens FILE, or {ApiTokens.DefaultFileName} in the data directory), or listen on loopback (e.g. {ServerOptions.DefaultUrls})");
        }

        // Job attempts run their (synchronous) queries on pool threads, up to every job's max parallelism at once. With the
        // pool's default minimum (one thread a core) the requests queue behind them and /healthz takes seconds to answer,
        // so the CLI takes the server for dead. Let the pool grow to that at once.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, MinWorkerThreads), completionPorts);
        var operations = new LocalOperations(TributaryStore.Open(options.DataDirectory, time), time, ownsStore: true, user: "api");
        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls(options.Urls);
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Limits.MaxRequestBodySize = ApiEndpoints.MaxBodyBytes;

                // A consumer of a topic with hundreds of partitions names each with its offset in the query string.
                k.Limits.MaxRequestLineSize = 64 * 1024;
            });
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.Configure<JsonOptions>(o =>
            {
                foreach (var c in WireJson.Options.Converters)
                {
                    o.SerializerOptions.Converters.Add(c);
                }
            });
            builder.Services.AddOpenApi();
            builder.Services.AddSingleton(operations);
            builder.Services.AddSingleton(options);
            builder.Services.AddSingleton(tokens);
            builder.Services.AddHostedService<SchedulerService>();
            builder.Services.AddHostedService<LogRetentionService>();
            builder.Services.AddHostedService<ProcessorService>();
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
            var app = builder.Build();
            ApiEndpoints.Map(app, tokens, options);
            app.MapOpenApi("/openapi/v1.json").RequireRole(ApiRole.Read);

            // The server owns the log while it runs (the store's lock keeps every other process out of the directory).
            _ = operations.Log;
            return new TributaryServer(app, operations, tokens);
        }
        catch
        {
            operations.Dispose();
            throw;
        }
    }

    /// <summary>Starts listening and announces the address in the data directory.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        Url = _app.Urls.First();
        new ServerAnnouncement(Url, Environment.ProcessId, DateTime.UtcNow).Write(_operations.Store.DataDirectory);
    }

    private static ApiTokens LoadTokens(ServerOptions options)
    {
        if (options.TokensFile is { } file)
        {
            return ApiTokens.Load(file);
        }

        var inData = Path.Combine(options.DataDirectory, ApiTokens.DefaultFileName);
        return File.Exists(inData) ? ApiTokens.Load(inData) : ApiTokens.None;
    }

    /// <summary>True when the address is a loopback one (what the server binds to unless told otherwise).</summary>
    public static bool IsLoopback(string url)
    {
        var host = new Uri(url.Replace("*", "0.0.0.0", StringComparison.Ordinal).Replace("+", "0.0.0.0", StringComparison.Ordinal)).Host;
        return host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>Stops: no new work, running attempts cancelled (recorded Cancelled), the store closed, the announcement removed.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            ServerAnnouncement.Remove(_operations.Store.DataDirectory, Environment.ProcessId);
            _operations.Dispose();
        }
    }
}
