using System.Text.Json;

namespace Tributary.Cli.Tests;

/// <summary>The CLI as a user runs it: create a table, ingest a CSV file, query it in every output format, draw a chart.</summary>
public sealed class CliQueryIngestTests : IDisposable
{
    private const string Csv = "a,n\nx,1\n\"hello, \"\"world\"\"\",2\nz,39\n";
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly CliProcess _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void CreateTable_PrintsTheNewTable()
    {
        var r = Ok(_cli.Run("query", ".create table T (a:string, n:long)"));
        Assert.Contains("a:string, n:long", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("(1 rows)", r.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_cli.DataDirectory, "tributary.duckdb")), "the store file was not created");

        var show = Ok(_cli.Run("query", ".show tables", "--format", "csv"));
        Assert.Contains("\r\nT,", show.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_ThenSum_Table()
    {
        CreateAndIngest();
        var r = Ok(_cli.Run("query", "T | summarize sum(n)"));
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(["sum_n", "-----", "   42", "(1 rows)"], lines);
    }

    [Fact]
    public void Ingest_ThenSum_Csv()
    {
        CreateAndIngest();
        var r = Ok(_cli.Run("query", "T | summarize sum(n)", "--format", "csv"));
        Assert.Equal("sum_n\r\n42\r\n", r.Stdout);
    }

    [Fact]
    public void Ingest_ThenSum_Json()
    {
        CreateAndIngest();
        var r = Ok(_cli.Run("query", "T | summarize sum(n)", "--format", "json"));
        using var json = JsonDocument.Parse(r.Stdout);
        var row = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(JsonValueKind.Number, row.GetProperty("sum_n").ValueKind);
        Assert.Equal(42, row.GetProperty("sum_n").GetInt64());
    }

    [Fact]
    public void Ingest_QuotedValues_RoundTripThroughCsvAndJson()
    {
        CreateAndIngest();
        var csv = Ok(_cli.Run("query", "T | order by n asc | project a, n", "--format", "csv"));
        Assert.Equal("a,n\r\nx,1\r\n\"hello, \"\"world\"\"\",2\r\nz,39\r\n", csv.Stdout);

        var json = Ok(_cli.Run("query", "T | order by n asc | project a, n", "-f", "json"));
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.Equal(["x", "hello, \"world\"", "z"], doc.RootElement.EnumerateArray().Select(e => e.GetProperty("a").GetString()));
        Assert.Equal([1L, 2L, 39L], doc.RootElement.EnumerateArray().Select(e => e.GetProperty("n").GetInt64()));
    }

    [Fact]
    public void Ingest_ReportsRowsAndExtent()
    {
        Ok(_cli.Run("query", ".create table T (a:string, n:long)"));
        var r = Ok(_cli.Run("ingest", "T", _cli.WriteFile("t.csv", Csv)));
        Assert.Matches(@"^ingested 3 rows into T as extent [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\r?\n$", r.Stdout);
    }

    [Fact]
    public void Ingest_WithTags_ShowsInExtents()
    {
        Ok(_cli.Run("query", ".create table T (a:string, n:long)"));
        var ingest = Ok(_cli.Run("ingest", "T", _cli.WriteFile("t.csv", Csv), "--tags", "a=b"));
        Assert.Contains("tagged a:b", ingest.Stdout, StringComparison.Ordinal);
        Ok(_cli.Run("ingest", "T", _cli.WriteFile("u.csv", "a,n\nq,5\n")));

        var r = Ok(_cli.Run("query", ".show table T extents", "--format", "json"));
        using var doc = JsonDocument.Parse(r.Stdout);
        var extents = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, extents.Count);
        var tagged = Assert.Single(extents, e => e.GetProperty("Tags").GetString()!.Contains("a:b", StringComparison.Ordinal));
        Assert.Equal(3, tagged.GetProperty("RowCount").GetInt64());
        Assert.Equal("T", tagged.GetProperty("TableName").GetString());
        Assert.Contains(ingest.Stdout.Split(' ')[7].Trim(), r.Stdout, StringComparison.Ordinal); // the extent id the ingest printed

        var table = Ok(_cli.Run("query", ".show table T extents"));
        Assert.Contains("a:b", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("(2 rows)", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderTimechart_WritesPng()
    {
        Ok(_cli.Run("query", ".create table M (ts:datetime, v:long)"));
        var lines = Enumerable.Range(0, 48).Select(i => $"{new DateTime(2024, 5, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(30 * i):yyyy-MM-ddTHH:mm:ssZ},{i % 7}");
        Ok(_cli.Run("ingest", "M", _cli.WriteFile("m.csv", "ts,v\n" + string.Join("\n", lines) + "\n")));
        var chart = Path.Combine(_cli.Root, "out.png");

        var r = Ok(_cli.Run("query", "M | summarize total = sum(v) by bin(ts, 1h) | render timechart", "--chart", chart));
        Assert.Contains("chart written to", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("(24 rows)", r.Stdout, StringComparison.Ordinal);
        var bytes = File.ReadAllBytes(chart);
        Assert.True(bytes.Length > 1000, $"the PNG has only {bytes.Length} bytes");
        Assert.Equal(PngSignature, bytes[..8]);
    }

    [Fact]
    public void QueryFromStdin_Answers()
    {
        CreateAndIngest();
        var r = Ok(_cli.RunWithInput("T\n| where n > 1 // a comment\n| count\n", "query", "-", "--format", "csv"));
        Assert.Equal("Count\r\n2\r\n", r.Stdout);
    }

    [Fact]
    public void HostileTableName_CreatedIngestedAndQueryable()
    {
        Ok(_cli.Run("query", ".create table T (a:string, n:long)"));
        const string name = "x\"; drop";
        var create = Ok(_cli.Run("query", ".create table ['x\"; drop'] (a:string)"));
        Assert.Contains(name, create.Stdout, StringComparison.Ordinal);
        Ok(_cli.Run("ingest", name, _cli.WriteFile("h.csv", "a\nhello\nworld\n")));

        var count = Ok(_cli.Run("query", "['x\"; drop'] | count", "--format", "csv"));
        Assert.Equal("Count\r\n2\r\n", count.Stdout);
        var filtered = Ok(_cli.Run("query", "['x\"; drop'] | where ['a'] == \"world\" | project ['the a'] = a", "--format", "json"));
        using (var doc = JsonDocument.Parse(filtered.Stdout))
        {
            Assert.Equal("world", Assert.Single(doc.RootElement.EnumerateArray()).GetProperty("the a").GetString());
        }

        var tables = Ok(_cli.Run("query", ".show tables", "--format", "json"));
        using (var doc = JsonDocument.Parse(tables.Stdout))
        {
            Assert.Equal(["T", name], doc.RootElement.EnumerateArray().Select(e => e.GetProperty("TableName").GetString()).Order(StringComparer.Ordinal));
        }

        var extents = Ok(_cli.Run("query", ".show table ['x\"; drop'] extents", "--format", "json"));
        Assert.Contains("\"RowCount\": 2", extents.Stdout, StringComparison.Ordinal);

        Ok(_cli.Run("query", ".drop table ['x\"; drop']"));
        Ok(_cli.Run("query", "T | count"));
        var gone = _cli.Run("query", "['x\"; drop'] | count");
        Assert.Equal(1, gone.ExitCode);
    }

    private void CreateAndIngest()
    {
        Ok(_cli.Run("query", ".create table T (a:string, n:long)"));
        Ok(_cli.Run("ingest", "T", _cli.WriteFile("t.csv", Csv)));
    }

    private static CliResult Ok(CliResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.DoesNotContain("error:", r.Stderr, StringComparison.Ordinal);
        return r;
    }
}
