namespace Tributary.Cli.Tests;

/// <summary>Paths are paths: a data directory or an input file whose name has connection-string or glob characters.</summary>
public sealed class CliPathTests : IDisposable
{
    private readonly CliProcess _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("d;access_mode=READ_ONLY")]
    [InlineData("d;x=1")]
    [InlineData("a=b; Data Source=:memory:")]
    [InlineData("d'\"quoted")]
    public void Data_PathWithSemicolonOrEquals_IsOneDirectoryNotConnectionOptions(string name)
    {
        var data = Path.Combine(_cli.Root, name);
        CliAssert.Ok(Run(data, "query", ".create table T (a:string, n:long)"));
        CliAssert.Ok(Run(data, "ingest", "T", _cli.WriteFile("t.csv", "a,n\nx,1\ny,2\n")));

        var count = CliAssert.Ok(Run(data, "query", "T | count", "--format", "csv"));
        Assert.Equal("Count\r\n2\r\n", count.Stdout);
        Assert.True(File.Exists(Path.Combine(data, "tributary.duckdb")), "the store file is not inside the directory named by --data");
    }

    [Fact]
    public void Data_PathWithQuestionMark_RefusedWithOneErrorLine()
    {
        var line = CliAssert.UserError(Run(Path.Combine(_cli.Root, "d?"), "query", "print 1"));
        Assert.Contains("'?'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_EmptyPath_RefusedWithOneErrorLine()
    {
        var line = CliAssert.UserError(Run("", "query", "print 1"));
        Assert.Contains("empty", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a*.csv")]
    [InlineData("a?.csv")]
    [InlineData("a[1].csv")]
    [InlineData("[ab]*?.jsonl")]
    public void Ingest_FileNameWithGlobCharacters_LoadsThatFileOnly(string name)
    {
        // Decoys the name would match as a glob pattern: each holds rows the named file does not.
        _cli.WriteFile("ab.csv", "a,n\ndecoy,100\n");
        _cli.WriteFile("a1.csv", "a,n\ndecoy,1000\n");
        _cli.WriteFile("ab.jsonl", "{\"a\":\"decoy\",\"n\":10000}\n");
        var content = name.EndsWith(".jsonl", StringComparison.Ordinal) ? "{\"a\":\"x\",\"n\":1}\n{\"a\":\"y\",\"n\":2}\n" : "a,n\nx,1\ny,2\n";
        var path = _cli.WriteFile(name, content);
        CliAssert.Ok(_cli.Run("query", ".create table T (a:string, n:long)"));

        var ingest = CliAssert.Ok(_cli.Run("ingest", "T", path));
        Assert.Contains("ingested 2 rows", ingest.Stdout, StringComparison.Ordinal);
        var sum = CliAssert.Ok(_cli.Run("query", "T | summarize n = sum(n)", "--format", "csv"));
        Assert.Equal("n\r\n3\r\n", sum.Stdout);
    }

    private CliResult Run(string data, params string[] args) => _cli.RunRaw(TimeSpan.FromMinutes(2), ["--data", data, .. args]);
}
