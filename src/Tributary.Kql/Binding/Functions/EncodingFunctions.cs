using static Tributary.Kql.Binding.ExpressionBinder;

namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// Base64, URL and compressed encodings (strings are encoded as UTF-8). What does not decode gives an empty string
/// (null for a guid or an array).
/// </summary>
internal static class EncodingFunctions
{
    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("base64_encode_tostring", Arity.Exactly(1), "base64_encode_tostring(text: string): string", "The text's UTF-8 bytes in base64.", c => Text(c, $"to_base64(encode({c.Text(0).Sql}))"))
        {
            Aliases = ["base64_encodestring"],
        },
        new("base64_decode_tostring", Arity.Exactly(1), "base64_decode_tostring(base64: string): string", "The UTF-8 text a base64 string holds (\"\" when it is not base64 or not UTF-8).", c => Udf(c, "kql_base64_decode_tostring"))
        {
            Aliases = ["base64_decodestring"],
        },
        new("base64_encode_fromguid", Arity.Exactly(1), "base64_encode_fromguid(value: guid): string", "The guid's 16 bytes (in .NET's order) in base64.", EncodeGuid),
        new("base64_decode_toguid", Arity.Exactly(1), "base64_decode_toguid(base64: string): guid", "The guid 16 base64-encoded bytes hold (in .NET's order), or null.", c => Derived($"kql_base64_decode_toguid({c.Text(0).Sql})", KqlType.Guid, c.Arg(0)))
        {
            Difference = "reads the bytes in .NET's order, as base64_encode_fromguid writes them; the example on Kusto's page shows the third group's two bytes the other way round",
        },
        new("base64_decode_toarray", Arity.Exactly(1), "base64_decode_toarray(base64: string): dynamic", "The bytes a base64 string holds, as an array of longs, or null.", c => Derived($"CAST(kql_base64_decode_toarray({c.Text(0).Sql}) AS JSON)", KqlType.Dynamic, c.Arg(0))),
        new("base64_encode_fromarray", Arity.Exactly(1), "base64_encode_fromarray(bytes: dynamic): string", "An array of bytes (whole numbers from 0 to 255) in base64 (\"\" for anything else).", EncodeArray),
        new("url_encode", Arity.Exactly(1), "url_encode(url: string): string", "The text with every character but letters, digits and -_.!*() percent-encoded, a space as +.", c => Udf(c, "kql_url_encode")),
        new("url_encode_component", Arity.Exactly(1), "url_encode_component(url: string): string", "The text with every character but letters, digits and -_.!*() percent-encoded, a space as %20.", c => Udf(c, "kql_url_encode_component")),
        new("url_decode", Arity.Exactly(1), "url_decode(encoded: string): string", "The text with its percent-escapes (and + for a space) decoded.", c => Udf(c, "kql_url_decode")),
        new("zlib_compress_to_base64_string", Arity.Exactly(1), "zlib_compress_to_base64_string(text: string): string", "The text's UTF-8 bytes in zlib format, in base64.", c => Udf(c, "kql_zlib_compress")),
        new("zlib_decompress_from_base64_string", Arity.Exactly(1), "zlib_decompress_from_base64_string(base64: string): string", "The text base64-encoded zlib data holds (\"\" when it does not decode).", c => Udf(c, "kql_zlib_decompress")),
        new("gzip_compress_to_base64_string", Arity.Exactly(1), "gzip_compress_to_base64_string(text: string): string", "The text's UTF-8 bytes in gzip format, in base64.", c => Udf(c, "kql_gzip_compress")),
        new("gzip_decompress_from_base64_string", Arity.Exactly(1), "gzip_decompress_from_base64_string(base64: string): string", "The text base64-encoded gzip data holds (\"\" when it does not decode, or its header has flags).", c => Udf(c, "kql_gzip_decompress")),
    ];

    private static SqlValue Text(FunctionCall c, string sql) => Derived($"coalesce({sql}, '')", KqlType.String, [.. c.Args]);

    /// <summary>A string UDF of the text of argument 0.</summary>
    private static SqlValue Udf(FunctionCall c, string udf) => Text(c, $"{udf}({c.Text(0).Sql})");

    private static SqlValue EncodeGuid(FunctionCall c)
    {
        var guid = c.Arg(0);
        if (guid.Type is not (KqlType.Guid or KqlType.Dynamic))
        {
            throw c.ArgError(0, $"base64_encode_fromguid() expects a guid but argument 1 is {KqlTypes.Name(guid.Type)}");
        }

        return Text(c, $"kql_base64_encode_fromguid({c.ConvertArg(0, KqlType.Guid).Sql})");
    }

    private static SqlValue EncodeArray(FunctionCall c)
    {
        var array = c.Arg(0);
        if (array.Type != KqlType.Dynamic)
        {
            throw c.ArgError(0, $"base64_encode_fromarray() expects a dynamic array but argument 1 is {KqlTypes.Name(array.Type)}");
        }

        return Text(c, $"kql_base64_encode_fromarray(CAST({array.JsonSql} AS VARCHAR))");
    }
}
