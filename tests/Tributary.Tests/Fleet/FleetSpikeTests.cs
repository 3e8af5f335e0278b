using Tributary.Fleet;

namespace Tributary.Tests.Fleet;

public sealed class FleetSpikeTests
{
    private static readonly DateTime T = new(2023, 5, 22, 14, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Parse_SourceWithAColon_DefaultFactorAndDuration()
    {
        var spike = FleetSpike.Parse("OMRollout:SOC@2023-05-22T14:00");
        Assert.Equal(new FleetSpike("OMRollout:SOC", T, 20, null), spike);
        Assert.Equal(DateTimeKind.Utc, spike.At.Kind);
        Assert.Equal(TimeSpan.FromHours(1), spike.EffectiveDuration);
    }

    [Theory]
    [InlineData("BatchingEvents@2023-05-22T14:00x50", "BatchingEvents", 50.0, null)]
    [InlineData("BatchingEvents@2023-05-22T14:00X2.5", "BatchingEvents", 2.5, null)]
    [InlineData("OAASRollout@2023-05-22T14:00Zx0.5/30m", "OAASRollout", 0.5, 30 * 60.0)]
    [InlineData("ScheduledEvents_AzPE@2023-05-22T14:00:00Zx0/40min", "ScheduledEvents_AzPE", 0.0, 40 * 60.0)]
    [InlineData("servicevERSIONswitch@2023-05-22T14:00:00.000/1.5h", "ServiceVersionSwitch", 20.0, 90 * 60.0)]
    [InlineData(" ScheduledEvents_TMMgmt @ 2023-05-22T14:00 /01:30:00", "ScheduledEvents_TMMgmt", 20.0, 90 * 60.0)]
    [InlineData("OMRollout@2023-05-22T14:00/90s", "OMRollout", 20.0, 90.0)]
    [InlineData("OMRollout@2023-05-22T14:00/500ms", "OMRollout", 20.0, 0.5)]
    [InlineData("OMRollout@2023-05-22T14:00x3/2d", "OMRollout", 3.0, 2 * 86400.0)]
    public void Parse_Good(string text, string source, double factor, double? seconds)
    {
        var spike = FleetSpike.Parse(text);
        Assert.Equal(source, spike.Source);
        Assert.Equal(T, spike.At);
        Assert.Equal(factor, spike.Factor);
        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, spike.Duration);
    }

    [Fact]
    public void Parse_DateOnly_AndSeconds()
    {
        Assert.Equal(T.Date, FleetSpike.Parse("OMRollout@2023-05-22").At);
        Assert.Equal(T.AddSeconds(30).AddMilliseconds(250), FleetSpike.Parse("OMRollout@2023-05-22T14:00:30.25Z").At);
    }

    [Theory]
    [InlineData("OMRollout 2023-05-22T14:00", "spike 'OMRollout 2023-05-22T14:00' has no '@': expected SOURCE@TIME[xFACTOR][/DURATION]")]
    [InlineData("@2023-05-22T14:00", "has no source system before '@'; known systems: OMRollout, OMRollout:SOC,")]
    [InlineData("OMRollouts@2023-05-22T14:00", "spike 'OMRollouts@2023-05-22T14:00': unknown source system 'OMRollouts'; known systems: OMRollout, OMRollout:SOC, BatchingEvents, OAASRollout, ServiceVersionSwitch, ScheduledEvents_TMMgmt, ScheduledEvents_AzPE")]
    [InlineData("OMRollout:SOC@", "has no time after '@'")]
    [InlineData("OMRollout@x20", "has no time after '@'")]
    [InlineData("OMRollout@2023-05-22 14:00", "time '2023-05-22 14:00' is not an ISO 8601 UTC time")]
    [InlineData("OMRollout@2023-13-22T14:00", "time '2023-13-22T14:00' is not an ISO 8601 UTC time")]
    [InlineData("OMRollout@2023-05-22T14:00+02:00", "time '2023-05-22T14:00+02:00' is not an ISO 8601 UTC time")]
    [InlineData("OMRollout@2023-05-22T14:00x", "factor '' is not a number at least 0")]
    [InlineData("OMRollout@2023-05-22T14:00x-2", "factor '-2' is not a number at least 0")]
    [InlineData("OMRollout@2023-05-22T14:00xten", "factor 'ten' is not a number at least 0")]
    [InlineData("OMRollout@2023-05-22T14:00/0m", "duration '0m' is not a time span above zero")]
    [InlineData("OMRollout@2023-05-22T14:00/10 parsecs", "duration '10 parsecs' is not a time span above zero")]
    [InlineData("OMRollout@2023-05-22T14:00/", "duration '' is not a time span above zero")]
    [InlineData("OMRollout@2023-05-22T14:00/h", "duration 'h' is not a time span above zero")]
    public void Parse_Bad_NamesTheBadPart(string text, string message)
    {
        var e = Assert.Throws<FormatException>(() => FleetSpike.Parse(text));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Null_Throws() => Assert.Throws<ArgumentNullException>(() => FleetSpike.Parse(null!));
}
