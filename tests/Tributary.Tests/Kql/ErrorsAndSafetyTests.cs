using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Tributary.Kql;
using Tributary.Store;

namespace Tributary.Tests.Kql;

/// <summary>Errors name the position and never show SQL; queries cannot change data; hostile text stays data.</summary>
public sealed class ErrorsAndSafetyTests : IClassFixture<ErrorsAndSafetyTests.Tables>
{
    private readonly KqlStoreFixture _store;

    public ErrorsAndSafetyTests(Tables store) => _store = store;

    public sealed class Tables : KqlStoreFixture
    {
        public Tables()
        {
            Run(".create table T (name:string, n:long)");
            Run(".ingest inline into table T <| a,1\nb,2\nc,3");
        }
    }

    private long CountOfT() => (long)_store.Run("T | count").Single("Count")!;

    private static void AssertNoSql(string message)
    {
        foreach (var word in new[] { "SELECT", "FROM (", "QUALIFY", "\"_t", "epoch_us", "CAST(" })
        {
            Assert.DoesNotContain(word, message, StringComparison.Ordinal);
        }
    }

    private KqlException Fails(string query)
    {
        var e = Assert.Throws<KqlException>(() => _store.Run(query));
        AssertNoSql(e.Message);
        return e;
    }

    // ---- error messages -----------------------------------------------------------------------------

    [Fact]
    public void UnknownColumn_MessageHasPositionAndNoSql()
    {
        var e = Fails("T\n| where nme == 'a'");
        Assert.Contains("'nme'", e.Message, StringComparison.Ordinal);
        Assert.Contains("(at 2:9)", e.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'name'", e.Message, StringComparison.Ordinal);
    }

    // Each error sits in a command's body: the position is in the text as typed, not in the body alone.
    [Theory]
    [InlineData(".set-or-append T <| print name = 'x', n = 1 | where nosuch > 2", 1, 53)]
    [InlineData(".set-or-append T with (tags='[\"a\"]') <|\n  print name = 'x'\n  | where nosuch > 2", 3, 11)]
    [InlineData(".append T <| T | wher n > 1", 1, 18)]
    [InlineData(".replace extents in table T tagged 'w' <| T | where nosuch", 1, 53)]
    [InlineData(".create-or-alter function F1() { T | where nosuch > 1 }", 1, 44)]
    [InlineData(".create-or-alter function F2(a:long) {\n    T\n    | where n > a | project nosuch\n}", 3, 29)]
    [InlineData(".create-or-alter function F3() { T | where n > }", 1, 48)]
    [InlineData(".show tables | where nosuch > 1", 1, 22)]
    [InlineData(".show table T extents\n| where RowCount > 0 and nosuch", 2, 26)]
    [InlineData(".create materialized-view V1 on table T { T | summarize count() by nosuch }", 1, 68)]
    [InlineData(".drop extents <| .show table T extents | where nosuch", 1, 48)]
    public void ErrorInACommandBody_PointsAtItsLineAndColumnInTheCommand(string command, int line, int column)
    {
        var e = Fails(command);
        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.Equal(3, CountOfT());
    }

    [Fact]
    public void UnknownOperator_MessageNamesItWithPosition()
    {
        var e = Fails("T | wher n > 1");
        Assert.Contains("'wher'", e.Message, StringComparison.Ordinal);
        Assert.Contains("(at 1:5)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TypeMismatch_MessageHasPositionAndNoSql()
    {
        var e = Fails("T | where name > 5");
        Assert.Matches(@"\(at 1:\d+\)", e.Message);
        Assert.Contains("string", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTable_MessageNamesItAndSuggests()
    {
        var e = Fails("Tx | count");
        Assert.Contains("'Tx'", e.Message, StringComparison.Ordinal);
        Assert.Contains("(at 1:1)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SyntaxError_UnterminatedString_HasPosition()
    {
        var e = Fails("T | where name == \"abc");
        Assert.Contains("unterminated string", e.Message, StringComparison.Ordinal);
        Assert.Contains("(at 1:19)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryFailingQuery_MessageHasPositionAndNoSql()
    {
        string[] queries =
        [
            "T | where n > 'x' and nonexistent(1)",
            "T | summarize count() by",
            "T | project n | extend m = name",
            "T | join kind=inner (T) on missing",
            "T | extend p = prev(n)",
            "print datetime(2024-01-01) + datetime(2024-01-02)",
            "T | sort by n | take -1",
            "print x = strlen()",
            "T | mv-expand n",
            "range x from 1 to 3 step 1 | where x == \"a\"",
        ];
        foreach (var q in queries)
        {
            var e = Assert.Throws<KqlException>(() => _store.Run(q));
            AssertNoSql(e.Message);
            Assert.Matches(@"\(at \d+:\d+\)$", e.Message);
        }
    }

    [Fact]
    public void RuntimeEngineError_IsStoreExceptionWithoutSql()
    {
        // The engine refuses the narrowing cast while running, after translation succeeded.
        var e = Assert.Throws<StoreException>(() => _store.Run("datatable(v:long)[10000000000] | project r = toint(v)"));
        Assert.StartsWith("the query failed while running", e.Message, StringComparison.Ordinal);
        AssertNoSql(e.Message);
    }

    // ---- queries cannot change data -----------------------------------------------------------------

    [Fact]
    public void CreateTableInsideLet_IsAParseError()
    {
        Fails("let x = .create table Evil (a:string); print 1");
        Assert.DoesNotContain(_store.Store.Tables, t => t.Name == "Evil");
    }

    [Fact]
    public void CreateTableInsideUnion_IsAParseError()
    {
        Fails("union T, (.create table Evil2 (a:string))");
        Assert.DoesNotContain(_store.Store.Tables, t => t.Name == "Evil2");
    }

    [Fact]
    public void DropTableAfterSemicolon_IsAParseError()
    {
        Fails("T | count; .drop table T");
        Assert.Equal(3L, CountOfT());
    }

    [Fact]
    public void StringLiteralWithSqlPayload_IsJustData()
    {
        var payload = "'); DROP TABLE T; --";
        var result = _store.Run($"print s = \"{payload}\"");
        Assert.Equal(payload, result.Single("s"));
        Assert.Empty(_store.Run($"T | where name == \"{payload}\"").Rows);
        Assert.Empty(_store.Run($"T | where name == '\\'); DROP TABLE T; --'").Rows);
        Assert.Equal(3L, CountOfT());
    }

    [Fact]
    public void DoubleQuotedPayload_IsJustData()
    {
        var result = _store.Run("print s = '\"; DROP TABLE T; --'");
        Assert.Equal("\"; DROP TABLE T; --", result.Single("s"));
        Assert.Equal(3L, CountOfT());
    }

    [Fact]
    public void HostileIdentifiers_AreQuoted()
    {
        var result = _store.Run("print ['a\"b'] = 1, ['x\"; DROP TABLE T; --'] = 2, ['it\\'s'] = 3");
        Assert.Equal(["a\"b", "x\"; DROP TABLE T; --", "it's"], result.Names());
        Assert.Equal<object?>([1L, 2L, 3L], Assert.Single(result.Rows));
        Assert.Equal(3L, CountOfT());
    }

    [Fact]
    public void HostileIdentifier_InExtendAndSummarize_StaysAName()
    {
        var result = _store.Run("T | extend ['n\" FROM T; --'] = n * 2 | summarize ['s\"um'] = sum(['n\" FROM T; --'])");
        Assert.Equal(["s\"um"], result.Names());
        Assert.Equal(12L, result.Single("s\"um"));
    }

    [Fact]
    public void VerbatimAndEscapedStrings_ReachTheEngineUnchanged()
    {
        var result = _store.Run("""print a = @"C:\temp\'x'", b = "tab\there", c = 'it\'s', d = "\\", e = h"secret" """);
        Assert.Equal(@"C:\temp\'x'", result.Single("a"));
        Assert.Equal("tab\there", result.Single("b"));
        Assert.Equal("it's", result.Single("c"));
        Assert.Equal("\\", result.Single("d"));
        Assert.Equal("secret", result.Single("e"));
    }

    // ---- property: any string survives a print unchanged --------------------------------------------

    private static string KqlLiteral(string s)
    {
        var sb = new System.Text.StringBuilder("\"");
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }

    public static Arbitrary<string> Texts() =>
        ArbMap.Default.ArbFor<string>()
            .Filter(s => s is not null)
            .MapFilter(s => new string(s.Where(c => c != '\0' && !char.IsSurrogate(c)).ToArray()), _ => true);

    [Property(MaxTest = 150, Arbitrary = [typeof(ErrorsAndSafetyTests)])]
    public void StringLiteral_AnyText_RoundTripsThroughPrint(string text)
    {
        var result = _store.Run($"print s = {KqlLiteral(text)}");
        Assert.Equal(text, result.Single("s"));
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(ErrorsAndSafetyTests)])]
    public void StringLiteral_AnyText_ComparesEqualToItself(string text)
    {
        var literal = KqlLiteral(text);
        var result = _store.Run($"print s = {literal} | where s == {literal} | count");
        Assert.Equal(1L, result.Single("Count"));
        Assert.Equal(3L, CountOfT());
    }
}
