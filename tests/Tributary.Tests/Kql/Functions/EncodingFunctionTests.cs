using Tributary.Kql;
using static Tributary.Tests.Kql.QueryResultExtensions;

namespace Tributary.Tests.Kql.Functions;

/// <summary>Base64, URL and compressed encodings against the examples of Kusto's documentation.</summary>
public sealed class EncodingFunctionTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    [Theory]
    [InlineData("base64_encode_tostring('Kusto')", "S3VzdG8=")]
    [InlineData("base64_decode_tostring('S3VzdG8=')", "Kusto")]
    [InlineData("base64_encodestring('⒦')", "4pKm")]
    [InlineData("base64_decodestring('4pKm')", "⒦")]
    [InlineData("base64_encode_fromguid(toguid('ae3133f2-6e22-49ae-b06a-16e6a9b212eb'))", "8jMxriJurkmwahbmqbIS6w==")]
    [InlineData("url_encode(@'https://www.bing.com/hello world')", "https%3a%2f%2fwww.bing.com%2fhello+world")]
    [InlineData("url_encode_component(@'https://www.bing.com/hello world/')", "https%3a%2f%2fwww.bing.com%2fhello%20world%2f")]
    [InlineData("url_decode(@'https%3a%2f%2fwww.bing.com%2f')", "https://www.bing.com/")]
    [InlineData("url_decode('a+b%20c%zz')", "a b c%zz")]
    [InlineData("url_encode('ä')", "%c3%a4")]
    [InlineData("zlib_compress_to_base64_string('1234567890qwertyuiop')", "eAEBFADr/zEyMzQ1Njc4OTBxd2VydHl1aW9wOAkGdw==")]
    [InlineData("zlib_decompress_from_base64_string('eJwLSS0uUSguKcrMS1cwNDIGACxqBQ4=')", "Test string 123")]
    [InlineData("gzip_compress_to_base64_string('1234567890qwertyuiop')", "H4sIAAAAAAAA/wEUAOv/MTIzNDU2Nzg5MHF3ZXJ0eXVpb3A6m7f2FAAAAA==")]
    [InlineData("gzip_decompress_from_base64_string('H4sIAAAAAAAA/wEUAOv/MTIzNDU2Nzg5MHF3ZXJ0eXVpb3A6m7f2FAAAAA==')", "1234567890qwertyuiop")]
    public void Function_MatchesKustosDocumentedExample(string expression, string expected)
    {
        Assert.Equal(expected, store.Print(expression));
    }

    [Theory]
    [InlineData("base64_decode_tostring('U3RyaW5n0KHR0tGA0L7Rh9C60LA=')")]
    [InlineData("base64_decode_tostring('S3VzdG8')")]
    [InlineData("base64_decode_tostring('not base64!')")]
    [InlineData("base64_encode_fromarray(base64_decode_toarray('U3RyaW5n0KHR0tGA0L7Rh9C60LA'))")]
    [InlineData("base64_encode_fromarray(dynamic([1, 256]))")]
    [InlineData("base64_encode_fromarray(dynamic({'a': 1}))")]
    [InlineData("gzip_decompress_from_base64_string('x0x0x0')")]
    [InlineData("zlib_decompress_from_base64_string('x0x0x0')")]
    [InlineData("zlib_decompress_from_base64_string('S3VzdG8=')")]
    public void Decoding_WhatDoesNotDecode_IsEmpty(string expression)
    {
        Assert.Equal("", store.Print(expression));
    }

    [Fact]
    public void Base64DecodeToArray_MatchesTheDocumentedExample_AndEncodesBack()
    {
        Assert.Equal("[75,117,115,116,111]", Json(store.Print("base64_decode_toarray('S3VzdG8=')")));
        Assert.Null(store.Print("base64_decode_toarray('x0x0x0')"));
        Assert.Equal("S3VzdG8=", store.Run("let bytes_array = toscalar(print base64_decode_toarray('S3VzdG8=')); print r = base64_encode_fromarray(bytes_array)").Single("r"));
    }

    [Fact]
    public void Base64DecodeToGuid_ReadsTheBytesInDotNetsOrder()
    {
        // Kusto's page prints 10e99626-bc2b-754c-…, with the third group's bytes in the order encoded; .NET (and
        // base64_encode_fromguid's documented example) reads that group little-endian.
        Assert.Equal(Guid.Parse("10e99626-bc2b-4c75-bb3e-fe606de25700"), store.Print("base64_decode_toguid('JpbpECu8dUy7Pv5gbeJXAA==')"));
        Assert.Null(store.Print("base64_decode_toguid('abcd1231')"));
        Assert.Equal("8jMxriJurkmwahbmqbIS6w==", store.Print("base64_encode_fromguid(base64_decode_toguid('8jMxriJurkmwahbmqbIS6w=='))"));
    }

    [Fact]
    public void Encodings_OfAColumn_RoundTripRowByRow()
    {
        var result = store.Run("datatable(s:string)['Kusto', 'hello world', ''] | extend b = base64_decode_tostring(base64_encode_tostring(s)), u = url_decode(url_encode(s)), z = zlib_decompress_from_base64_string(zlib_compress_to_base64_string(s)), g = gzip_decompress_from_base64_string(gzip_compress_to_base64_string(s))");
        string[] expected = ["Kusto", "hello world", ""];
        Assert.Equal(expected, result.Column("b"));
        Assert.Equal(expected, result.Column("u"));
        Assert.Equal(expected, result.Column("z"));
        Assert.Equal(expected, result.Column("g"));
    }

    [Theory]
    [InlineData("base64_encode_fromguid('abcd1231')", 34, "base64_encode_fromguid() expects a guid but argument 1 is string")]
    [InlineData("base64_encode_fromarray('abc')", 35, "base64_encode_fromarray() expects a dynamic array but argument 1 is string")]
    public void Function_WithAWrongArgument_IsAnErrorAtTheArgument(string expression, int column, string message)
    {
        var e = Assert.Throws<KqlException>(() => store.Run($"print r = {expression}"));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal((1, column), (e.Line, e.Column));
    }
}
