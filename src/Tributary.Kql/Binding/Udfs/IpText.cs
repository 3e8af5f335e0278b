using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Tributary.Kql.Binding.Udfs;

/// <summary>
/// IP addresses in text as Kusto's IPv4 and IPv6 functions read them: an address with an optional prefix length
/// (<c>192.168.1.1/24</c>, <c>fe80::1/120</c>). IPv4 is exactly four decimal octets. As IPv6, an IPv4 address (or
/// one written <c>::a.b.c.d</c> or <c>::ffff:a.b.c.d</c>) is the IPv4-mapped address <c>::ffff:a.b.c.d</c> and its
/// prefix counts from bit 96. Parsing never throws; what does not parse is reported as false.
/// </summary>
internal static class IpText
{
    /// <summary>One decimal octet, 0 to 255, without leading zeros, as a regular expression (RE2 and .NET read it alike).</summary>
    private const string OctetPattern = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";

    /// <summary>The 96 bits an IPv4-mapped IPv6 address starts with: 80 zeros and 16 ones.</summary>
    private static readonly UInt128 MappedV4 = (UInt128)0xffff << 32;

    /// <summary>An IPv4 address with an optional <c>/prefix</c> (0 to 32; 32 when absent).</summary>
    public static bool TryParseV4(string text, out uint address, out int prefix)
    {
        address = 0;
        prefix = 32;
        var (body, suffix) = SplitPrefix(text);
        if (suffix is not null && !TryParsePrefix(suffix, 32, out prefix))
        {
            return false;
        }

        return TryParseOctets(body, out address);
    }

    /// <summary>An IPv6 (or IPv4, mapped) address with an optional <c>/prefix</c> (0 to 128; 128 when absent).</summary>
    public static bool TryParseV6(string text, out UInt128 address, out int prefix)
    {
        address = 0;
        prefix = 128;
        if (TryParseV4(text, out var v4, out var v4Prefix))
        {
            (address, prefix) = (MappedV4 | v4, 96 + v4Prefix);
            return true;
        }

        var (body, suffix) = SplitPrefix(text);
        if (!body.Contains(':', StringComparison.Ordinal) || body.AsSpan().IndexOfAny("%[]/ ") >= 0
            || !IPAddress.TryParse(body, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        address = ToUInt128(ip.GetAddressBytes());
        var embedsV4 = body.Contains('.', StringComparison.Ordinal) && (address >> 32 == 0 || address >> 32 == 0xffff);
        if (embedsV4)
        {
            // ::a.b.c.d is read as ::ffff:a.b.c.d, and its prefix is the IPv4 address's.
            address |= MappedV4;
        }

        if (suffix is not null)
        {
            if (!TryParsePrefix(suffix, embedsV4 ? 32 : 128, out prefix))
            {
                return false;
            }

            prefix += embedsV4 ? 96 : 0;
        }

        return true;
    }

    /// <summary>
    /// A regular expression (for RE2 and .NET alike) that finds, in text, a valid IPv4 address that is
    /// <paramref name="address"/> — or, when <paramref name="isPrefix"/>, starts with it, where a prefix is one to three
    /// octets each followed by a dot (<c>192.168.</c>) — with no letter or digit right before or after it. Null when
    /// <paramref name="address"/> is not such an address or prefix (so nothing can match).
    /// </summary>
    public static string? V4SearchPattern(string address, bool isPrefix)
    {
        var octets = address.Split('.');
        int given;
        if (TryParseOctets(address, out _))
        {
            given = 4;
        }
        else if (isPrefix && octets is [_, .., ""] && octets.Length <= 4 && TryParseOctets(string.Join('.', [.. octets[..^1], .. Enumerable.Repeat("0", 5 - octets.Length)]), out _))
        {
            given = octets.Length - 1;
        }
        else
        {
            return null;
        }

        var rest = given == 4 ? "" : OctetPattern + string.Concat(Enumerable.Repeat(@"\." + OctetPattern, 3 - given));
        return $"(?:^|[^0-9A-Za-z]){address.Replace(".", @"\.", StringComparison.Ordinal)}{rest}(?:$|[^0-9A-Za-z])";
    }

    /// <summary>The mask that keeps the <paramref name="prefix"/> most significant of 32 bits.</summary>
    public static uint MaskV4(int prefix) => prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);

    /// <summary>The mask that keeps the <paramref name="prefix"/> most significant of 128 bits.</summary>
    public static UInt128 MaskV6(int prefix) => prefix == 0 ? 0 : UInt128.MaxValue << (128 - prefix);

    public static string FormatV4(uint address) =>
        string.Join('.', address >> 24, (address >> 16) & 0xff, (address >> 8) & 0xff, address & 0xff);

    /// <summary>The eight groups of four lower-case hex digits, none left out (<c>0000:…:ffff:c0a8:0101</c>).</summary>
    public static string FormatV6(UInt128 address) =>
        string.Join(':', Enumerable.Range(0, 8).Select(i => ((ushort)(address >> (112 - (16 * i)))).ToString("x4", CultureInfo.InvariantCulture)));

    private static (string Body, string? Prefix) SplitPrefix(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (text, null) : (text[..slash], text[(slash + 1)..]);
    }

    private static bool TryParsePrefix(string text, int max, out int prefix) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) && prefix <= max;

    private static bool TryParseOctets(string text, out uint address)
    {
        address = 0;
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || !byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var octet))
            {
                return false;
            }

            address = (address << 8) | octet;
        }

        return true;
    }

    private static UInt128 ToUInt128(byte[] bytes)
    {
        UInt128 value = 0;
        foreach (var b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }
}
