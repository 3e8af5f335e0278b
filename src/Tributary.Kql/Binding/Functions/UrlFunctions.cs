using static Tributary.Kql.Binding.ExpressionBinder;

namespace Tributary.Kql.Binding.Functions;

/// <summary>URLs split into their parts (C# functions, see <see cref="Udfs.UrlUdfs"/>).</summary>
internal static class UrlFunctions
{
    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("parse_url", Arity.Exactly(1), "parse_url(url: string): dynamic", "The parts of an absolute URL as a bag of strings: Scheme, Host, Port, Path, Username, Password, Query Parameters (a bag) and Fragment; \"\" for a missing part.", c => Parsed(c, "kql_parse_url"))
        {
            Aliases = ["parseurl"],
        },
        new("parse_urlquery", Arity.Exactly(1), "parse_urlquery(query: string): dynamic", "The parameters of a URL query (k1=v1&k2=v2) as {\"Query Parameters\": {…}}, keys and values URL-decoded.", c => Parsed(c, "kql_parse_urlquery"))
        {
            Aliases = ["parseurlquery"],
        },
    ];

    private static SqlValue Parsed(FunctionCall c, string udf) =>
        Derived($"CAST({udf}({c.Text(0).Sql}) AS JSON)", KqlType.Dynamic, c.Arg(0));
}
