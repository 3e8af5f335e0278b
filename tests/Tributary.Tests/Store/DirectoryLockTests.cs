using System.Diagnostics;
using Tributary.Store;

namespace Tributary.Tests.Store;

/// <summary>One process owns a data directory: another process's Open is refused while this one holds it.</summary>
public sealed class DirectoryLockTests : StoreTestBase
{
    [Fact]
    public void SecondOpen_FromAnotherProcess_IsRefused()
    {
        S.Execute(".create table T (a:string)");
        var (exit, output) = RunCli("--data", S.Directory, "query", "print x = 1");
        Assert.NotEqual(0, exit);
        Assert.Contains("in use", output, StringComparison.Ordinal);
        Assert.Contains(S.Directory, output, StringComparison.Ordinal);

        // The holder is unaffected.
        S.Execute(".ingest inline into table T <|\nx");
        Assert.Equal(1, S.Count("T"));
    }

    [Fact]
    public void AfterDispose_AnotherProcessCanOpen()
    {
        S.Execute(".create table T (a:string)");
        S.Execute(".ingest inline into table T <|\nx\ny");
        S.Store.Dispose();
        var (exit, output) = RunCli("--data", S.Directory, "query", "T | count", "--format", "csv");
        Assert.True(exit == 0, output);
        Assert.Contains("2", output, StringComparison.Ordinal);
        S.Reopen();
        Assert.Equal(2, S.Count("T"));
    }

    private static (int Exit, string Output) RunCli(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliDll());
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the CLI did not finish within 2 minutes");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>The built CLI beside this test assembly's build: src/Tributary.Cli/bin/&lt;Configuration&gt;/&lt;tfm&gt;/Tributary.Cli.dll.</summary>
    private static string CliDll() => BuiltDll.Path(Path.Combine("src", "Tributary.Cli"), "Tributary.Cli.dll");
}
