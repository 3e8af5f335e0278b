using System.Text;

namespace Tributary.Cli.Tests;

/// <summary>Bad input through the real CLI: one clear "error:" line on stderr, exit code 1, never engine SQL, never a crash.</summary>
public sealed class CliErrorTests : IDisposable
{
    private readonly CliProcess _cli = new();

    public CliErrorTests()
    {
        var r = _cli.Run("query", ".create table T (a:string, n:long)");
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("T | where n > | take 3", 1, 15)]
    [InlineData("T\n| where n >\n| take 3", 3, 1)]
    [InlineData("T\n| summarize count( by a", 2, 23)]
    [InlineData("T | where a == \"unterminated", 1, 16)]
    [InlineData("T | frobnicate", 1, 5)]
    [InlineData("T | where nosuch == 1", 1, 11)]
    [InlineData("T | extend x = nosuchfn(n)", 1, 16)]
    [InlineData("T | where a == 1 and", 1, 21)]
    [InlineData("T | project", 1, 12)]
    [InlineData("T | reduce by a", 1, 5)]
    [InlineData(".set-or-append T <| print a = 'x', n = 1 | where nosuch > 2", 1, 50)]
    [InlineData(".set-or-append T <|\n  T\n  | wher n > 1", 3, 5)]
    [InlineData(".create-or-alter function F() { T | where nosuch > 1 }", 1, 43)]
    [InlineData(".show tables | where nosuch > 1", 1, 22)]
    public void MalformedKql_ErrorWithLineAndColumn(string query, int line, int column)
    {
        var r = Fails(_cli.Run("query", query));
        Assert.Contains($"(at {line}:{column})", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTable_InAQuery()
    {
        var r = Fails(_cli.Run("query", "Nope | count"));
        Assert.Contains("'Nope'", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("(at 1:1)", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTable_WrongCase_Suggests()
    {
        var r = Fails(_cli.Run("query", "t | count"));
        Assert.Contains("'T'", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTable_InAnIngest()
    {
        var r = Fails(_cli.Run("ingest", "Nope", _cli.WriteFile("n.csv", "a,n\nx,1\n")));
        Assert.Contains("'Nope'", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_BadDatetimeOnLine4_NamesLineAndColumn_AndAddsNothing()
    {
        Assert.Equal(0, _cli.Run("query", ".create table E (Name:string, When:datetime, n:long)").ExitCode);
        Assert.Equal(0, _cli.Run("ingest", "E", _cli.WriteFile("good.csv", "Name,When,n\na,2024-01-01T00:00:00Z,1\nb,2024-01-02T00:00:00Z,2\n")).ExitCode);
        var bad = _cli.WriteFile("bad.csv",
            "Name,When,n\n" +
            "x,2024-02-01T00:00:00Z,1\n" +
            "y,2024-02-02T10:30:00Z,2\n" +
            "z,2024-02-31T00:00:00Z,3\n" +
            "w,2024-02-03T00:00:00Z,4\n");

        var r = Fails(_cli.Run("ingest", "E", bad));
        Assert.Contains("line 4", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("'When'", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("bad.csv", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("2024-02-31", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);

        var count = _cli.Run("query", "E | count", "--format", "csv");
        Assert.Equal("Count\r\n2\r\n", count.Stdout);
        var extents = _cli.Run("query", ".show table E extents | count", "--format", "csv");
        Assert.True(extents.ExitCode == 0, extents.ToString());
        Assert.Equal("Count\r\n1\r\n", extents.Stdout);
    }

    [Fact]
    public void Ingest_BadNumberOnLine3_NamesLineAndColumn()
    {
        var r = Fails(_cli.Run("ingest", "T", _cli.WriteFile("bad.csv", "a,n\nx,1\ny,two\n")));
        Assert.Contains("line 3", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("'n'", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("Count\r\n0\r\n", _cli.Run("query", "T | count", "--format", "csv").Stdout);
    }

    [Fact]
    public void Ingest_MissingFile()
    {
        var r = Fails(_cli.Run("ingest", "T", Path.Combine(_cli.Root, "nothere.csv")));
        Assert.Contains("nothere.csv", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("not found", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_UnknownFormat()
    {
        var r = Fails(_cli.Run("query", "T | count", "--format", "xml"));
        Assert.Contains("'xml'", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void Ingest_UnknownFormat()
    {
        var r = Fails(_cli.Run("ingest", "T", _cli.WriteFile("t.csv", "a,n\nx,1\n"), "--format", "xml"));
        Assert.Contains("'xml'", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownCommand()
    {
        var r = Fails(_cli.Run("frobnicate"));
        Assert.Contains("frobnicate", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void BadControlCommand()
    {
        var r = Fails(_cli.Run("query", ".create table U (a:strin)"));
        Assert.Contains("strin", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void LongQueryOnTheCommandLine_Answers()
    {
        // ~100 KB: below Linux's 128 KB limit for one argument.
        var query = "T | where a in (" + string.Join(",", Enumerable.Range(0, 12_000).Select(i => $"\"v{i}\"")) + ") | count";
        Assert.InRange(query.Length, 90_000, 128_000);
        var r = _cli.Run("query", query, "--format", "csv");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("Count\r\n0\r\n", r.Stdout);
    }

    public static TheoryData<string> HugeQueries => new()
    {
        "in-list", "string-literal", "let-chain", "sum-chain", "and-chain", "parentheses", "negations", "calls", "members", "pipeline", "identifier", "trailing-garbage",
    };

    /// <summary>A 1 MB single-line query (through stdin: one argument cannot be that long) gets an answer or one clear error line.</summary>
    [Theory]
    [MemberData(nameof(HugeQueries))]
    public void HugeSingleLineQuery_AnswerOrClearError(string shape)
    {
        var query = HugeQuery(shape);
        Assert.InRange(query.Length, 1_000_000, 1_600_000);
        Assert.DoesNotContain('\n', query);

        var r = _cli.RunWithInput(query, "query", "-", "--format", "csv");
        Assert.True(r.ExitCode is 0 or 1, r.ToString());
        Assert.True(r.Elapsed < TimeSpan.FromSeconds(90), $"took {r.Elapsed}");
        if (r.ExitCode == 0)
        {
            Assert.Equal("", r.Stderr);
            Assert.StartsWith(shape is "string-literal" or "let-chain" ? "n\r\n" : "Count\r\n", r.Stdout, StringComparison.Ordinal);
        }
        else
        {
            Assert.StartsWith("error: ", r.Stderr, StringComparison.Ordinal);
            Assert.True(r.Stderr.Length < 2000, $"a {r.Stderr.Length:N0}-character error");
            Assert.Single(r.Stderr.TrimEnd().Split('\n'));
            Assert.DoesNotContain("SELECT", r.Stderr, StringComparison.Ordinal);
        }

        switch (shape)
        {
            case "in-list" or "string-literal" or "let-chain":
                Assert.True(r.ExitCode == 0, r.ToString());
                break;
            case "sum-chain" or "and-chain" or "parentheses" or "negations" or "calls" or "members" or "pipeline":
                Assert.Matches("nests too deeply|too deeply nested", r.Stderr);
                Assert.Matches(@"\(at 1:\d+\)", r.Stderr);
                break;
            default:
                Assert.Equal(1, r.ExitCode);
                break;
        }
    }

    [Fact]
    public void ExplodingLets_ClearError()
    {
        // Each let doubles the one before: 2^40 terms, a few hundred characters of query.
        var lets = string.Concat(Enumerable.Range(0, 40).Select(i => i == 0 ? "let a0 = 1;" : $"let a{i} = a{i - 1} + a{i - 1};"));
        var r = Fails(_cli.Run("query", lets + "print a39"));
        Assert.Contains("too large", r.Stderr, StringComparison.Ordinal);

        var tabular = string.Concat(Enumerable.Range(0, 40).Select(i => i == 0 ? "let t0 = T;" : $"let t{i} = union t{i - 1}, t{i - 1};"));
        r = Fails(_cli.Run("query", tabular + "t39 | count"));
        Assert.Contains("too large", r.Stderr, StringComparison.Ordinal);
    }

    private static string HugeQuery(string shape)
    {
        const int size = 1_000_000;
        string Repeat(string head, Func<int, string> item, string separator, string tail)
        {
            var sb = new StringBuilder(head);
            for (var i = 0; sb.Length < size; i++)
            {
                sb.Append(i == 0 ? "" : separator).Append(item(i));
            }

            return sb.Append(tail).ToString();
        }

        return shape switch
        {
            "in-list" => Repeat("T | where a in (", i => $"\"v{i}\"", ",", ") | count"),
            "string-literal" => "print s = \"" + new string('x', size) + "\" | project n = strlen(s)",
            "let-chain" => Repeat("", i => $"let a{i} = {i};", "", " print n = a1"),
            "sum-chain" => Repeat("print x = ", _ => "1", "+", " | count"),
            "and-chain" => Repeat("T | where ", i => $"a != \"{i}\"", " and ", " | count"),
            "parentheses" => "print x = " + new string('(', size / 2) + "1" + new string(')', size / 2) + " | count",
            "negations" => "print x = " + new string('-', size) + "1 | count",
            "calls" => "print x = " + string.Concat(Enumerable.Repeat("abs(", size / 4)) + "1" + new string(')', size / 4) + " | count",
            "members" => Repeat("print x = dynamic({\"a\":1})", _ => ".a", "", " | count"),
            "pipeline" => Repeat("T", _ => " | where true", "", " | count"),
            "identifier" => "T | where " + new string('a', size) + " == 1 | count",
            "trailing-garbage" => "T | count " + new string('b', size),
            _ => throw new ArgumentOutOfRangeException(nameof(shape)),
        };
    }

    /// <summary>Exit code 1, an "error:" line on stderr, no SQL or engine internals, no stack trace.</summary>
    private static CliResult Fails(CliResult r)
    {
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.StartsWith("error: ", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("SELECT", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("DuckDB", r.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", r.Stderr, StringComparison.Ordinal);
        return r;
    }
}
