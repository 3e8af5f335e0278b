using Tributary.Kql;
using static Tributary.Tests.Kql.QueryResultExtensions;

namespace Tributary.Tests.Kql.Functions;

/// <summary>IPv4 and IPv6 functions against the examples of Kusto's documentation.</summary>
public sealed class IpFunctionTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    [Fact]
    public void ParseIpv4_MatchesTheDocumentedExample()
    {
        var result = store.Run("datatable(ip_string: string)['192.168.1.1', '192.168.1.1/24', '255.255.255.255/31', '1.2.3', '256.1.1.1', '1.2.3.4/33', ''] | extend ip_long = parse_ipv4(ip_string)");
        Assert.Equal([3232235777L, 3232235776L, 4294967294L, null, null, null, null], result.Column("ip_long"));
        Assert.Equal(2130706432L, store.Print("parse_ipv4_mask('127.0.0.1', 24)"));
        Assert.Null(store.Print("parse_ipv4_mask('127.0.0.1', 33)"));
    }

    [Theory]
    [InlineData("'192.168.1.0', '192.168.1.0'")]
    [InlineData("'192.168.1.1/24', '192.168.1.255'")]
    [InlineData("'192.168.1.1', '192.168.1.255/24'")]
    [InlineData("'192.168.1.1/30', '192.168.1.255/24'")]
    [InlineData("'192.168.1.1', '192.168.1.0', 31")]
    [InlineData("'192.168.1.1/24', '192.168.1.255', 31")]
    [InlineData("'192.168.1.1', '192.168.1.255', 24")]
    public void Ipv4CompareAndIsMatch_MatchTheDocumentedEqualities(string arguments)
    {
        Assert.Equal(0L, store.Print($"ipv4_compare({arguments})"));
        Assert.Equal(true, store.Print($"ipv4_is_match({arguments})"));
    }

    [Theory]
    [InlineData("ipv4_compare('10.0.0.1', '10.0.0.2')", -1L)]
    [InlineData("ipv4_compare('200.0.0.1', '10.0.0.2')", 1L)]
    [InlineData("ipv4_netmask_suffix('10.1.2.3')", 32L)]
    [InlineData("ipv4_netmask_suffix('192.168.1.1/24')", 24L)]
    [InlineData("ipv4_netmask_suffix('127.0.0.1/16')", 16L)]
    public void Ipv4_NumbersMatchTheDocumentation(string expression, long expected)
    {
        Assert.Equal(expected, store.Print(expression));
    }

    [Theory]
    [InlineData("ipv4_is_match('192.168.1.1/24', '192.168.1.255')", true)]
    [InlineData("ipv4_is_match('192.168.1.1', '192.168.1.2')", false)]
    [InlineData("ipv4_is_in_range('192.168.1.1', '192.168.1.1')", true)]
    [InlineData("ipv4_is_in_range('192.168.1.1', '192.168.1.255/24')", true)]
    [InlineData("ipv4_is_in_range('192.168.2.1', '192.168.1.255/24')", false)]
    [InlineData("ipv4_is_in_any_range('192.168.1.6', '192.168.1.1/24', '10.0.0.1/8', '127.1.0.1/16')", true)]
    [InlineData("ipv4_is_in_any_range('127.0.0.1', dynamic(['127.0.0.1', '192.168.1.1']))", true)]
    [InlineData("ipv4_is_in_any_range('1.1.1.1', dynamic(['127.0.0.1', 'bad']))", false)]
    [InlineData("ipv4_is_private('192.168.1.1/24')", true)]
    [InlineData("ipv4_is_private('10.1.2.3/24')", true)]
    [InlineData("ipv4_is_private('172.31.255.255')", true)]
    [InlineData("ipv4_is_private('172.32.0.0')", false)]
    [InlineData("ipv4_is_private('202.1.2.3')", false)]
    [InlineData("ipv4_is_private('127.0.0.1')", false)]
    public void Ipv4_ChecksMatchTheDocumentation(string expression, bool expected)
    {
        Assert.Equal(expected, store.Print(expression));
    }

    [Theory]
    [InlineData("ipv4_compare('1.2.3', '1.2.3.4')")]
    [InlineData("ipv4_compare('1.2.3.4', '1.2.3.4', 33)")]
    [InlineData("ipv4_is_match('x', '1.2.3.4')")]
    [InlineData("ipv4_is_private('300.1.1.1')")]
    [InlineData("ipv4_netmask_suffix('1.2.3.4/')")]
    [InlineData("ipv4_is_in_any_range('bad', '10.0.0.0/8')")]
    [InlineData("ipv6_compare('fe80::1', 'not an address')")]
    [InlineData("ipv6_is_match('fe80::1%eth0', 'fe80::1')")]
    [InlineData("ipv4_range_to_cidr_list('1.1.1.1', 'x')")]
    public void IpFunction_OfAnAddressThatDoesNotParse_IsNull(string expression)
    {
        Assert.Null(store.Print(expression));
    }

    [Fact]
    public void Ipv4IsInAnyRange_OfAColumn_MatchesTheDocumentedExample()
    {
        var result = store.Run("""
            let LocalNetworks = dynamic(["192.168.1.1/16", "127.0.0.1/8", "10.0.0.1/8"]);
            datatable(IP:string)["10.1.2.3", "192.168.1.5", "123.1.11.21", "1.1.1.1"]
            | extend IsLocal = ipv4_is_in_any_range(IP, LocalNetworks), Private = ipv4_is_private(IP)
            """);
        Assert.Equal([true, true, false, false], result.Column("IsLocal"));
        Assert.Equal([true, true, false, false], result.Column("Private"));
    }

    [Fact]
    public void FormatIpv4_MatchesTheDocumentedExample()
    {
        var result = store.Run("""
            datatable(address:string, mask:long)['192.168.1.1', 24, '192.168.1.1', 32, '192.168.1.1/24', 32, '192.168.1.1/24', long(-1)]
            | extend result = format_ipv4(address, mask), result_mask = format_ipv4_mask(address, mask)
            """);
        Assert.Equal(["192.168.1.0", "192.168.1.1", "192.168.1.0", ""], result.Column("result"));
        Assert.Equal(["192.168.1.0/24", "192.168.1.1/32", "192.168.1.0/24", ""], result.Column("result_mask"));
    }

    [Theory]
    [InlineData("format_ipv4(3232235777)", "192.168.1.1")]
    [InlineData("format_ipv4(parse_ipv4('10.20.30.40'))", "10.20.30.40")]
    [InlineData("format_ipv4_mask('10.20.30.40')", "10.20.30.40/32")]
    [InlineData("format_ipv4(-1)", "")]
    [InlineData("format_ipv4(4294967296)", "")]
    [InlineData("format_ipv4('x')", "")]
    public void FormatIpv4_TakesTextOrANumber(string expression, string expected)
    {
        Assert.Equal(expected, store.Print(expression));
    }

    [Theory]
    [InlineData("'1.1.128.0', '1.1.140.255'", """["1.1.128.0/21","1.1.136.0/22","1.1.140.0/24"]""")]
    [InlineData("'10.0.0.0', '10.0.0.0'", """["10.0.0.0/32"]""")]
    [InlineData("'0.0.0.0', '255.255.255.255'", """["0.0.0.0/0"]""")]
    [InlineData("'10.0.0.5', '10.0.0.1'", "[]")]
    public void Ipv4RangeToCidrList_MatchesTheDocumentedExample(string arguments, string expected)
    {
        Assert.Equal(expected, Json(store.Print($"ipv4_range_to_cidr_list({arguments})")));
    }

    [Fact]
    public void ParseIpv6_MatchesTheDocumentedExamples()
    {
        var result = store.Run("datatable(ipv4: string)['192.168.255.255', '192.168.255.255/24', '255.255.255.255', 'bad'] | extend ipv6 = parse_ipv6(ipv4)");
        Assert.Equal(
            ["0000:0000:0000:0000:0000:ffff:c0a8:ffff", "0000:0000:0000:0000:0000:ffff:c0a8:ff00", "0000:0000:0000:0000:0000:ffff:ffff:ffff", ""],
            result.Column("ipv6"));
    }

    [Theory]
    [InlineData("192.168.255.255", 120, "0000:0000:0000:0000:0000:ffff:c0a8:ff00")]
    [InlineData("192.168.255.255/24", 124, "0000:0000:0000:0000:0000:ffff:c0a8:ff00")]
    [InlineData("255.255.255.255", 128, "0000:0000:0000:0000:0000:ffff:ffff:ffff")]
    [InlineData("fe80::85d:e82c:9446:7994", 128, "fe80:0000:0000:0000:085d:e82c:9446:7994")]
    [InlineData("fe80::85d:e82c:9446:7994/120", 124, "fe80:0000:0000:0000:085d:e82c:9446:7900")]
    [InlineData("::192.168.255.255", 128, "0000:0000:0000:0000:0000:ffff:c0a8:ffff")]
    [InlineData("::192.168.255.255/24", 128, "0000:0000:0000:0000:0000:ffff:c0a8:ff00")]
    [InlineData("fe80::1", 129, "")]
    public void ParseIpv6Mask_MatchesTheDocumentedExamples(string ip, long prefix, string expected)
    {
        Assert.Equal(expected, store.Print($"parse_ipv6_mask('{ip}', {prefix})"));
    }

    [Theory]
    [InlineData("'192.168.1.1', '192.168.1.1'")]
    [InlineData("'192.168.1.1/24', '192.168.1.255'")]
    [InlineData("'192.168.1.1', '192.168.1.255/24'")]
    [InlineData("'192.168.1.1/30', '192.168.1.255/24'")]
    [InlineData("'fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7994'")]
    [InlineData("'fe80::85d:e82c:9446:7994/120', 'fe80::85d:e82c:9446:7998'")]
    [InlineData("'fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7998/120'")]
    [InlineData("'fe80::85d:e82c:9446:7994/120', 'fe80::85d:e82c:9446:7998/120'")]
    [InlineData("'192.168.1.1', '::ffff:c0a8:0101'")]
    [InlineData("'192.168.1.1/24', '::ffff:c0a8:01ff'")]
    [InlineData("'::ffff:c0a8:0101', '192.168.1.255/24'")]
    [InlineData("'::192.168.1.1/30', '192.168.1.255/24'")]
    [InlineData("'192.168.1.1', '192.168.1.0', 31")]
    [InlineData("'192.168.1.1/24', '192.168.1.255', 31")]
    [InlineData("'192.168.1.1', '192.168.1.255', 24")]
    [InlineData("'fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7995', 127")]
    [InlineData("'fe80::85d:e82c:9446:7994/127', 'fe80::85d:e82c:9446:7998', 120")]
    [InlineData("'fe80::85d:e82c:9446:7994/120', 'fe80::85d:e82c:9446:7998', 127")]
    [InlineData("'192.168.1.1/24', '::ffff:c0a8:01ff', 127")]
    [InlineData("'::ffff:c0a8:0101', '192.168.1.255', 120")]
    [InlineData("'::192.168.1.1/30', '192.168.1.255/24', 127")]
    public void Ipv6CompareAndIsMatch_MatchTheDocumentedEqualities(string arguments)
    {
        Assert.Equal(0L, store.Print($"ipv6_compare({arguments})"));
        Assert.Equal(true, store.Print($"ipv6_is_match({arguments})"));
    }

    [Theory]
    [InlineData("ipv6_compare('fe80::1', 'fe80::2')", -1L)]
    [InlineData("ipv6_compare('fe80::1', '::1')", 1L)]
    [InlineData("ipv6_compare('::ffff:1.2.3.4', '1.2.3.4')", 0L)]
    public void Ipv6Compare_OrdersAddresses(string expression, long expected)
    {
        Assert.Equal(expected, store.Print(expression));
    }

    [Fact]
    public void Ipv6IsInRangeAndAnyRange_MatchTheDocumentedExamples()
    {
        var range = store.Run("""
            datatable(ip_address:string, ip_range:string)[
             'a5e:f127:8a9d:146d:e102:b5d3:c755:abcd', 'a5e:f127:8a9d:146d:e102:b5d3:c755:0000/112',
             'a5e:f127:8a9d:146d:e102:b5d3:c755:abcd', 'a5e:f127:8a9d:146d:e102:b5d3:c755:abcd',
             'a5e:f127:8a9d:146d:e102:b5d3:c755:abcd', '0:0:0:0:0:ffff:c0a8:ac/60']
            | extend result = ipv6_is_in_range(ip_address, ip_range)
            """);
        Assert.Equal([true, true, false], range.Column("result"));

        var any = store.Run("""
            let LocalNetworks = dynamic(["a5e:f127:8a9d:146d:e102:b5d3:c755:f6cd/112", "0:0:0:0:0:ffff:c0a8:ac/60"]);
            datatable(IP:string)["a5e:f127:8a9d:146d:e102:b5d3:c755:abcd", "a5e:f127:8a9d:146d:e102:b5d3:c755:abce", "a5e:f127:8a9d:146d:e102:b5d3:c755:abcf", "a5e:f127:8a9d:146d:e102:b5d3:c756:abd1"]
            | extend IsLocal = ipv6_is_in_any_range(IP, LocalNetworks)
            """);
        Assert.Equal([true, true, true, false], any.Column("IsLocal"));
        Assert.Equal(true, store.Print("ipv6_is_in_any_range('fe80::5', 'fe80::/64', '::1')"));
    }

    [Theory]
    [InlineData("has_ipv4('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0.0.1')", true)]
    [InlineData("has_ipv4('05:04:54 127.0.0.256 GET /favicon.ico 404', '127.0.0.256')", false)]
    [InlineData("has_ipv4('05:04:54127.0.0.1 GET /favicon.ico 404', '127.0.0.1')", false)]
    [InlineData("has_ipv4('127.0.0.1', '127.0.0.1')", true)]
    [InlineData("has_ipv4('127.0.0.12', '127.0.0.1')", false)]
    [InlineData("has_ipv4_prefix('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0.')", true)]
    [InlineData("has_ipv4_prefix('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0')", false)]
    [InlineData("has_ipv4_prefix('05:04:54 127.0.0.256 GET /favicon.ico 404', '127.0.')", false)]
    [InlineData("has_ipv4_prefix('05:04:54127.0.0.1 GET /favicon.ico 404', '127.0.')", false)]
    [InlineData("has_ipv4_prefix('from 10.1.1.115.', '10.1.1.115')", true)]
    [InlineData("has_any_ipv4('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0.0.1', '127.0.0.2')", true)]
    [InlineData("has_any_ipv4('05:04:54 127.0.0.1 GET /favicon.ico 404', dynamic(['127.0.0.1', '127.0.0.2']))", true)]
    [InlineData("has_any_ipv4('05:04:54 127.0.0.256 GET /favicon.ico 404', dynamic(['127.0.0.256', '192.168.1.1']))", false)]
    [InlineData("has_any_ipv4('05:04:54127.0.0.1 GET /favicon.ico 404', '127.0.0.1', '192.168.1.1')", false)]
    [InlineData("has_any_ipv4_prefix('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0.', '192.168.')", true)]
    [InlineData("has_any_ipv4_prefix('05:04:54 127.0.0.1 GET /favicon.ico 404', dynamic(['127.0.', '192.168.']))", true)]
    [InlineData("has_any_ipv4_prefix('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0')", false)]
    [InlineData("has_any_ipv4_prefix('05:04:54127.0.0.1 GET /favicon.ico 404', '127.0.', '192.')", false)]
    public void HasIpv4_MatchesTheDocumentedExamples(string expression, bool expected)
    {
        Assert.Equal(expected, store.Print(expression));
    }

    [Fact]
    public void HasIpv4_WithAddressesFromAColumn_FindsTheSameAsWithConstants()
    {
        var result = store.Run("""
            datatable(text:string, ip:string)[
             '05:04:54 127.0.0.1 GET', '127.0.0.1',
             '05:04:54 127.0.0.256 GET', '127.0.0.256',
             'at 10.1.2.3, then', '10.1.',
             'at 10.1.2.3, then', '10.1']
            | extend h = has_ipv4(text, ip), p = has_ipv4_prefix(text, ip), a = has_any_ipv4_prefix(text, pack_array(ip, '192.'))
            """);
        Assert.Equal([true, false, false, false], result.Column("h"));
        Assert.Equal([true, false, true, false], result.Column("p"));
        Assert.Equal([true, false, true, false], result.Column("a"));
    }

    [Theory]
    [InlineData("format_ipv4(1.5)", 23, "format_ipv4() expects a string or a whole number but argument 1 is real")]
    [InlineData("parse_ipv4_mask('1.2.3.4', '24')", 38, "parse_ipv4_mask() expects a whole number (int or long) but argument 2 is string")]
    [InlineData("ipv4_is_in_any_range('1.2.3.4', '1.2.3.4', dynamic(['1.2.3.4']))", 54, "ipv4_is_in_any_range() takes either strings or one dynamic array after its first argument")]
    public void IpFunction_WithAWrongArgument_IsAnErrorAtTheArgument(string expression, int column, string message)
    {
        var e = Assert.Throws<KqlException>(() => store.Run($"print r = {expression}"));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal((1, column), (e.Line, e.Column));
    }
}
