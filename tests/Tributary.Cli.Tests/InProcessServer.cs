using System.Net.Http.Headers;
using System.Text;
using Tributary.Server;

namespace Tributary.Cli.Tests;

/// <summary>
/// The server in this process (<see cref="TributaryServer"/>) on loopback, port 0, with its own data directory: for
/// HTTP tests that set options (limits, tokens, the clock) a <c>serve</c> process cannot be given.
/// </summary>
public sealed class InProcessServer : IAsyncDisposable
{
    private InProcessServer(TributaryServer server, string root)
    {
        Server = server;
        Root = root;
    }

    public TributaryServer Server { get; }

    /// <summary>The directory holding the data directory (and any file a test writes, e.g. a tokens file).</summary>
    public string Root { get; }

    public string DataDirectory => Path.Combine(Root, "data");

    /// <summary>Starts a server; <paramref name="configure"/> adjusts its options, <paramref name="files"/> are written into <see cref="Root"/> first.</summary>
    public static async Task<InProcessServer> StartAsync(Func<ServerOptions, ServerOptions>? configure = null, TimeProvider? time = null, IReadOnlyDictionary<string, string>? files = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "tributary http " + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        foreach (var (name, content) in files ?? new Dictionary<string, string>())
        {
            File.WriteAllText(Path.Combine(root, name), content);
        }

        var options = new ServerOptions(Path.Combine(root, "data"), "http://127.0.0.1:0");
        var server = TributaryServer.Create(configure?.Invoke(options) ?? options, time);
        try
        {
            await server.StartAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return new InProcessServer(server, root);
    }

    /// <summary>A client of the server, sending <paramref name="token"/> as a bearer token when given.</summary>
    public HttpClient Client(string? token = null)
    {
        var http = new HttpClient { BaseAddress = new Uri(Server.Url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(100) };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    /// <summary>A body with a content type (and optional content encoding).</summary>
    public static HttpContent Body(string text, string? contentType, string? encoding = null) => Body(Encoding.UTF8.GetBytes(text), contentType, encoding);

    public static HttpContent Body(byte[] bytes, string? contentType, string? encoding = null)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (encoding is not null)
        {
            content.Headers.ContentEncoding.Add(encoding);
        }

        return content;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
