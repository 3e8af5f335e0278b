using Tributary.Kql;

namespace Tributary.Tests.Kql.Operators;

/// <summary>parse-kv, with Kusto's documented examples.</summary>
public sealed class ParseKvTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private static readonly DateTime EventTime = new(2021, 1, 1, 10, 0, 54, DateTimeKind.Utc);

    [Fact]
    public void ParseKv_Delimiters_Documented()
    {
        var result = store.Run("print str=\"ThreadId:458745723, Machine:Node001, Text: The service is up, Level: Info\" " +
            "| parse-kv str as (Text: string, ThreadId:long, Machine: string) with (pair_delimiter=',', kv_delimiter=':') | project-away str");

        Assert.Equal(["Text", "ThreadId", "Machine"], result.Names());
        Assert.Equal(["The service is up", 458745723L, "Node001"], result.Rows.Single());
    }

    [Fact]
    public void ParseKv_Quote_Documented()
    {
        var result = store.Run("print str='src=10.1.1.123 dst=10.1.1.124 bytes=125 failure=\"connection aborted\" \"event time\"=2021-01-01T10:00:54' " +
            "| parse-kv str as (['event time']:datetime, src:string, dst:string, bytes:long, failure:string) with (pair_delimiter=' ', kv_delimiter='=', quote='\"') | project-away str");

        Assert.Equal([EventTime, "10.1.1.123", "10.1.1.124", 125L, "connection aborted"], result.Rows.Single());
    }

    [Fact]
    public void ParseKv_OpeningAndClosingQuotes_Documented()
    {
        var result = store.Run("print str='src=10.1.1.123 dst=10.1.1.124 bytes=125 failure=(connection aborted) (event time)=(2021-01-01 10:00:54)' " +
            "| parse-kv str as (['event time']:datetime, src:string, dst:string, bytes:long, failure:string) with (pair_delimiter=' ', kv_delimiter='=', quote='()') | project-away str");

        Assert.Equal([EventTime, "10.1.1.123", "10.1.1.124", 125L, "connection aborted"], result.Rows.Single());
    }

    [Fact]
    public void ParseKv_Escape_Documented()
    {
        var result = store.Run("print str='src=10.1.1.123 dst=10.1.1.124 bytes=125 failure=\"the remote host sent \\\\\"bye!\\\\\"\" time=2021-01-01T10:00:54' " +
            "| parse-kv str as (['time']:datetime, src:string, dst:string, bytes:long, failure:string) with (pair_delimiter=' ', kv_delimiter='=', quote='\"', escape='\\\\') | project-away str");

        Assert.Equal([EventTime, "10.1.1.123", "10.1.1.124", 125L, "the remote host sent \"bye!\""], result.Rows.Single());
    }

    [Fact]
    public void ParseKv_NotGreedy_Documented_StopsAtThePairDelimiter()
    {
        var result = store.Run("print str='name=John Doe phone=555 5555 city=New York' " +
            "| parse-kv str as (name:string, phone:string, city:string) with (pair_delimiter=' ', kv_delimiter='=') | project-away str");

        Assert.Equal(["John", "555", "New"], result.Rows.Single());
    }

    [Fact]
    public void ParseKv_Greedy_Documented_RunsToTheNextKey()
    {
        var result = store.Run("print str='name=John Doe phone=555 5555 city=New York' " +
            "| parse-kv str as (name:string, phone:string, city:string) with (pair_delimiter=' ', kv_delimiter='=', greedy=true) | project-away str");

        Assert.Equal(["John Doe", "555 5555", "New York"], result.Rows.Single());
    }

    [Fact]
    public void ParseKv_NoDelimiters_Documented()
    {
        var result = store.Run("print str=\"2021-01-01T10:00:34 [INFO] ThreadId:458745723, Machine:Node001, Text: Started\" " +
            "| parse-kv str as (Text: string, ThreadId:long, Machine: string) | project-away str");

        Assert.Equal(["Started", 458745723L, "Node001"], result.Rows.Single());
    }

    [Fact]
    public void ParseKv_NoDelimitersWithQuote_Documented()
    {
        var result = store.Run("print str=\"2021-01-01T10:00:34 [INFO] ThreadId:458745723, Machine:Node001, Text: 'The service \\\\' is up'\" " +
            "| parse-kv str as (Text: string, ThreadId:long, Machine: string) with (quote=\"'\", escape='\\\\') | project-away str");

        Assert.Equal(["The service ' is up", 458745723L, "Node001"], result.Rows.Single());
    }

    [Fact]
    public void ParseKv_Regex_Documented()
    {
        var result = store.Run("print str=@'[\"referer url: https://hostname.com/redirect?dest=/?h=1234\", \"request url: https://hostname.com/?h=1234\", \"advertiser id: 24fefbca-cf27-4d62-a623-249c2ad30c73\"]' " +
            "| parse-kv str as (['referer url']:string, ['request url']:string, ['advertiser id']: guid) with (regex=@'\"([\\w ]+)\\s*:\\s*([^\"]*)\"') | project-away str");

        Assert.Equal(["https://hostname.com/redirect?dest=/?h=1234", "https://hostname.com/?h=1234", Guid.Parse("24fefbca-cf27-4d62-a623-249c2ad30c73")], result.Rows.Single());
    }

    [Fact]
    public void ParseKv_MissingKeyAndBadValue_GiveEmptyStringAndNull()
    {
        var result = store.Run("print str='a=x;b=2' | parse-kv str as (a:long, b:long, c:string, d:real) with (pair_delimiter=';', kv_delimiter='=') | project-away str");

        Assert.Equal([null, 2L, "", null], result.Rows.Single());
    }

    [Fact]
    public void ParseKv_FirstAppearanceCounts()
    {
        var result = store.Run("print str='a=1,a=2' | parse-kv str as (a:long) with (pair_delimiter=',', kv_delimiter='=')");

        Assert.Equal(1L, result.Single("a"));
    }

    [Fact]
    public void ParseKv_RegexFirstAppearanceAndMissingKey()
    {
        var result = store.Run("print str='a:1 a:2 b:3' | parse-kv str as (a:long, c:long) with (regex=@'(\\w+):(\\d+)')");

        Assert.Equal(1L, result.Single("a"));
        Assert.Null(result.Single("c"));
    }

    [Fact]
    public void ParseKv_OverAColumn_EachRowOnItsOwn()
    {
        var result = store.Run("datatable(s:string)['k=1', 'k=2;j=x', '', 'nothing'] | parse-kv s as (k:long, j:string) with (pair_delimiter=';', kv_delimiter='=') | project k, j");

        Assert.Equal([1L, 2L, null, null], result.Column("k"));
        Assert.Equal(["", "x", "", ""], result.Column("j"));
    }

    [Fact]
    public void ParseKv_ReplacesAColumnOfTheSameName()
    {
        var result = store.Run("print k = 'old', s = 'k=new' | parse-kv s as (k:string) with (pair_delimiter=';', kv_delimiter='=')");

        Assert.Equal(["s", "k"], result.Names());
        Assert.Equal("new", result.Single("k"));
    }

    [Theory]
    [InlineData("with (pair_delimiter=',')", "both pair_delimiter and kv_delimiter", 44)]
    [InlineData("with (pair_delimiter='', kv_delimiter='=')", "non-empty string literal", 65)]
    [InlineData("with (quote='abc')", "one character, or two", 56)]
    [InlineData("with (escape='ab')", "escape is one character", 57)]
    [InlineData("with (greedy=true)", "greedy=true needs pair_delimiter", 44)]
    [InlineData("with (regex='(a)')", "exactly two capturing groups", 56)]
    [InlineData("with (regex='(a')", "invalid regular expression", 56)]
    [InlineData("with (regex='(a)(b)', quote='\"')", "takes no other property", 44)]
    [InlineData("with (colour='red')", "unknown parse-kv property 'colour'", 50)]
    public void ParseKv_BadProperties_ErrorWithPosition(string with, string message, int column)
    {
        var error = Assert.Throws<KqlException>(() => store.Run("print str='a=1' | parse-kv str as (a:long) " + with));

        Assert.Contains(message, error.Message);
        Assert.Equal((1, column), (error.Line, error.Column));
    }

    [Fact]
    public void ParseKv_KeyTwice_ErrorWithPosition()
    {
        var error = Assert.Throws<KqlException>(() => store.Run("print str='a=1' | parse-kv str as (a:long, a:string)"));

        Assert.Contains("names key 'a' twice", error.Message);
        Assert.Equal((1, 44), (error.Line, error.Column));
    }
}
