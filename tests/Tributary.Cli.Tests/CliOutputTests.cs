using System.Text;
using Tributary.Store;

namespace Tributary.Cli.Tests;

/// <summary>What the CLI prints besides results: progress only for terminals, and one line for any failure.</summary>
public sealed class CliOutputTests : IDisposable
{
    private readonly CliProcess _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Ingest_LargeFile_StderrNotATerminal_PrintsOneStartLineAndNoProgress()
    {
        CliAssert.Ok(_cli.Run("query", ".create table Big (k:string, n:long)"));
        var path = Path.Combine(_cli.Root, "big.csv");
        using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            writer.Write("k,n\n");
            var line = new string('x', 100);
            for (var i = 0; i < 90_000; i++)
            {
                writer.Write($"{line},{i}\n");
            }
        }

        Assert.True(new FileInfo(path).Length > 8 * 1024 * 1024, "the file must be large enough to be long work");
        var r = CliAssert.Ok(_cli.Run("ingest", "Big", path));

        Assert.Contains("ingested 90,000 rows", r.Stdout, StringComparison.Ordinal);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length <= 2, "at most a start and an end line on a non-terminal\n" + r);
        Assert.DoesNotContain(" of ", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnexpectedException_OneLineAndExitCodeTwo()
    {
        var (code, stderr) = Capture(() => throw new InvalidOperationException("the bug\n   at Somewhere.Deep()"));
        Assert.Equal(CliRunner.InternalError, code);
        Assert.Equal("internal error: InvalidOperationException: the bug", stderr.TrimEnd());
    }

    [Fact]
    public void Run_UserMistake_OneErrorLineAndExitCodeOne()
    {
        var (code, stderr) = Capture(() => throw new StoreException("table 'X' does not exist"));
        Assert.Equal(CliRunner.UserError, code);
        Assert.Equal("error: table 'X' does not exist", stderr.TrimEnd());
    }

    private static (int Code, string Stderr) Capture(Func<int> action)
    {
        var original = Console.Error;
        using var error = new StringWriter();
        Console.SetError(error);
        try
        {
            return (CliRunner.Run(action), error.ToString());
        }
        finally
        {
            Console.SetError(original);
        }
    }
}
