using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tributary.Operations;
using Tributary.Store;

namespace Tributary.Server;

/// <summary>How <c>tributary serve</c> starts.</summary>
/// <param name="DataDirectory">The data directory the server owns while it runs.</param>
/// <param name="Urls">Where it listens (default loopback port 8080; port 0 picks a free one).</param>
public sealed record ServerOptions(string DataDirectory, string Urls = ServerOptions.DefaultUrls)
{
    /// <summary>Loopback only, port 8080.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";
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

    private TributaryServer(WebApplication app, LocalOperations operations)
    {
        _app = app;
        _operations = operations;
    }

    /// <summary>The address it listens on (known after <see cref="StartAsync"/>).</summary>
    public string Url { get; private set; } = "";

    /// <summary>The operations the API carries out.</summary>
    public LocalOperations Operations => _operations;

    /// <summary>Opens the data directory (refused when another process owns it) and builds the host.</summary>
    public static TributaryServer Create(ServerOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);

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
            builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = ApiEndpoints.MaxBodyBytes);
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
            builder.Services.AddHostedService<SchedulerService>();
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
            var app = builder.Build();
            ApiEndpoints.Map(app);
            app.MapOpenApi("/openapi/v1.json");
            return new TributaryServer(app, operations);
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
