using System.Diagnostics;
using System.Net;
using System.Text;
using Tributary.Operations;

namespace Tributary.Cli.Tests;

/// <summary>
/// <c>tributary serve</c> as a real process: <c>dotnet Tributary.Cli.dll --data DIR serve --urls http://127.0.0.1:0</c>,
/// ready once it has announced itself in <c>DIR/server.json</c> and answers <c>GET /healthz</c>. Disposal always stops it
/// (SIGTERM, then SIGKILL if it does not exit).
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();

    private ServerProcess(Process process, string dataDirectory)
    {
        _process = process;
        DataDirectory = dataDirectory;
        Pid = process.Id;
    }

    /// <summary>The data directory the server owns.</summary>
    public string DataDirectory { get; }

    /// <summary>Where it listens, as it announced (e.g. http://127.0.0.1:40123).</summary>
    public string Url { get; private set; } = "";

    /// <summary>Its process id (the dotnet host runs the CLI in its own process).</summary>
    public int Pid { get; }

    /// <summary>DIR/server.json.</summary>
    public string AnnouncementPath => Path.Combine(DataDirectory, ServerAnnouncement.FileName);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <c>serve</c> on <paramref name="dataDirectory"/> (with <paramref name="serveArgs"/> after <c>serve</c>) and waits until it answers.</summary>
    public static ServerProcess Start(string dataDirectory, string workingDirectory, params string[] serveArgs)
    {
        var start = new ProcessStartInfo(CliProcess.DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in new[] { CliProcess.CliDll, "--data", dataDirectory, "serve", "--urls", "http://127.0.0.1:0" }.Concat(serveArgs))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("TRIBUTARY_DATA");
        start.Environment.Remove("TRIBUTARY_TOKEN");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        var process = Process.Start(start) ?? throw new InvalidOperationException("the server did not start");
        var server = new ServerProcess(process, Path.GetFullPath(dataDirectory));
        process.OutputDataReceived += (_, e) => server.Append(server._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(server._stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        try
        {
            server.WaitUntilReady();
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    /// <summary>An HTTP client for the server's API.</summary>
    public HttpClient CreateClient(TimeSpan? timeout = null) =>
        new() { BaseAddress = new Uri(Url.TrimEnd('/') + "/"), Timeout = timeout ?? TimeSpan.FromSeconds(100) };

    /// <summary>SIGTERM (<c>kill -s TERM</c>), then waits for the process to exit; returns its exit code.</summary>
    public int StopGracefully(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            Signal("TERM");
        }

        var wait = timeout ?? TimeSpan.FromSeconds(60);
        if (!_process.WaitForExit(wait))
        {
            throw new TimeoutException($"the server (pid {Pid}) did not stop within {wait.TotalSeconds:N0} s of SIGTERM\n{Describe()}");
        }

        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    /// <summary>SIGKILL (<c>kill -s KILL</c>): the process dies at once, leaving whatever it had on disk; waits for (and reaps) it.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            Signal("KILL");
        }

        if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                try
                {
                    StopGracefully(TimeSpan.FromSeconds(20));
                }
                catch (TimeoutException)
                {
                    Kill();
                }
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>True when a client holds an established TCP connection to the server (Linux: /proc/net/tcp).</summary>
    public bool HasClientConnection()
    {
        var port = new Uri(Url).Port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            // "sl local_address rem_address st …": a client's end has the server's port as its remote one; 01 is ESTABLISHED.
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 3 && fields[2].EndsWith(":" + port, StringComparison.Ordinal) && fields[3] == "01")
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>What the server printed, for failure messages.</summary>
    public string Describe() => $"server pid {Pid} at {Url}\n--- server stdout ---\n{Clip(Stdout)}\n--- server stderr ---\n{Clip(Stderr)}";

    private static string Clip(string text) => text.Length <= 4000 ? text : text[..4000] + $"… ({text.Length:N0} chars)";

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            target.Append(line).Append('\n');
        }
    }

    private void Signal(string signal)
    {
        var start = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add("-s");
        start.ArgumentList.Add(signal);
        start.ArgumentList.Add(Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var kill = Process.Start(start) ?? throw new InvalidOperationException("kill did not start");
        kill.StandardError.ReadToEnd();
        kill.WaitForExit();
    }

    private void WaitUntilReady()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < ReadyTimeout)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit();
                throw new InvalidOperationException($"the server exited with code {_process.ExitCode} before it was ready\n{Describe()}");
            }

            // A stale server.json of an earlier (killed) server may be there: wait for this process's own.
            if (ServerAnnouncement.TryRead(DataDirectory) is { } announced && announced.ProcessId == Pid)
            {
                try
                {
                    using var response = http.GetAsync(new Uri(announced.Url.TrimEnd('/') + "/healthz")).GetAwaiter().GetResult();
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Url = announced.Url;
                        return;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // Not listening yet.
                }
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException($"the server was not ready within {ReadyTimeout.TotalSeconds:N0} s\n{Describe()}");
    }
}
