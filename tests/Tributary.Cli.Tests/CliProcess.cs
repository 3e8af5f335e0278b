using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Tributary.Cli.Tests;

/// <summary>What one run of the CLI did.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:N1} s\n--- stdout ---\n{Clip(Stdout)}\n--- stderr ---\n{Clip(Stderr)}";

    private static string Clip(string text) => text.Length <= 4000 ? text : text[..4000] + $"… ({text.Length:N0} chars)";
}

/// <summary>
/// Runs the built CLI as a user does: <c>dotnet Tributary.Cli.dll --data DIR …</c> in a child process,
/// in a temp directory (with a space in its name) that is deleted afterwards.
/// </summary>
public sealed class CliProcess : IDisposable
{
    private static readonly Lazy<string> Dll = new(FindDll);

    public CliProcess()
    {
        Root = Path.Combine(Path.GetTempPath(), "tributary e2e " + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
        DataDirectory = Path.Combine(Root, "data");
    }

    /// <summary>The working directory of every run; test files go here.</summary>
    public string Root { get; }

    /// <summary>What every run passes as <c>--data</c> (not created until the CLI creates it).</summary>
    public string DataDirectory { get; }

    /// <summary>Environment variables every run gets (e.g. TRIBUTARY_TOKEN); TRIBUTARY_DATA and TRIBUTARY_TOKEN are otherwise unset.</summary>
    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    /// <summary>The CLI's entry assembly as the build placed it beside the tests.</summary>
    public static string CliDll => Dll.Value;

    /// <summary>Runs <c>dotnet Tributary.Cli.dll --data DataDirectory args…</c>.</summary>
    public CliResult Run(params string[] args) => RunWithInput(null, args);

    /// <summary>Runs the CLI with <paramref name="stdin"/> as its standard input (closed after).</summary>
    public CliResult RunWithInput(string? stdin, params string[] args) => Execute(stdin, TimeSpan.FromMinutes(3), ["--data", DataDirectory, .. args]);

    /// <summary>Runs the CLI without adding <c>--data</c>.</summary>
    public CliResult RunRaw(TimeSpan timeout, params string[] args) => Execute(null, timeout, args);

    /// <summary>Writes a file into <see cref="Root"/> and returns its full path.</summary>
    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private CliResult Execute(string? stdin, TimeSpan timeout, string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(CliDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("TRIBUTARY_DATA");
        start.Environment.Remove("TRIBUTARY_TOKEN");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in Variables)
        {
            start.Environment[name] = value;
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("the CLI did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
            {
                process.StandardInput.Write(stdin);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The CLI exited without reading all its input; its exit code tells why.
        }

        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"tributary {string.Join(' ', args.Select(a => a.Length > 80 ? a[..80] + "…" : a))} did not finish in {timeout.TotalSeconds:N0} s");
        }

        process.WaitForExit();
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result, watch.Elapsed);
    }

    /// <summary>The dotnet host running these tests (dotnet test sets DOTNET_HOST_PATH), else dotnet from the PATH.</summary>
    internal static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    /// <summary>
    /// The project reference copies the CLI (with its deps.json and runtimeconfig.json) into the test
    /// output; failing that, the CLI project's own output for the same configuration.
    /// </summary>
    private static string FindDll()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "Tributary.Cli.dll");
        if (File.Exists(beside) && File.Exists(Path.ChangeExtension(beside, ".runtimeconfig.json")))
        {
            return beside;
        }

        var configuration = typeof(CliProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Tributary.Cli", "bin", configuration, "net10.0", "Tributary.Cli.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"Tributary.Cli.dll is neither in {AppContext.BaseDirectory} nor in src/Tributary.Cli/bin/{configuration}/net10.0 above it; build the solution first.");
    }
}
