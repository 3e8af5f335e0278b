using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tributary.Kql.Binding.Udfs;

/// <summary>
/// parse_url and parse_urlquery: a URL's parts as a property bag of strings (empty when the URL has no such part), and
/// the query's parameters as a bag of decoded values. A URL is split as RFC 3986 reads it — scheme://authority/path?query#fragment
/// — without normalizing anything; text that is no absolute URL gives a bag of empty parts.
/// </summary>
internal static partial class UrlUdfs
{
    public static IReadOnlyList<ScalarUdf> All { get; } =
    [
        ScalarUdf.Create<string?, string>("kql_parse_url", ParseUrl),
        ScalarUdf.Create<string?, string>("kql_parse_urlquery", ParseUrlQuery),
    ];

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string ParseUrl(string? url)
    {
        var match = Url().Match(url ?? "");
        var authority = Authority().Match(match.Groups["authority"].Value);
        string Part(Match m, string name) => m.Success ? m.Groups[name].Value : "";
        var bag = new JsonObject
        {
            ["Scheme"] = Part(match, "scheme"),
            ["Host"] = Part(authority, "host"),
            ["Port"] = Part(authority, "port"),
            ["Path"] = Part(match, "path"),
            ["Username"] = Part(authority, "user"),
            ["Password"] = Part(authority, "password"),
            ["Query Parameters"] = Parameters(Part(match, "query")),
            ["Fragment"] = Part(match, "fragment"),
        };
        return bag.ToJsonString(Compact);
    }

    private static string ParseUrlQuery(string? query) =>
        new JsonObject { ["Query Parameters"] = Parameters((query ?? "").TrimStart('?')) }.ToJsonString(Compact);

    /// <summary>k1=v1&amp;k2=v2 as {"k1": "v1", "k2": "v2"}: keys and values URL-decoded, a key without '=' has "", the last of a repeated key wins.</summary>
    private static JsonObject Parameters(string query)
    {
        var parameters = new JsonObject();
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = WebUtility.UrlDecode(equals < 0 ? pair : pair[..equals]);
            parameters[key] = equals < 0 ? "" : WebUtility.UrlDecode(pair[(equals + 1)..]);
        }

        return parameters;
    }

    [GeneratedRegex(@"^(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://(?<authority>[^/?#]*)(?<path>[^?#]*)(?:\?(?<query>[^#]*))?(?:#(?<fragment>.*))?$", RegexOptions.Singleline)]
    private static partial Regex Url();

    // [user[:password]@]host[:port]; a host may be an IPv6 address in brackets.
    [GeneratedRegex(@"^(?:(?<user>[^:@]*)(?::(?<password>[^@]*))?@)?(?<host>\[[^\]]*\]|[^:]*)(?::(?<port>\d*))?$")]
    private static partial Regex Authority();
}
