using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tributary.Kql.Binding.Udfs;

/// <summary>
/// Kusto's IPv4 and IPv6 functions over <see cref="IpText"/>. Two addresses compare under the shortest of their
/// prefixes and the prefix argument; an address or prefix argument that does not parse (a prefix outside 0 to 32,
/// or 128 for IPv6) gives null, or an empty string where the result is text.
/// </summary>
internal static class IpUdfs
{
    /// <summary>The private networks of RFC 1918: 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16.</summary>
    private static readonly (uint Network, int Prefix)[] PrivateV4 = [(0x0a000000, 8), (0xac100000, 12), (0xc0a80000, 16)];

    public static IReadOnlyList<ScalarUdf> All { get; } =
    [
        ScalarUdf.Create<string, long, long?>("kql_parse_ipv4_mask", ParseV4),
        ScalarUdf.Create<string, string, long, long?>("kql_ipv4_compare", CompareV4),
        ScalarUdf.Create<string, long?>("kql_ipv4_netmask_suffix", text => IpText.TryParseV4(text, out _, out var prefix) ? prefix : null),
        ScalarUdf.Create<string, bool?>("kql_ipv4_is_private", IsPrivateV4),
        ScalarUdf.Create<string, long, bool, string>("kql_format_ipv4", FormatV4),
        ScalarUdf.Create<string, string, string?>("kql_ipv4_range_to_cidr_list", RangeToCidrList),
        ScalarUdf.Create<string, long, string>("kql_parse_ipv6_mask", ParseV6),
        ScalarUdf.Create<string, string, long, long?>("kql_ipv6_compare", CompareV6),
        ScalarUdf.Create<string, string, bool, bool?>("kql_ip_is_in_any_range", IsInAnyRange),
        ScalarUdf.Create<string, string, bool, bool>("kql_has_any_ipv4", HasAnyV4),
    ];

    /// <summary>The address as a long, masked by the shorter of its prefix and <paramref name="prefix"/>.</summary>
    private static long? ParseV4(string text, long prefix) =>
        IpText.TryParseV4(text, out var address, out var own) && prefix is >= 0 and <= 32
            ? address & IpText.MaskV4(Math.Min(own, (int)prefix))
            : null;

    private static long? CompareV4(string a, string b, long prefix)
    {
        if (!IpText.TryParseV4(a, out var x, out var px) || !IpText.TryParseV4(b, out var y, out var py) || prefix is < 0 or > 32)
        {
            return null;
        }

        var mask = IpText.MaskV4(Math.Min(Math.Min(px, py), (int)prefix));
        return (x & mask).CompareTo(y & mask);
    }

    private static long? CompareV6(string a, string b, long prefix)
    {
        if (!IpText.TryParseV6(a, out var x, out var px) || !IpText.TryParseV6(b, out var y, out var py) || prefix is < 0 or > 128)
        {
            return null;
        }

        var mask = IpText.MaskV6(Math.Min(Math.Min(px, py), (int)prefix));
        return (x & mask).CompareTo(y & mask);
    }

    private static bool? IsPrivateV4(string text)
    {
        if (!IpText.TryParseV4(text, out var address, out var prefix))
        {
            return null;
        }

        var network = address & IpText.MaskV4(prefix);
        return PrivateV4.Any(p => (network & IpText.MaskV4(p.Prefix)) == p.Network);
    }

    /// <summary>
    /// The address (dotted text, or a number from 0 to 2^32 - 1 in big-endian order) masked by the shorter of its
    /// prefix and <paramref name="prefix"/>, with <c>/prefix</c> after it when <paramref name="withPrefix"/>; "" when it does not parse.
    /// </summary>
    private static string FormatV4(string text, long prefix, bool withPrefix)
    {
        int own = 32;
        if (!(uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var address) || IpText.TryParseV4(text, out address, out own)) || prefix is < 0 or > 32)
        {
            return "";
        }

        var effective = Math.Min(own, (int)prefix);
        var formatted = IpText.FormatV4(address & IpText.MaskV4(effective));
        return withPrefix ? $"{formatted}/{effective.ToString(CultureInfo.InvariantCulture)}" : formatted;
    }

    /// <summary>The fewest CIDR blocks that together cover the addresses from start to end, as a JSON array; [] when start is after end.</summary>
    private static string? RangeToCidrList(string start, string end)
    {
        if (!IpText.TryParseV4(start, out var from, out _) || !IpText.TryParseV4(end, out var to, out _))
        {
            return null;
        }

        var blocks = new List<string>();
        for (ulong next = from; next <= to;)
        {
            // The largest block aligned at next that does not run past the end.
            var size = next == 0 ? 1UL << 32 : next & (~next + 1);
            while (next + size - 1 > to)
            {
                size >>= 1;
            }

            blocks.Add($"{IpText.FormatV4((uint)next)}/{32 - BitOperations.Log2(size)}");
            next += size;
        }

        return JsonSerializer.Serialize(blocks);
    }

    private static string ParseV6(string text, long prefix) =>
        IpText.TryParseV6(text, out var address, out var own) && prefix is >= 0 and <= 128
            ? IpText.FormatV6(address & IpText.MaskV6(Math.Min(own, (int)prefix)))
            : "";

    /// <summary>Whether the address is in any of the ranges (a JSON array of strings); null when the address does not parse.</summary>
    private static bool? IsInAnyRange(string address, string rangesJson, bool v6)
    {
        var parses = v6 ? IpText.TryParseV6(address, out _, out _) : IpText.TryParseV4(address, out _, out _);
        if (!parses)
        {
            return null;
        }

        return StringsOf(rangesJson).Any(range => (v6 ? CompareV6(address, range, 128) : CompareV4(address, range, 32)) == 0);
    }

    /// <summary>Whether the text holds one of the IPv4 addresses (or, when <paramref name="prefixes"/>, address prefixes) of a JSON array.</summary>
    private static bool HasAnyV4(string text, string candidatesJson, bool prefixes) =>
        StringsOf(candidatesJson).Select(c => IpText.V4SearchPattern(c, prefixes)).Any(p => p is not null && Regex.IsMatch(text, p, RegexOptions.CultureInvariant));

    private static string[] StringsOf(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind switch
            {
                JsonValueKind.Array => [.. document.RootElement.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)],
                JsonValueKind.String => [document.RootElement.GetString()!],
                _ => [],
            };
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
