using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Tributary.Operations;

namespace Tributary.Tests.Operations;

/// <summary>Retention ages and sizes as people write them.</summary>
public sealed class StreamUnitsTests
{
    [Theory]
    [InlineData("14d", 14 * 24 * 60)]
    [InlineData("12h", 12 * 60)]
    [InlineData("90m", 90)]
    public void TryParseRetention_Durations(string text, int minutes)
    {
        Assert.True(StreamUnits.TryParseRetention(text, out var age));
        Assert.Equal(TimeSpan.FromMinutes(minutes), age);
    }

    [Theory]
    [InlineData("forever")]
    [InlineData("none")]
    public void TryParseRetention_Forever_IsNull(string text)
    {
        Assert.True(StreamUnits.TryParseRetention(text, out var age));
        Assert.Null(age);
        Assert.Equal("forever", StreamUnits.FormatRetention(null));
    }

    [Theory]
    [InlineData("2x")]
    [InlineData("0d")]
    [InlineData("-1d")]
    [InlineData("")]
    public void TryParseRetention_NotADuration_False(string text) => Assert.False(StreamUnits.TryParseRetention(text, out _));

    [Theory]
    [InlineData("1GB", 1L << 30)]
    [InlineData("512 MB", 512L << 20)]
    [InlineData("1.5KB", 1536)]
    [InlineData("1048576", 1L << 20)]
    [InlineData("2TiB", 2L << 40)]
    [InlineData("10b", 10)]
    public void TryParseSize_UnitsArePowersOf1024(string text, long bytes)
    {
        Assert.True(StreamUnits.TryParseSize(text, out var value));
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("1XB")]
    [InlineData("1.3B")]
    [InlineData("-5MB")]
    [InlineData("")]
    public void TryParseSize_NotASize_False(string text) => Assert.False(StreamUnits.TryParseSize(text, out _));

    [Theory]
    [InlineData(812, "812 B")]
    [InlineData(4608, "4.5 KB")]
    [InlineData(1L << 30, "1 GB")]
    public void FormatSize_ForPeople(long bytes, string text) => Assert.Equal(text, StreamUnits.FormatSize(bytes));

    /// <summary>What a client sends for a topic's retention is read back exactly (whole milliseconds).</summary>
    [Property(MaxTest = 500)]
    public Property FormatRetention_ThenParse_RoundTrips()
    {
        var ages =
            from n in Gen.Choose(1, 10_000)
            from unit in Gen.Elements(1L, 1000L, 60_000L, 3_600_000L, 86_400_000L)
            from extra in Gen.Elements(0, 0, 1, 999)
            select TimeSpan.FromMilliseconds((n * unit) + extra);
        return Prop.ForAll(ages.ToArbitrary(), age => StreamUnits.TryParseRetention(StreamUnits.FormatRetention(age), out var back) && back == age);
    }
}
