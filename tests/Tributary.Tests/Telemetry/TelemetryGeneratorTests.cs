using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tributary.Streams.Validation;
using Tributary.Telemetry;
using Xunit.Abstractions;

namespace Tributary.Tests.Telemetry;

public sealed partial class TelemetryGeneratorTests(ITestOutputHelper output)
{
    private static readonly DateTime From = new(2024, 5, 6, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime To = From.AddDays(1);

    private static TelemetryGenerateOptions Options(int batches = 100) => new(From, To) { Batches = batches };

    private static long Ms(DateTime t) => new DateTimeOffset(t).ToUnixTimeMilliseconds();

    [Fact]
    public void Generate_EveryKindOfTrouble_TallyEqualsAnIndependentRecount()
    {
        var options = Options(400) with
        {
            DuplicateEvents = 0.03, InvalidEvents = 0.04, OversizeEvents = 0.01, OversizeBytes = 4096, DuplicateBatches = 0.02, MalformedBatches = 0.02,
        };

        var generated = TelemetryGenerator.Generate(options);
        output.WriteLine(generated.Tally.Format());

        var tally = generated.Tally;
        Assert.Equal(400, generated.Batches.Count);
        TelemetryRecount.Of(generated.Batches, options.OversizeBytes).AssertEqual(tally);
        Assert.Equal(400, tally.Batches);
        Assert.Equal(8, tally.DuplicateBatches);
        Assert.Equal(8, tally.MalformedBatches);
        Assert.Equal(Rounded(0.03, tally.Events), tally.DuplicateEvents);
        Assert.Equal(Rounded(0.04, tally.Events), tally.InvalidEvents);
        Assert.Equal(Rounded(0.01, tally.Events), tally.OversizeEvents);
        Assert.All(Enum.GetValues<TelemetryDefect>(), d => Assert.True(tally.InvalidByDefect[d] > 0, $"no {d}"));
        Assert.Equal(["ERROR"], tally.ByEid(TelemetryEventCategory.Oversize).Keys);
        Assert.True(tally.DuplicateBatchEvents > 0);
    }

    [Theory]
    [InlineData(2, 30, 1, 0.5, 0.2, 0.1, 0.3, 0.1)]
    [InlineData(3, 80, 7, 0.1, 0.1, 0.05, 0.05, 0.05)]
    [InlineData(4, 120, 50, 0, 0.9, 0, 0, 0.5)]
    [InlineData(5, 50, 20, 0.95, 0, 0.05, 0.9, 0)]
    public void Generate_ManySeedsAndShares_TallyEqualsTheRecount(int seed, int batches, int perBatch, double duplicates, double invalid,
        double oversize, double duplicateBatches, double malformed)
    {
        var options = Options(batches) with
        {
            Seed = seed, EventsPerBatch = perBatch, DuplicateEvents = duplicates, InvalidEvents = invalid, OversizeEvents = oversize,
            OversizeBytes = 4096, DuplicateBatches = duplicateBatches, MalformedBatches = malformed,
        };

        var generated = TelemetryGenerator.Generate(options);

        TelemetryRecount.Of(generated.Batches, options.OversizeBytes).AssertEqual(generated.Tally);
        Assert.Equal(batches, generated.Tally.Batches);
        Assert.Equal(Rounded(invalid, generated.Tally.Events), generated.Tally.InvalidEvents);
    }

    [Fact]
    public void Generate_Defaults_NoOversizeNoMalformed_ExactRoundedShares()
    {
        var tally = TelemetryGenerator.Generate(Options(300)).Tally;

        Assert.Equal(3, tally.DuplicateBatches);
        Assert.Equal(0, tally.MalformedBatches);
        Assert.Equal(0, tally.OversizeEvents);
        Assert.Equal(Rounded(0.02, tally.Events), tally.DuplicateEvents);
        Assert.Equal(Rounded(0.02, tally.Events), tally.InvalidEvents);
        Assert.Equal(tally.Events - tally.DuplicateEvents - tally.InvalidEvents, tally.ValidEvents);
    }

    [Fact]
    public void Generate_SameOptions_SameText_OtherSeed_OtherText()
    {
        var a = TelemetryGenerator.Generate(Options(60));
        var b = TelemetryGenerator.Generate(Options(60));
        var c = TelemetryGenerator.Generate(Options(60) with { Seed = 2 });

        Assert.Equal(a.Batches, b.Batches);
        Assert.Equal(a.Tally.Format(), b.Tally.Format());
        Assert.NotEqual(a.Batches[0], c.Batches[0]);
    }

    [Fact]
    public void Generate_OtherFractions_SameSessions()
    {
        // Each decision draws from its own stream: more trouble touches other events, not other sessions.
        var clean = TelemetryGenerator.Generate(Options(50) with { DuplicateEvents = 0, InvalidEvents = 0, DuplicateBatches = 0 });
        var messy = TelemetryGenerator.Generate(Options(50) with { DuplicateEvents = 0.1, InvalidEvents = 0.1 });

        var cleanMids = Events(clean.Batches).Select(e => e.GetProperty("mid").GetString()).ToHashSet();
        var kept = Events(messy.Batches).Count(e => cleanMids.Contains(e.GetProperty("mid").GetString()));
        Assert.True(kept >= 0.75 * cleanMids.Count, $"{kept} of {cleanMids.Count} events kept");
    }

    [Fact]
    public void WriteJsonLines_SameTextAsGenerate_OneLineEach()
    {
        var options = Options(40) with { MalformedBatches = 0.05 };
        var generated = TelemetryGenerator.Generate(options);
        using var writer = new StringWriter();

        var tally = TelemetryGenerator.WriteJsonLines(options, writer);

        Assert.Equal(string.Concat(generated.Batches.Select(b => b + "\n")), writer.ToString());
        Assert.Equal(generated.Tally.Format(), tally.Format());
        Assert.All(generated.Batches, b => Assert.DoesNotContain('\n', b));
    }

    [Fact]
    public void Generate_Defaults_BatchesLookLikeWhatTheEndpointReceives()
    {
        var generated = TelemetryGenerator.Generate(Options(200));
        var validator = TelemetrySchemas.Validator;
        var mids = new HashSet<string>(StringComparer.Ordinal);
        var actors = new HashSet<string>(StringComparer.Ordinal);
        var channels = new HashSet<string>(StringComparer.Ordinal);
        var contents = new HashSet<string>(StringComparer.Ordinal);
        var lastSyncts = 0L;
        var largest = 0;
        foreach (var line in generated.Batches)
        {
            using var document = JsonDocument.Parse(line);
            var batch = document.RootElement;
            Assert.Equal("api.sunbird.telemetry", batch.GetProperty("id").GetString());
            Assert.Equal("3.0", batch.GetProperty("ver").GetString());
            Assert.Matches(UuidPattern(), batch.GetProperty("params").GetProperty("msgid").GetString()!);
            Assert.Matches(UuidPattern(), batch.GetProperty("mid").GetString()!);
            var syncts = batch.GetProperty("syncts").GetInt64();
            Assert.True(syncts >= lastSyncts, "batches arrive in syncts order");
            Assert.True(syncts >= batch.GetProperty("ets").GetInt64(), "a batch arrives after it is built");
            lastSyncts = syncts;
            var events = batch.GetProperty("events").EnumerateArray().ToList();
            Assert.InRange(events.Count, 1, 20);
            var did = batch.GetProperty("params").GetProperty("did").GetString();
            foreach (var e in events)
            {
                var ets = e.GetProperty("ets");
                if (ets.ValueKind == JsonValueKind.Number)
                {
                    Assert.InRange(ets.GetInt64(), Ms(From), Ms(To) - 1);
                }

                if (mids.Add(e.GetProperty("mid").GetString()!))
                {
                    Assert.Equal(did, e.GetProperty("context").GetProperty("did").GetString());
                }

                if (validator.Validate(e).IsValid)
                {
                    largest = Math.Max(largest, Encoding.UTF8.GetByteCount(e.GetRawText()));
                    actors.Add(e.GetProperty("actor").GetProperty("id").GetString()!);
                    channels.Add(e.GetProperty("context").GetProperty("channel").GetString()!);
                    if (e.GetProperty("object").TryGetProperty("id", out var id) && id.GetString()!.StartsWith("do_", StringComparison.Ordinal))
                    {
                        contents.Add(id.GetString()!);
                    }
                }
            }
        }

        var valid = generated.Tally.ByEid(TelemetryEventCategory.Valid);
        output.WriteLine(generated.Tally.Format());
        output.WriteLine($"largest valid event {largest} bytes; {actors.Count} actors, {channels.Count} channels, {contents.Count} contents");
        Assert.True(largest < TelemetryGenerateOptions.MinOversizeBytes - 100, $"a valid event of {largest} bytes leaves no room for the extractor's stamps under 4 KB");
        Assert.Superset(new HashSet<string> { "START", "END", "IMPRESSION", "INTERACT", "LOG", "SEARCH", "AUDIT" }, valid.Keys.ToHashSet());
        Assert.True(valid["IMPRESSION"] + valid["INTERACT"] > 0.4 * generated.Tally.ValidEvents, "impressions and interactions dominate");
        Assert.True(actors.Count > 20 && channels.Count > 3 && contents.Count > 50, "a population, not a handful");
    }

    [Fact]
    public void Generate_OversizeAtTheDefaultLimit_SchemaValidErrorsOverOneMebibyte()
    {
        var options = Options(10) with { OversizeEvents = 0.05, DuplicateEvents = 0, InvalidEvents = 0, DuplicateBatches = 0 };

        var generated = TelemetryGenerator.Generate(options);

        var big = Events(generated.Batches).Where(e => Encoding.UTF8.GetByteCount(e.GetRawText()) > 1024 * 1024).ToList();
        Assert.Equal(generated.Tally.OversizeEvents, big.Count);
        Assert.NotEmpty(big);
        Assert.All(big, e =>
        {
            Assert.Equal("ERROR", e.GetProperty("eid").GetString());
            Assert.InRange(Encoding.UTF8.GetByteCount(e.GetRawText()), (1024 * 1024) + 1, (1024 * 1024) + 1024);
            Assert.Equal(SchemaVerdict.Valid, TelemetrySchemas.Validator.Validate(e));
        });
    }

    [Fact]
    public void Generate_AllMalformed_NoLineIsJson()
    {
        var generated = TelemetryGenerator.Generate(Options(5) with { MalformedBatches = 1, DuplicateBatches = 0 });

        Assert.Equal(5, generated.Tally.MalformedBatches);
        Assert.Equal(0, generated.Tally.Events);
        Assert.All(generated.Batches, line => Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(line).Dispose()));
    }

    [Fact]
    public void Generate_OneMinuteOneEventPerBatch_EverythingInThePeriod()
    {
        var options = new TelemetryGenerateOptions(From, From.AddMinutes(1)) { Batches = 30, EventsPerBatch = 1 };

        var generated = TelemetryGenerator.Generate(options);

        TelemetryRecount.Of(generated.Batches, options.OversizeBytes).AssertEqual(generated.Tally);
        Assert.All(Events(generated.Batches), e => Assert.True(
            e.GetProperty("ets").ValueKind == JsonValueKind.String || (e.GetProperty("ets").GetInt64() >= Ms(From) && e.GetProperty("ets").GetInt64() < Ms(From) + 60_000)));
        Assert.All(generated.Batches, b => Assert.Single(JsonDocument.Parse(b).RootElement.GetProperty("events").EnumerateArray()));
    }

    public static TheoryData<Func<TelemetryGenerateOptions, TelemetryGenerateOptions>, string> BadOptions => new()
    {
        { o => o with { Batches = 0 }, "Batches must be between 1 and 1,000,000, not 0" },
        { o => o with { EventsPerBatch = -3 }, "EventsPerBatch must be between 1 and 1,000, not -3" },
        { o => o with { Users = 0 }, "Users must be between 1 and 1,000,000, not 0" },
        { o => o with { DuplicateEvents = 1.5 }, "DuplicateEvents must be a fraction between 0 and 1, not 1.5" },
        { o => o with { InvalidEvents = double.NaN }, "InvalidEvents must be a fraction between 0 and 1, not NaN" },
        { o => o with { MalformedBatches = -0.1 }, "MalformedBatches must be a fraction between 0 and 1, not -0.1" },
        { o => o with { OversizeBytes = 100 }, "OversizeBytes must be between 4,096 and 67,108,864, not 100" },
        { o => o with { DuplicateEvents = 0.6, InvalidEvents = 0.5 }, "DuplicateEvents + InvalidEvents + OversizeEvents (0.6 + 0.5 + 0) must not exceed 1" },
        { o => o with { DuplicateBatches = 0.5, MalformedBatches = 0.6 }, "DuplicateBatches + MalformedBatches (0.5 + 0.6) must not exceed 1" },
        { o => o with { Batches = 2, DuplicateBatches = 0.5, MalformedBatches = 0.5 }, "DuplicateBatches (0.5) leaves no batch of the 2 to re-send" },
        { o => o with { To = o.From }, "From (2024-05-06T00:00:00.000Z) must be before To (2024-05-06T00:00:00.000Z)" },
        { o => o with { From = new DateTime(1969, 12, 31, 0, 0, 0, DateTimeKind.Utc) }, "must not be before 1970" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Generate_BadOptions_ArgumentExceptionNamingTheValue(Func<TelemetryGenerateOptions, TelemetryGenerateOptions> change, string message)
    {
        var options = change(Options());

        var error = Assert.Throws<ArgumentException>(() => TelemetryGenerator.Generate(options));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => TelemetryGenerator.WriteJsonLines(options, TextWriter.Null));
    }

    private static int Rounded(double fraction, int whole) => (int)Math.Floor((fraction * whole) + 0.5);

    private static List<JsonElement> Events(IEnumerable<string> batches) =>
        [.. batches.SelectMany(b => JsonDocument.Parse(b).RootElement.GetProperty("events").EnumerateArray())];

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    private static partial Regex UuidPattern();
}
