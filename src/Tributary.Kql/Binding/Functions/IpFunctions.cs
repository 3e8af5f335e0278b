using System.Text.Json;
using Tributary.Kql.Binding.Udfs;
using static Tributary.Kql.Binding.ExpressionBinder;

namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// IPv4 and IPv6 addresses in text, with Kusto's IP-prefix notation (<c>192.168.1.1/24</c>): two addresses compare
/// under the shortest of their prefixes and the prefix argument, and IPv4 addresses compare with IPv6 ones as
/// IPv4-mapped addresses (<c>::ffff:192.168.1.1</c>). An address that does not parse gives null (an empty string
/// where the result is text). The has_*ipv4* functions find whole, valid addresses in free text.
/// </summary>
internal static class IpFunctions
{
    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("parse_ipv4", Arity.Exactly(1), "parse_ipv4(ip: string): long", "The IPv4 address as a number (big-endian), masked by its prefix.", c => Long(c, $"kql_parse_ipv4_mask({c.Text(0).Sql}, 32)")),
        new("parse_ipv4_mask", Arity.Exactly(2), "parse_ipv4_mask(ip: string, prefix: long): long", "The IPv4 address as a number (big-endian), masked by the prefix (0 to 32).", c => Long(c, $"kql_parse_ipv4_mask({c.Text(0).Sql}, {c.WholeSql(1)})")),
        new("ipv4_compare", Arity.Between(2, 3), "ipv4_compare(ip1: string, ip2: string [, prefix: long]): long", "The order of two IPv4 addresses: -1, 0 or 1 as the first is below, equal to or above the second.", c => Long(c, Compare(c, "kql_ipv4_compare", 32))),
        new("ipv4_is_match", Arity.Between(2, 3), "ipv4_is_match(ip1: string, ip2: string [, prefix: long]): bool", "True when two IPv4 addresses are equal under their prefixes and the prefix argument.", c => Bool(c, $"({Compare(c, "kql_ipv4_compare", 32)} = 0)")),
        new("ipv4_is_in_range", Arity.Exactly(2), "ipv4_is_in_range(ip: string, range: string): bool", "True when the IPv4 address is in the range (IP-prefix notation).", c => Bool(c, $"({Compare(c, "kql_ipv4_compare", 32)} = 0)")),
        new("ipv4_is_in_any_range", Arity.AtLeast(2), "ipv4_is_in_any_range(ip: string, range: string|dynamic, ...): bool", "True when the IPv4 address is in any of the ranges (strings, or one array of them).", c => Bool(c, $"kql_ip_is_in_any_range({c.Text(0).Sql}, {ListJson(c, 1)}, false)")),
        new("ipv4_is_private", Arity.Exactly(1), "ipv4_is_private(ip: string): bool", "True when the IPv4 address is in a private network: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.", c => Bool(c, $"kql_ipv4_is_private({c.Text(0).Sql})")),
        new("ipv4_netmask_suffix", Arity.Exactly(1), "ipv4_netmask_suffix(ip: string): long", "The prefix length of the IPv4 address (32 when it has none).", c => Long(c, $"kql_ipv4_netmask_suffix({c.Text(0).Sql})")),
        new("format_ipv4", Arity.Between(1, 2), "format_ipv4(ip: string|long [, prefix: long]): string", "The IPv4 address (dotted, or a big-endian number) in dotted form, masked by its prefix and the prefix argument.", c => Format(c, withPrefix: false)),
        new("format_ipv4_mask", Arity.Between(1, 2), "format_ipv4_mask(ip: string|long [, prefix: long]): string", "The IPv4 address (dotted, or a big-endian number) in CIDR notation, masked by its prefix and the prefix argument.", c => Format(c, withPrefix: true)),
        new("ipv4_range_to_cidr_list", Arity.Exactly(2), "ipv4_range_to_cidr_list(start: string, end: string): dynamic", "The fewest CIDR blocks that cover the IPv4 addresses from start to end, as an array of strings.", c => Derived($"CAST(kql_ipv4_range_to_cidr_list({c.Text(0).Sql}, {c.Text(1).Sql}) AS JSON)", KqlType.Dynamic, [.. c.Args])),
        new("parse_ipv6", Arity.Exactly(1), "parse_ipv6(ip: string): string", "The IPv6 (or IPv4) address in canonical form, eight groups of four hex digits, masked by its prefix.", c => Text(c, $"kql_parse_ipv6_mask({c.Text(0).Sql}, 128)")),
        new("parse_ipv6_mask", Arity.Exactly(2), "parse_ipv6_mask(ip: string, prefix: long): string", "The IPv6 (or IPv4) address in canonical form, masked by its prefix and the prefix argument (0 to 128).", c => Text(c, $"kql_parse_ipv6_mask({c.Text(0).Sql}, {c.WholeSql(1)})")),
        new("ipv6_compare", Arity.Between(2, 3), "ipv6_compare(ip1: string, ip2: string [, prefix: long]): long", "The order of two IPv6 (or IPv4) addresses: -1, 0 or 1 as the first is below, equal to or above the second.", c => Long(c, Compare(c, "kql_ipv6_compare", 128))),
        new("ipv6_is_match", Arity.Between(2, 3), "ipv6_is_match(ip1: string, ip2: string [, prefix: long]): bool", "True when two IPv6 (or IPv4) addresses are equal under their prefixes and the prefix argument.", c => Bool(c, $"({Compare(c, "kql_ipv6_compare", 128)} = 0)")),
        new("ipv6_is_in_range", Arity.Exactly(2), "ipv6_is_in_range(ip: string, range: string): bool", "True when the IPv6 (or IPv4) address is in the range (IP-prefix notation).", c => Bool(c, $"({Compare(c, "kql_ipv6_compare", 128)} = 0)")),
        new("ipv6_is_in_any_range", Arity.AtLeast(2), "ipv6_is_in_any_range(ip: string, range: string|dynamic, ...): bool", "True when the IPv6 (or IPv4) address is in any of the ranges (strings, or one array of them).", c => Bool(c, $"kql_ip_is_in_any_range({c.Text(0).Sql}, {ListJson(c, 1)}, true)")),
        new("has_ipv4", Arity.Exactly(2), "has_ipv4(text: string, ip: string): bool", "True when the text holds the IPv4 address, with no letter or digit right before or after it.", c => HasV4(c, prefixes: false)),
        new("has_ipv4_prefix", Arity.Exactly(2), "has_ipv4_prefix(text: string, prefix: string): bool", "True when the text holds a valid IPv4 address that starts with the prefix (an address, or octets each ending with a dot: \"192.168.\").", c => HasV4(c, prefixes: true)),
        new("has_any_ipv4", Arity.AtLeast(2), "has_any_ipv4(text: string, ip: string|dynamic, ...): bool", "True when the text holds any of the IPv4 addresses (strings, or one array of them).", c => HasV4(c, prefixes: false)),
        new("has_any_ipv4_prefix", Arity.AtLeast(2), "has_any_ipv4_prefix(text: string, prefix: string|dynamic, ...): bool", "True when the text holds a valid IPv4 address that starts with any of the prefixes (strings, or one array of them).", c => HasV4(c, prefixes: true)),
    ];

    private static SqlValue Long(FunctionCall c, string sql) => Derived(sql, KqlType.Long, [.. c.Args]);

    private static SqlValue Bool(FunctionCall c, string sql) => Derived(sql, KqlType.Bool, [.. c.Args]);

    private static SqlValue Text(FunctionCall c, string sql) => Derived($"coalesce({sql}, '')", KqlType.String, [.. c.Args]);

    /// <summary>The UDF comparing arguments 0 and 1 under argument 2, or the full length when it is absent.</summary>
    private static string Compare(FunctionCall c, string udf, int bits) =>
        $"{udf}({c.Text(0).Sql}, {c.Text(1).Sql}, {(c.Count == 3 ? c.WholeSql(2) : Sql.Long(bits))})";

    private static SqlValue Format(FunctionCall c, bool withPrefix)
    {
        var ip = c.Arg(0);
        if (ip.Type is not (KqlType.String or KqlType.Int or KqlType.Long or KqlType.Dynamic))
        {
            throw c.ArgError(0, $"{c.Name}() expects a string or a whole number but argument 1 is {KqlTypes.Name(ip.Type)}");
        }

        var prefix = c.Count == 2 ? c.WholeSql(1) : "32";
        return Text(c, $"kql_format_ipv4({c.Text(0).Sql}, {prefix}, {(withPrefix ? "TRUE" : "FALSE")})");
    }

    /// <summary>Arguments from <paramref name="first"/> on as one JSON array of strings: one dynamic array as it is, or the strings given.</summary>
    private static string ListJson(FunctionCall c, int first)
    {
        if (c.Count == first + 1 && c.Arg(first).Type == KqlType.Dynamic)
        {
            return $"CAST({c.Arg(first).JsonSql} AS VARCHAR)";
        }

        var items = Enumerable.Range(first, c.Count - first).Select(i => c.Arg(i).Type == KqlType.Dynamic
            ? throw c.ArgError(i, $"{c.Name}() takes either strings or one dynamic array after its first argument")
            : c.Text(i).Sql);
        return $"CAST(to_json([{string.Join(", ", items)}]) AS VARCHAR)";
    }

    /// <summary>
    /// Addresses (or prefixes) known at translation become one regular expression each, run by the engine; others are
    /// matched by the <c>kql_has_any_ipv4</c> UDF with the same expressions.
    /// </summary>
    private static SqlValue HasV4(FunctionCall c, bool prefixes)
    {
        var text = c.Text(0).Sql;
        if (ConstantStrings(c) is { } candidates)
        {
            var tests = candidates.Select(a => IpText.V4SearchPattern(a, prefixes)).OfType<string>().Select(p => $"regexp_matches({text}, {Sql.String(p)})").ToList();
            return Bool(c, tests.Count == 0 ? "FALSE" : $"({string.Join(" OR ", tests)})");
        }

        return Bool(c, $"kql_has_any_ipv4({text}, {ListJson(c, 1)}, {(prefixes ? "TRUE" : "FALSE")})");
    }

    /// <summary>The strings of arguments 1 on when all are constant (strings, or one dynamic array literal); otherwise null.</summary>
    private static List<string>? ConstantStrings(FunctionCall c)
    {
        if (c.Count == 2 && c.Arg(1) is { Type: KqlType.Dynamic, IsConstant: true, Constant: string json })
        {
            try
            {
                using var document = JsonDocument.Parse(json);
                return document.RootElement.ValueKind == JsonValueKind.Array
                    ? [.. document.RootElement.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
                    : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        var args = Enumerable.Range(1, c.Count - 1).Select(c.Arg).ToList();
        return args.All(a => a is { Type: KqlType.String, IsConstant: true, Constant: string }) ? [.. args.Select(a => (string)a.Constant!)] : null;
    }
}
