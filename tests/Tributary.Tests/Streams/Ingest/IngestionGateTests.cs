using Microsoft.Extensions.Time.Testing;
using Tributary.Streams;
using Tributary.Streams.Ingest;

namespace Tributary.Tests.Streams.Ingest;

/// <summary>The ingestion switch: persisted in DATA/streams/ingestion.json (golden), kept across opens, refusing producers while paused.</summary>
public sealed class IngestionGateTests : TempDirectoryTest
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2024, 5, 23, 10, 0, 0, TimeSpan.Zero));

    public IngestionGateTests()
        : base("gate")
    {
    }

    private string FilePath => Path.Combine(Dir, "streams", IngestionGate.FileName);

    [Fact]
    public void Open_NoFile_RunningAndNothingWritten()
    {
        var gate = IngestionGate.Open(Dir, _time);
        Assert.Equal(new IngestionStatus(false, null), gate.Status);
        gate.ThrowIfPaused();
        Assert.False(File.Exists(FilePath));
    }

    [Fact]
    public void Pause_WritesTheGoldenFile_AndSurvivesReopen()
    {
        var gate = IngestionGate.Open(Dir, _time);
        var paused = gate.Pause();
        Assert.Equal(new IngestionStatus(true, new DateTime(2024, 5, 23, 10, 0, 0, DateTimeKind.Utc)), paused);
        Assert.Equal("""{"paused":true,"since":"2024-05-23T10:00:00Z"}""", File.ReadAllText(FilePath));

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(paused, gate.Pause()); // already paused: its time stays
        var reopened = IngestionGate.Open(Dir, _time);
        Assert.True(reopened.IsPaused);
        var e = Assert.Throws<IngestException>(reopened.ThrowIfPaused);
        Assert.Equal((IngestErrorCodes.IngestionPaused, IngestRejection.Paused), (e.Code, e.Rejection));
        Assert.StartsWith("ingestion is paused (since 2024-05-23T10:00:00Z); nothing was appended", e.Message, StringComparison.Ordinal);

        reopened.Resume();
        Assert.Equal("""{"paused":false,"since":"2024-05-23T10:05:00Z"}""", File.ReadAllText(FilePath));
        Assert.False(IngestionGate.Open(Dir, _time).IsPaused);
    }

    [Fact]
    public void Open_DamagedFile_SaysWhichAndHowToRecover()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        File.WriteAllText(FilePath, "{\"paused\": tru");
        var e = Assert.Throws<StreamException>(() => IngestionGate.Open(Dir, _time));
        Assert.Contains("ingestion.json is damaged", e.Message, StringComparison.Ordinal);
        Assert.Contains("delete it", e.Message, StringComparison.Ordinal);
    }
}
