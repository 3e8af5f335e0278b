using static Tributary.Tests.Kql.QueryResultExtensions;

namespace Tributary.Tests.Kql.Functions;

/// <summary>parse_url and parse_urlquery against the examples of Kusto's documentation.</summary>
public sealed class UrlFunctionTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private string Print(string expression) => Json(store.Run($"print r = {expression}").Single("r"));

    [Fact]
    public void ParseUrl_KustosExample_EveryPart()
    {
        // Kusto's page prints the path without its leading '/'; the path of an absolute URL starts with it, as Kusto returns it.
        Assert.Equal(
            "{\"Scheme\":\"scheme\",\"Host\":\"host\",\"Port\":\"1234\",\"Path\":\"/this/is/a/path\",\"Username\":\"username\",\"Password\":\"password\"," +
            "\"Query Parameters\":{\"k1\":\"v1\",\"k2\":\"v2\"},\"Fragment\":\"fragment\"}",
            Print("parse_url(\"scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment\")"));
    }

    [Fact]
    public void ParseUrl_MissingPartsAreEmpty_AndValuesDecoded()
    {
        Assert.Equal(
            "{\"Scheme\":\"https\",\"Host\":\"example.com\",\"Port\":\"\",\"Path\":\"\",\"Username\":\"\",\"Password\":\"\",\"Query Parameters\":{\"q\":\"a b\",\"flag\":\"\"},\"Fragment\":\"\"}",
            Print("parse_url('https://example.com?q=a%20b&flag')"));
        Assert.Equal("[::1]", Json(store.Run("print u = 'http://[::1]:8080/x' | project r = parse_url(u).Host").Single("r")).Trim('"'));
    }

    [Fact]
    public void ParseUrl_TextThatIsNoAbsoluteUrl_GivesEmptyParts()
    {
        Assert.Equal(
            "{\"Scheme\":\"\",\"Host\":\"\",\"Port\":\"\",\"Path\":\"\",\"Username\":\"\",\"Password\":\"\",\"Query Parameters\":{},\"Fragment\":\"\"}",
            Print("parseurl('bing.com')"));
    }

    [Fact]
    public void ParseUrlQuery_KustosExamples()
    {
        Assert.Equal("{\"Query Parameters\":{\"k1\":\"v1\",\"k2\":\"v2\",\"k3\":\"v3\"}}", Print("parse_urlquery(\"k1=v1&k2=v2&k3=v3\")"));
        var result = store.Run("""
            print UrlQuery = 'view=vs-2019&preserve-view=true'
            | extend view = tostring(parse_urlquery(UrlQuery)["Query Parameters"]['view'])
            | extend preserve = tostring(parse_urlquery(UrlQuery)["Query Parameters"]['preserve-view'])
            """);
        Assert.Equal(["view=vs-2019&preserve-view=true", "vs-2019", "true"], result.Rows[0]);
    }

    [Fact]
    public void ParseUrlQuery_EmptyAndColumn()
    {
        Assert.Equal("{\"Query Parameters\":{}}", Print("parseurlquery('')"));
        var result = store.Run("datatable(q:string)['?a=1', 'b=2&b=3'] | project r = parse_urlquery(q)");
        Assert.Equal(["{\"Query Parameters\":{\"a\":\"1\"}}", "{\"Query Parameters\":{\"b\":\"3\"}}"], result.Column("r").Select(Json));
    }
}
