using System.Text;
using System.Text.Json;
using Tributary.Streams.Processors;

namespace Tributary.Tests.Streams.Processors;

public sealed class JsonRewriterTests
{
    [Fact]
    public void Rewrite_KeepsOtherPropertiesInPlaceAndAsWritten_ReplacesAndAddsFields()
    {
        using var doc = JsonDocument.Parse("""{"eid":"START","ets":1,"context":{"x":"é\u00e9","n":[1,2]},"flags":{"a":1},"syncts":5}""");
        var text = Text(JsonRewriter.Rewrite(doc.RootElement, new JsonField(null, "syncts", 9L), new JsonField("flags", "ex_processed", true), new JsonField(null, "@timestamp", "t")));
        Assert.Equal("""{"eid":"START","ets":1,"context":{"x":"é\u00e9","n":[1,2]},"flags":{"a":1,"ex_processed":true},"syncts":9,"@timestamp":"t"}""", text);
    }

    [Fact]
    public void Rewrite_EscapedPropertyName_IsNotEscapedTwice()
    {
        using var doc = JsonDocument.Parse("""{"a\"b":1,"c\\d":{"e\"f":2}}""");
        var text = Text(JsonRewriter.Rewrite(doc.RootElement, new JsonField("c\\d", "g", 3L)));
        using var back = JsonDocument.Parse(text);
        Assert.Equal(1, back.RootElement.GetProperty("a\"b").GetInt32());
        Assert.Equal(2, back.RootElement.GetProperty("c\\d").GetProperty("e\"f").GetInt32());
        Assert.Equal(3, back.RootElement.GetProperty("c\\d").GetProperty("g").GetInt32());
    }

    [Fact]
    public void Rewrite_ValueLaidOutOverLines_IsWrittenCompactly()
    {
        using var doc = JsonDocument.Parse("{\n  \"context\": {\n    \"a\": [1,\n 2]\n  },\n  \"b\": \"x y\"\n}");
        Assert.Equal("""{"context":{"a":[1,2]},"b":"x y","c":1}""", Text(JsonRewriter.Rewrite(doc.RootElement, new JsonField(null, "c", 1L))));
    }

    [Fact]
    public void AppendFlag_GivesTheSameBytesAsRewritingWithTheFlag()
    {
        using var doc = JsonDocument.Parse("""{"eid":"IMPRESSION","edata":{"type":"view"},"mid":"m-1"}""");
        var stamped = JsonRewriter.Rewrite(doc.RootElement, new JsonField(null, "syncts", 7L));
        var rewritten = JsonRewriter.Rewrite(doc.RootElement, new JsonField(null, "syncts", 7L), new JsonField("flags", "ex_processed", true));
        Assert.Equal(Text(rewritten), Text(JsonRewriter.AppendFlag(stamped, "ex_processed")));
        Assert.Throws<ArgumentException>(() => JsonRewriter.AppendFlag("[1]"u8, "x"));
    }

    private static string Text(byte[] utf8) => Encoding.UTF8.GetString(utf8);
}
