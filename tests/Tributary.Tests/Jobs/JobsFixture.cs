using Microsoft.Extensions.Time.Testing;
using Tributary.Jobs;
using Tributary.Pipelines;
using Tributary.Store;
using Tributary.Tests.Store;

namespace Tributary.Tests.Jobs;

/// <summary>
/// A real store on a temp directory with a fake clock, a two-stage pipeline (Src → Mid → Out, 10-minute
/// windows from <see cref="T0"/>) and a scheduler on it.
/// </summary>
internal sealed class JobsFixture : IDisposable
{
    public static readonly DateTime T0 = new(2024, 5, 23, 0, 0, 0, DateTimeKind.Utc);

    private readonly TempStore _temp = new();

    public JobsFixture(string? extraJobSettingsA = null, string? extraJobSettingsB = null, int rowsPerMinute = 3, int minutes = 60)
    {
        _temp.Time.SetUtcNow(T0);
        Apply($$"""
            tables:
              Src: { Timestamp: datetime, Source: string, V: long }
              Mid: { Timestamp: datetime, Source: string, V: long, Stage: string }
              Out: { Timestamp: datetime, Source: string, V: long, Stage: string }
            functions:
              fMid:
                params: { startTime: datetime, endTime: datetime }
                body: |
                  Src
                  | where Timestamp >= startTime and Timestamp < endTime
                  | extend Stage = "mid"
            views:
              OutCounts: { source: Out, query: "Out | summarize N = count() by Source, bin(Timestamp, 30m)" }
            jobs:
              A:
                query: fMid(startTime, endTime)
                target: Mid
                window: 10m
                delay: 1m
                start: 2024-05-23T00:00:00Z
                retryBackoff: 1m
            {{Indent(extraJobSettingsA)}}
              B:
                query: Mid | where Timestamp >= startTime and Timestamp < endTime | extend Stage = "out"
                target: Out
                window: 10m
                delay: 1m
                start: 2024-05-23T00:00:00Z
                dependsOn: [A]
                retryBackoff: 1m
            {{Indent(extraJobSettingsB)}}
            """);
        var lines = new List<string>();
        for (var m = 0; m < minutes; m++)
        {
            for (var k = 0; k < rowsPerMinute; k++)
            {
                lines.Add($"{T0.AddMinutes(m).AddSeconds(k * 7):O},{(k % 2 == 0 ? "S1" : "S2")},{m}");
            }
        }

        Ingest("Src", lines);
        Scheduler = JobScheduler.Open(Store, Time);
    }

    public TributaryStore Store => _temp.Store;

    public FakeTimeProvider Time => _temp.Time;

    public JobScheduler Scheduler { get; private set; }

    public TempStore Temp => _temp;

    public void Apply(string yaml)
    {
        PipelineApplier.Apply(Store, PipelineLoader.Parse(yaml, "test.yaml"));
    }

    public void Ingest(string table, IEnumerable<string> csvLines)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tributary-jobs-{Guid.NewGuid():N}.csv");
        var header = string.Join(",", Store.Tables.First(t => t.Name == table).Columns.Select(c => c.Name));
        File.WriteAllLines(path, [header, .. csvLines]);
        try
        {
            Store.IngestFile(table, path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public void SetNow(DateTime t) => Time.SetUtcNow(t);

    public Task<RunReport> RunDue() => Scheduler.RunDueAsync();

    public long Count(string table) => _temp.Count(table);

    public WindowView Window(string job, DateTime start) =>
        Scheduler.Show(job, 500).Windows.Single(w => w.Window.Start == start);

    public List<object?[]> Attempts(string job) =>
        _temp.Rows($"JobAttempts | where Job == '{job}' | order by WindowStart asc, Attempt asc | project WindowStart, Attempt, State, ErrorKind, RowsWritten, Query").ToList();

    /// <summary>Closes everything and opens the directory again (a restart).</summary>
    public void Restart()
    {
        Scheduler.Dispose();
        _temp.Reopen();
        Scheduler = JobScheduler.Open(Store, Time);
    }

    public void Dispose()
    {
        Scheduler.Dispose();
        _temp.Dispose();
    }

    private static string Indent(string? settings) =>
        settings is null ? "" : string.Join("\n", settings.Split('\n').Select(l => "    " + l));
}
