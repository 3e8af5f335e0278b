using System.Text;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Tributary.Kql.Binding;
using KqlTranslation = Tributary.Kql.Translation;

namespace Tributary.Kql.Tests.Translation;

public sealed partial class TranslatorTests
{
    private static readonly DateTime Now = new(2024, 3, 15, 12, 30, 45, DateTimeKind.Utc);

    private static KqlTranslation Translate(string query, IReadOnlyDictionary<string, object?>? parameters = null) =>
        KqlTranslator.Translate(query, TestCatalog.Default, new TranslationOptions(Now, parameters));

    private static KqlException Fails(string query) => Assert.Throws<KqlException>(() => Translate(query));

    /// <summary>The SQL with every quoted literal and identifier removed: what is left is SQL the translator wrote itself.</summary>
    internal static string Unquoted(string sql)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            if (c is '\'' or '"')
            {
                // Skip to the closing quote; a doubled quote is an escaped quote inside.
                i++;
                while (true)
                {
                    Assert.True(i < sql.Length, $"unterminated quote in SQL: {sql}");
                    if (sql[i] == c)
                    {
                        if (i + 1 < sql.Length && sql[i + 1] == c)
                        {
                            i += 2;
                            continue;
                        }

                        break;
                    }

                    i++;
                }

                sb.Append(c == '\'' ? "'?'" : "\"?\"");
                continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"\b(INSERT|UPDATE|DELETE|DROP|CREATE|ALTER|ATTACH|DETACH|COPY|PRAGMA|INSTALL|LOAD|EXPORT|IMPORT|CALL|CHECKPOINT|VACUUM|TRUNCATE|REPLACE\s+INTO)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Statements();

    /// <summary>One read-only SELECT: starts with SELECT, no statement separator, no comment, no data-changing statement outside quotes.</summary>
    private static void AssertSingleSelect(string sql)
    {
        Assert.StartsWith("SELECT ", sql, StringComparison.Ordinal);
        var bare = Unquoted(sql);
        Assert.DoesNotContain(";", bare, StringComparison.Ordinal);
        Assert.DoesNotContain("--", bare, StringComparison.Ordinal);
        Assert.DoesNotContain("/*", bare, StringComparison.Ordinal);
        Assert.DoesNotMatch(Statements(), bare);
    }

    // ---- name errors ----------------------------------------------------------------------------------

    [Fact]
    public void UnknownColumn_ErrorNamesItWithPositionAndSuggestion()
    {
        var e = Fails("Events\n| where Regon == 'eu'");
        Assert.Contains("unknown column 'Regon'", e.Reason, StringComparison.Ordinal);
        Assert.Contains("did you mean 'Region'?", e.Reason, StringComparison.Ordinal);
        Assert.Equal((2, 9), (e.Line, e.Column));
        Assert.EndsWith("(at 2:9)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownColumn_CaseDiffers_SuggestsTheRightCase()
    {
        var e = Fails("Events | project region");
        Assert.Contains("unknown column 'region'", e.Reason, StringComparison.Ordinal);
        Assert.Contains("did you mean 'Region'?", e.Reason, StringComparison.Ordinal);
        Assert.Equal((1, 18), (e.Line, e.Column));
    }

    [Fact]
    public void UnknownColumn_AfterProject_OnlyProjectedColumnsExist()
    {
        var e = Fails("Events | project Host | where Cpu > 1");
        Assert.Contains("unknown column 'Cpu'", e.Reason, StringComparison.Ordinal);
        Assert.Equal((1, 31), (e.Line, e.Column));
    }

    [Fact]
    public void UnknownColumn_InJoinKey_SaysWhichSide()
    {
        var e = Fails("Events | join kind=inner Hosts on $left.Host == $right.Hostid");
        Assert.Contains("unknown column 'Hostid' on the right side of join", e.Reason, StringComparison.Ordinal);
        Assert.Contains("did you mean 'HostId'?", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTable_ErrorNamesItWithSuggestion()
    {
        var e = Fails("Evnts | count");
        Assert.Contains("unknown table or function 'Evnts'", e.Reason, StringComparison.Ordinal);
        Assert.Contains("did you mean 'Events'?", e.Reason, StringComparison.Ordinal);
        Assert.Equal((1, 1), (e.Line, e.Column));
    }

    [Fact]
    public void UnknownFunction_ErrorNamesItWithSuggestion()
    {
        var e = Fails("Events | extend n = strln(Host)");
        Assert.Contains("unknown function 'strln'", e.Reason, StringComparison.Ordinal);
        Assert.Contains("did you mean 'strlen'?", e.Reason, StringComparison.Ordinal);
        Assert.Equal((1, 21), (e.Line, e.Column));
    }

    [Fact]
    public void UnknownTabularFunction_ErrorNamesIt()
    {
        var e = Fails("BusyHost(50) | count");
        Assert.Contains("unknown function 'BusyHost'", e.Reason, StringComparison.Ordinal);
        Assert.Contains("did you mean 'BusyHosts'?", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void StoredFunction_WrongArgumentCount_ErrorSaysHowMany()
    {
        var e = Fails("BusyHosts(1, 2)");
        Assert.Contains("takes 1 argument(s) but was given 2", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AggregateOutsideSummarize_IsAnError() =>
        Assert.Contains("only allowed in summarize", Fails("Events | extend c = count()").Reason, StringComparison.Ordinal);

    // ---- type errors ----------------------------------------------------------------------------------

    [Fact]
    public void CompareStringWithNumber_IsATypeError()
    {
        var e = Fails("Events | where Region > 5");
        Assert.Contains("cannot compare string with long", e.Reason, StringComparison.Ordinal);
        Assert.Equal((1, 23), (e.Line, e.Column));
    }

    [Fact]
    public void AddDatetimeToDatetime_IsATypeError()
    {
        var e = Fails("Events | extend t = Timestamp + Timestamp");
        Assert.Contains("operator '+' cannot combine datetime and datetime", e.Reason, StringComparison.Ordinal);
        Assert.Equal((1, 31), (e.Line, e.Column));
        Assert.Contains("cannot combine datetime and datetime", Fails("print datetime(2024-01-01) + datetime(2024-01-02)").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void WhereNotBool_IsATypeError() =>
        Assert.Contains("where needs a bool expression but this is real", Fails("Events | where Cpu").Reason, StringComparison.Ordinal);

    [Fact]
    public void MemberAccessOnString_IsATypeError() =>
        Assert.Contains("needs a dynamic value", Fails("Events | extend x = Host.name").Reason, StringComparison.Ordinal);

    [Fact]
    public void JoinKeysOfDifferentTypes_IsATypeError() =>
        Assert.Contains("join key types differ", Fails("Events | join kind=inner Hosts on $left.Requests == $right.HostId").Reason, StringComparison.Ordinal);

    // ---- serialized-row functions ---------------------------------------------------------------------

    [Theory]
    [InlineData("Events | extend p = prev(Cpu)")]
    [InlineData("Events | extend n = next(Cpu)")]
    [InlineData("Events | extend r = row_number()")]
    [InlineData("Events | sort by Cpu | summarize count() by Host | extend p = prev(Host)")]
    public void WindowFunction_WithoutSerializedRows_IsAnError(string query)
    {
        var e = Fails(query);
        Assert.Contains("needs serialized rows", e.Reason, StringComparison.Ordinal);
        Assert.True(e.Line == 1 && e.Column > 1);
    }

    [Theory]
    [InlineData("Events | sort by Timestamp asc | extend p = prev(Cpu)")]
    [InlineData("Events | top 5 by Cpu | extend r = row_number()")]
    [InlineData("Events | serialize | extend n = next(Cpu, 2)")]
    [InlineData("Events | order by Timestamp | where Cpu > prev(Cpu)")]
    public void WindowFunction_AfterSortTopOrSerialize_Translates(string query) => AssertSingleSelect(Translate(query).Sql);

    // ---- output shape -------------------------------------------------------------------------------

    [Theory]
    [InlineData("Events")]
    [InlineData("Events | where Region == 'eu' and Cpu > 50 | project Host, Cpu")]
    [InlineData("Events | summarize count(), avg(Cpu), percentiles(Cpu, 50, 95), arg_max(Timestamp, *) by Host, bin(Timestamp, 1h)")]
    [InlineData("Events | join kind=leftouter (Hosts | where Region != '') on $left.Host == $right.HostId")]
    [InlineData("Events | lookup Hosts on Region")]
    [InlineData("Events | mv-expand Props | extend k = tostring(Props.k)")]
    [InlineData("union withsource=S Events, Hosts | count")]
    [InlineData("let t = Events | take 5; t | union (Hosts) | distinct *")]
    [InlineData("BusyHosts(80) | top 3 by Cpu")]
    [InlineData("range x from 1 to 10 step 1 | extend y = x * 2 | sort by y")]
    [InlineData("datatable(a:long, b:string)[1, 'x'] | project-rename c = a | project-away b")]
    [InlineData("print a = now(), b = ago(1h), c = bin(now(), 10m)")]
    [InlineData("Events | where Host has 'web' or Host in~ ('A', 'B') | summarize make_set(Host)")]
    [InlineData("Events | where Host !has 'x' | render timechart")]
    public void Translate_AnyQuery_IsASingleReadOnlySelect(string query)
    {
        var t = Translate(query);
        AssertSingleSelect(t.Sql);
    }

    [Fact]
    public void Translate_Columns_AreTheKustoOutputSchema()
    {
        var t = Translate("Events | summarize n = count(), c = avg(Cpu) by Host, bin(Timestamp, 1h)");
        Assert.Equal(["Host:string", "Timestamp:datetime", "n:long", "c:real"], t.Columns.Select(c => c.ToString()));
    }

    [Fact]
    public void Translate_Render_IsReportedNotTranslated()
    {
        var t = Translate("Events | summarize count() by bin(Timestamp, 1h) | render timechart with (title='Load')");
        Assert.Equal(new RenderSpec("timechart", "Load"), t.Render);
        Assert.DoesNotContain("render", t.Sql, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Translate_Now_IsTheOptionsInstantEverywhere()
    {
        var t = Translate("print a = now(), b = now()");
        var literal = Sql.DateTimeTicks(Now);
        Assert.Equal(2, Regex.Matches(t.Sql, Regex.Escape(literal)).Count);
    }

    // ---- hostile text stays quoted ------------------------------------------------------------------

    [Theory]
    [InlineData("'); DROP TABLE x; --")]
    [InlineData("\"; DROP TABLE x; --")]
    [InlineData("it's")]
    [InlineData("a''b")]
    [InlineData("back\\slash' OR 1=1 --")]
    [InlineData("/* comment */ ; SELECT 1")]
    public void StringLiteral_Hostile_IsEscapedSqlString(string payload)
    {
        var t = Translate($"print s = {Parsing.LexerTests.Escape(payload)}");
        Assert.Contains(Sql.String(payload), t.Sql, StringComparison.Ordinal);
        AssertSingleSelect(t.Sql);
        Assert.DoesNotContain("DROP", Unquoted(t.Sql), StringComparison.Ordinal);
    }

    [Fact]
    public void StringLiteral_InWhere_IsEscapedSqlString()
    {
        var t = Translate("Events | where Host == '\\'); DROP TABLE Events; --'");
        Assert.Contains("'''); DROP TABLE Events; --'", t.Sql, StringComparison.Ordinal);
        AssertSingleSelect(t.Sql);
    }

    [Fact]
    public void BracketIdentifier_WithDoubleQuote_IsQuotedIdentifier()
    {
        var t = Translate("print ['a\"b'] = 1 | extend ['x\"; DROP TABLE y; --'] = 2");
        Assert.Equal(["a\"b", "x\"; DROP TABLE y; --"], t.Columns.Select(c => c.Name));
        Assert.Contains("\"a\"\"b\"", t.Sql, StringComparison.Ordinal);
        Assert.Contains("\"x\"\"; DROP TABLE y; --\"", t.Sql, StringComparison.Ordinal);
        AssertSingleSelect(t.Sql);
    }

    [Fact]
    public void HostileTableAndColumnNames_FromTheCatalog_AreQuoted()
    {
        var t = Translate("['Evil\"; DROP TABLE Events; --'] | where ['x\\'); DROP TABLE Events; --'] == 'a' | summarize sum(['a\"b'])");
        Assert.Contains(Sql.Ident("Evil\"; DROP TABLE Events; --"), t.Sql, StringComparison.Ordinal);
        Assert.Contains(Sql.Ident("x'); DROP TABLE Events; --"), t.Sql, StringComparison.Ordinal);
        AssertSingleSelect(t.Sql);
    }

    [Fact]
    public void QueryParameter_Hostile_IsEscaped()
    {
        var payload = "x'); DROP TABLE Events; --";
        var t = Translate("declare query_parameters(p:string); Events | where Host == p", new Dictionary<string, object?> { ["p"] = payload });
        Assert.Contains(Sql.String(payload), t.Sql, StringComparison.Ordinal);
        AssertSingleSelect(t.Sql);
    }

    [Fact]
    public void DynamicLiteral_WithQuotes_IsEscaped()
    {
        var t = Translate("print d = dynamic({\"k\": \"'); DROP TABLE x; --\"})");
        AssertSingleSelect(t.Sql);
        Assert.Contains("\"''); DROP TABLE x; --\"", t.Sql, StringComparison.Ordinal);
    }

    public static Arbitrary<string> Texts() =>
        ArbMap.Default.ArbFor<NonNull<string>>().Convert(s => s.Get.Replace("\0", "", StringComparison.Ordinal), s => NonNull<string>.NewNonNull(s));

    [Property(Arbitrary = [typeof(TranslatorTests)])]
    public void StringLiteral_AnyText_StaysOneEscapedSqlString(string text)
    {
        var t = Translate($"print s = {Parsing.LexerTests.Escape(text)} | where s == {Parsing.LexerTests.Escape(text)}");
        Assert.Contains(Sql.String(text), t.Sql, StringComparison.Ordinal);
        AssertSingleSelect(t.Sql);
    }

    [Property(Arbitrary = [typeof(TranslatorTests)])]
    public void BracketIdentifier_AnyText_StaysOneQuotedIdentifier(string text)
    {
        var t = Translate($"print [{Parsing.LexerTests.Escape(text)}] = 1");
        Assert.Equal(text, Assert.Single(t.Columns).Name);
        Assert.Contains(Sql.Ident(text), t.Sql, StringComparison.Ordinal);
        AssertSingleSelect(t.Sql);
    }
}
