using System.Diagnostics;
using System.Globalization;

namespace Tributary.Tests;

/// <summary>The crash-test helper process (tests/Tributary.CrashHelper): durable work until a test kills it.</summary>
internal static class CrashHelper
{
    /// <summary>The built crash helper beside this test assembly's build: tests/Tributary.CrashHelper/bin/&lt;Configuration&gt;/&lt;tfm&gt;/.</summary>
    public static string Dll() => BuiltDll.Path(Path.Combine("tests", "Tributary.CrashHelper"), "Tributary.CrashHelper.dll");

    /// <summary>
    /// Runs the helper in <paramref name="mode"/> on <paramref name="directory"/>, reads its progress lines
    /// (<c>"&lt;word&gt; N"</c>: N records or keys durable so far), kills it with SIGKILL once N reaches
    /// <paramref name="minimum"/>, and returns the last N it printed (each line came after its durable write returned, so
    /// every one is a promise). Fails when it does not get there within 2 minutes or ends before it is killed.
    /// </summary>
    public static async Task<long> RunUntilKilledAsync(string mode, string directory, long minimum)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll());
        start.ArgumentList.Add(mode);
        start.ArgumentList.Add(directory);
        start.ArgumentList.Add("100000000");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var killOnTimeout = timeout.Token.Register(() =>
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        });
        long durable = 0;
        var killed = false;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            durable = long.Parse(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
            if (durable >= minimum && !killed)
            {
                process.Kill(); // SIGKILL: no finally blocks, no Dispose, no flush
                killed = true;
            }
        }

        await process.WaitForExitAsync();
        var errors = await stderr;
        Assert.False(timeout.IsCancellationRequested, $"the {mode} did not reach {minimum} within 2 minutes: " + errors);
        Assert.True(killed, $"the {mode} ended before it was killed: " + errors);
        Assert.NotEqual(0, process.ExitCode);
        return durable;
    }
}
