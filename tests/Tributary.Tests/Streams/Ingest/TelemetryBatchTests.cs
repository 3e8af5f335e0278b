using System.Text;
using System.Text.Json;
using Tributary.Streams.Ingest;
using Tributary.Tests.Sunbird;

namespace Tributary.Tests.Streams.Ingest;

/// <summary>A Sunbird v3 batch envelope checked as a whole and stamped as Sunbird's telemetry service stamps it.</summary>
public sealed class TelemetryBatchTests
{
    private const string Batch = """
        {"id":"sunbird.telemetry","ver":"3.0","ets":1529500243591,"params":{"msgid":"m-1","did":"d"},"events":[
          {"eid":"START","ets":1529499971358,"ver":"3.0","mid":"START:1","actor":{"id":"u","type":"user"},"context":{"channel":"c","env":"home"},"edata":{"type":"app"}},
          {"eid":"LOG","ets":1529499971432,"ver":"3.0","mid":"LOG:2","actor":{"id":"u","type":"user"},"context":{"channel":"c","env":"home"},"edata":{"level":"INFO","message":"é ok"}}
        ]}
        """;

    private static TelemetryBatch Parse(string json) => TelemetryBatch.Parse(Encoding.UTF8.GetBytes(json));

    private static IngestException Refused(string json, TelemetryLimits? limits = null)
    {
        return Assert.Throws<IngestException>(() =>
        {
            using var batch = Parse(json);
            batch.Validate(limits ?? new TelemetryLimits());
        });
    }

    [Fact]
    public void Validate_AGoodBatch_CountsItsEventsAndReadsMsgId()
    {
        using var batch = Parse(Batch);
        batch.Validate(new TelemetryLimits());
        Assert.Equal(2, batch.EventCount);
        Assert.Equal("m-1", batch.MsgId);
        Assert.Null(batch.Mid);
    }

    [Fact]
    public void Stamp_SetsSynctsAndMid_KeepsFieldsInOrder_AddsHeaderFields()
    {
        using var batch = Parse(Batch);
        batch.Validate(new TelemetryLimits());
        var stamped = batch.Stamp(new TelemetryStamp(1716458400123, DeviceId: "dev-9", ChannelId: "chan", AppId: null), "the-mid");

        using var doc = JsonDocument.Parse(stamped);
        var root = doc.RootElement;
        Assert.Equal(["id", "ver", "ets", "params", "events", "mid", "syncts", "did", "channel"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("the-mid", root.GetProperty("mid").GetString());
        Assert.Equal(1716458400123, root.GetProperty("syncts").GetInt64());
        Assert.Equal("dev-9", root.GetProperty("did").GetString());
        Assert.False(root.TryGetProperty("pid", out _));
        using var original = JsonDocument.Parse(Batch);
        Assert.Equal(original.RootElement.GetProperty("events").GetRawText().Replace("\n", "", StringComparison.Ordinal).Replace("  ", "", StringComparison.Ordinal),
            root.GetProperty("events").GetRawText());
        Assert.Contains("é ok", Encoding.UTF8.GetString(stamped), StringComparison.Ordinal);
    }

    [Fact]
    public void Stamp_ReplacesTheBodysMidSynctsAndDid_WhereTheyStand()
    {
        using var batch = Parse("""{"mid":"body-mid","syncts":1,"did":"old","events":[{"eid":"LOG"}],"channel":"keep"}""");
        batch.Validate(new TelemetryLimits());
        Assert.Equal("body-mid", batch.Mid);
        var stamped = Encoding.UTF8.GetString(batch.Stamp(new TelemetryStamp(99, DeviceId: "new"), batch.Mid!));
        Assert.Equal("""{"mid":"body-mid","syncts":99,"did":"new","events":[{"eid":"LOG"}],"channel":"keep"}""", stamped);
    }

    [Fact]
    public void Parse_NotUtf8_NamesTheByte_EvenInsideAString()
    {
        // System.Text.Json would parse this (it checks a string's UTF-8 only when the string is read).
        var body = Encoding.UTF8.GetBytes("""{"events":[{"eid":"LOG","edata":{"message":"é?"}}]}""");
        body[Array.LastIndexOf(body, (byte)'?')] = 0xFF;

        var e = Assert.Throws<IngestException>(() => TelemetryBatch.Parse(body));

        Assert.Equal(IngestErrorCodes.InvalidJson, e.Code);
        Assert.Equal("the body is not UTF-8: byte 47 (0xFF) starts no UTF-8 character; JSON text is UTF-8", e.Message);
    }

    [Theory]
    [InlineData("{\"id\":\"x\",\n\"events\":[{\"eid\":\"LOG\"},]}", "malformed JSON at byte 36 (line 2, byte 25 of the line): ")]
    [InlineData("{\"id\":\"x\", events: []}", "malformed JSON at byte 12: ")]
    [InlineData("{\"events\":[{}]", "malformed JSON at byte 15: ")]
    public void Parse_MalformedJson_NamesTheByte(string json, string start)
    {
        var e = Assert.Throws<IngestException>(() => Parse(json));
        Assert.Equal(IngestErrorCodes.InvalidJson, e.Code);
        Assert.StartsWith(start, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", IngestErrorCodes.EmptyBody, "the request body is empty")]
    [InlineData("  \n", IngestErrorCodes.EmptyBody, "the request body is empty")]
    [InlineData("[{\"eid\":\"LOG\"}]", IngestErrorCodes.InvalidBatch, "the body is a JSON array, not an object")]
    public void Parse_NotAnEnvelope_Refused(string json, string code, string start)
    {
        var e = Assert.Throws<IngestException>(() => Parse(json));
        Assert.Equal(code, e.Code);
        Assert.StartsWith(start, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"id\":\"x\",\"params\":{\"msgid\":\"m\"}}", IngestErrorCodes.MissingEvents, "the batch has no 'events'")]
    [InlineData("{\"events\":[]}", IngestErrorCodes.EmptyBatch, "'events' is empty: a batch carries at least one event")]
    [InlineData("{\"events\":{\"eid\":\"LOG\"}}", IngestErrorCodes.InvalidEvents, "'events' is an object, not an array of event objects")]
    [InlineData("{\"events\":null}", IngestErrorCodes.InvalidEvents, "'events' is null, not an array of event objects")]
    [InlineData("{\"events\":[{\"eid\":\"LOG\"},\"testing events\"]}", IngestErrorCodes.InvalidEvents, "events[1] is a string, not an event object")]
    [InlineData("{\"mid\":42,\"events\":[{}]}", IngestErrorCodes.InvalidBatch, "'mid' is a number (42); when given, it must be a non-empty string")]
    [InlineData("{\"mid\":\"\",\"events\":[{}]}", IngestErrorCodes.InvalidBatch, "'mid' is an empty string")]
    public void Validate_BadEnvelope_RefusedWithCodeAndReason(string json, string code, string start)
    {
        var e = Refused(json);
        Assert.Equal(code, e.Code);
        Assert.Equal(IngestRejection.BadInput, e.Rejection);
        Assert.StartsWith(start, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TooManyEvents_Refused()
    {
        var json = "{\"events\":[" + string.Join(",", Enumerable.Repeat("{\"eid\":\"LOG\"}", 4)) + "]}";
        var e = Refused(json, new TelemetryLimits(MaxEvents: 3));
        Assert.Equal((IngestErrorCodes.TooManyEvents, IngestRejection.BadInput), (e.Code, e.Rejection));
        Assert.StartsWith("the batch has 4 events, more than the 3 a batch may have", e.Message, StringComparison.Ordinal);
        using var ok = Parse(json);
        ok.Validate(new TelemetryLimits(MaxEvents: 4));
    }

    [Fact]
    public void Validate_AnEventTooLarge_RefusedNamingItsIndexAndMid()
    {
        var json = "{\"events\":[{\"eid\":\"LOG\"},{\"mid\":\"BIG:1\",\"edata\":\"" + new string('x', 200) + "\"}]}";
        var e = Refused(json, new TelemetryLimits(MaxEventBytes: 100));
        Assert.Equal((IngestErrorCodes.EventTooLarge, IngestRejection.TooLarge), (e.Code, e.Rejection));
        Assert.Equal("events[1] (mid BIG:1) has 226 bytes, more than the 100 an event may have", e.Message);
    }

    [SkippableFact]
    public void Validate_RealSunbirdBatches_FromTheExtractorFixtures()
    {
        var file = Path.Combine(SharedData.RequireSunbird(), "events", "telemetry-extractor.fixtures.jsonl");
        var lines = File.ReadAllLines(file);

        // EVENT_WITH_MESSAGE_ID: 21 events, msgid 3fc11963-…, its own mid kept.
        using (var batch = Parse(lines[0]))
        {
            batch.Validate(new TelemetryLimits());
            Assert.Equal(21, batch.EventCount);
            Assert.Equal("3fc11963-04e7-4251-83de-18e0dbb5a684", batch.MsgId);
            Assert.NotNull(batch.Mid);
        }

        // EMPTY_BATCH_EVENTS and UNDEFINED_EVENTS_IN_BATCH are refused at the door (the extractor would pass them on empty).
        Assert.Equal(IngestErrorCodes.EmptyBatch, Refused(lines[2]).Code);
        Assert.Equal(IngestErrorCodes.MissingEvents, Refused(lines[3]).Code);
    }
}
