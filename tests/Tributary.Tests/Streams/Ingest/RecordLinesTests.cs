using System.Text;
using Tributary.Streams.Ingest;

namespace Tributary.Tests.Streams.Ingest;

/// <summary>The lines of a produce request: one record per non-empty line, JSON checked where needed, keys from a field, limits; a bad line names itself.</summary>
public sealed class RecordLinesTests
{
    private static RecordLines Parse(string text, LineFormat format = LineFormat.Text, string? keyField = null, int maxRecords = int.MaxValue, int maxRecordBytes = RecordLines.DefaultMaxRecordBytes) =>
        RecordLines.Parse(Encoding.UTF8.GetBytes(text), format, keyField, maxRecords, maxRecordBytes);

    private static string Text(byte[]? bytes) => bytes is null ? "<none>" : Encoding.UTF8.GetString(bytes);

    [Fact]
    public void Parse_PlainLines_OneRecordPerNonEmptyLineWithItsLineNumber()
    {
        var lines = Parse("\uFEFFfirst\r\n\r\n  \nsecond line\n\tthird\n");

        Assert.Equal(["first", "second line", "\tthird"], lines.Records.Select(r => Text(r.Value)));
        Assert.Equal([1, 4, 5], lines.Records.Select(r => r.Line));
        Assert.All(lines.Records, r => Assert.Null(r.Key));
        Assert.Equal(LineFormat.Text, lines.Format);
    }

    [Fact]
    public void Parse_JsonLineNotUtf8_NamesLineAndByte_TextLinesMayHoldAnyBytes()
    {
        var text = Encoding.UTF8.GetBytes("{\"a\":\"ok\"}\n{\"a\":\"?\"}\n");
        text[Array.IndexOf(text, (byte)'?')] = 0xC3;

        var e = Assert.Throws<IngestException>(() => RecordLines.Parse(text, LineFormat.Json, keyField: null));
        Assert.Equal(IngestErrorCodes.InvalidJson, e.Code);
        Assert.Equal("line 2 is not UTF-8: byte 7 of the line (0xC3) starts no UTF-8 character; JSON text is UTF-8", e.Message);
        Assert.Throws<IngestException>(() => RecordLines.Parse(text, LineFormat.Text, keyField: "a"));
        Assert.Equal(2, RecordLines.Parse(text, LineFormat.Text, keyField: null).Records.Count);
    }

    [Fact]
    public void Parse_NoTrailingNewline_LastLineCounts()
    {
        Assert.Equal(["a", "b"], Parse("a\nb").Records.Select(r => Text(r.Value)));
        Assert.Empty(Parse("").Records);
        Assert.Empty(Parse("\n \r\n").Records);
    }

    [Fact]
    public void Parse_JsonLines_KeptByteForByte()
    {
        var lines = Parse("{\"a\": 1,  \"é\": \"x\"}\n[1,2]\n\"s\"\n", LineFormat.Json);
        Assert.Equal(["{\"a\": 1,  \"é\": \"x\"}", "[1,2]", "\"s\""], lines.Records.Select(r => Text(r.Value)));
    }

    [Theory]
    [InlineData("{\"a\":1}\n{\"a\":2\n", 2, "line 2 is not valid JSON")]
    [InlineData("{\"a\":1}\n\nnot json\n", 3, "line 3 is not valid JSON: ")]
    [InlineData("{\"a\":1} {\"b\":2}\n", 1, "line 1 is not valid JSON: '{' is invalid after a single JSON value")]
    public void Parse_JsonLinesWithABadLine_RefusedNamingTheLine(string text, int line, string start)
    {
        var e = Assert.Throws<IngestException>(() => Parse(text, LineFormat.Json));
        Assert.Equal(IngestErrorCodes.InvalidJson, e.Code);
        Assert.Equal(IngestRejection.BadInput, e.Rejection);
        Assert.StartsWith(start, e.Message, StringComparison.Ordinal);
        Assert.Contains($"line {line} ", e.Message, StringComparison.Ordinal);
        Assert.Matches(@"\(at byte \d+ of the line\)$", e.Message);
    }

    [Fact]
    public void Parse_KeyField_StringNumberBooleanAndNestedPaths()
    {
        var lines = Parse("{\"id\":\"d-1\"}\n{\"id\":42}\n{\"id\":true}\n", keyField: "id");
        Assert.Equal(["d-1", "42", "true"], lines.Records.Select(r => Text(r.Key)));
        Assert.Equal("id", lines.KeyField);

        var nested = Parse("{\"context\":{\"did\":\"dev-7\"},\"eid\":\"LOG\"}\n", LineFormat.Json, "context.did");
        Assert.Equal("dev-7", Text(Assert.Single(nested.Records).Key));
    }

    [Theory]
    [InlineData("{\"id\":1}\n{\"other\":2}\n", "line 2 has no key field 'id'")]
    [InlineData("{\"id\":null}\n", "line 1: key field 'id' is null; a key is a string or a number")]
    [InlineData("{\"id\":{\"x\":1}}\n", "line 1: key field 'id' is a JSON object; a key is a string or a number")]
    [InlineData("[1]\n", "line 1 is a JSON array, not an object, so it has no key field 'id'")]
    public void Parse_KeyFieldMissingOrNotAScalar_RefusedNamingTheLine(string text, string message)
    {
        var e = Assert.Throws<IngestException>(() => Parse(text, keyField: "id"));
        Assert.Equal(IngestErrorCodes.MissingKey, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Parse_KeyFieldOnPlainText_SaysTheLineIsNotJson()
    {
        var e = Assert.Throws<IngestException>(() => Parse("{\"id\":1}\nplain words\n", keyField: "id"));
        Assert.StartsWith("line 2 is not JSON, so its key field 'id' cannot be read: ", e.Message, StringComparison.Ordinal);
        Assert.Throws<IngestException>(() => Parse("x\n", keyField: "a..b"));
    }

    [Fact]
    public void Parse_OverTheLimits_TooLargeAndTooMany()
    {
        var big = Assert.Throws<IngestException>(() => Parse("small\n" + new string('x', 101) + "\n", maxRecordBytes: 100));
        Assert.Equal((IngestErrorCodes.RecordTooLarge, IngestRejection.TooLarge), (big.Code, big.Rejection));
        Assert.Equal("line 2 has 101 bytes, more than the 100 a record may have", big.Message);

        var many = Assert.Throws<IngestException>(() => Parse("a\nb\n\nc\n", maxRecords: 2));
        Assert.Equal((IngestErrorCodes.TooManyRecords, IngestRejection.BadInput), (many.Code, many.Rejection));
        Assert.StartsWith("more than 2 records in one request (line 4 is one too many)", many.Message, StringComparison.Ordinal);
        Assert.Equal(2, Parse("a\n\nb\n", maxRecords: 2).Records.Count);
    }

    [Fact]
    public void Join_ThenParse_GivesTheSameRecords()
    {
        var lines = Parse("{\"k\":\"a\",\"v\":1}\n\n{\"k\":\"b\",\"v\":2}\n", LineFormat.Json, "k");
        var again = RecordLines.Parse(RecordLines.Join(lines.Records), LineFormat.Json, "k");
        Assert.Equal(lines.Records.Select(r => (Text(r.Key), Text(r.Value))), again.Records.Select(r => (Text(r.Key), Text(r.Value))));
    }
}
