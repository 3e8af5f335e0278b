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

    /// <param name="queryA">Replaces job A's query (default <c>fMid(startTime, endTime)</c>).</param>
    public JobsFixture(string? extraJobSettingsA = null, string? extraJobSettingsB = null, int rowsPerMinute = 3, int minutes = 60, string? queryA = null)
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
                query: {{Quote(queryA ?? "fMid(startTime, endTime)")}}
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

    /// <summary>
    /// Runs the due windows while a thread of its own (so a busy thread pool cannot starve it) samples how many
    /// windows of <paramref name="job"/> run at once; <paramref name="tick"/> runs after each sample.
    /// </summary>
    public async Task<(RunReport Report, List<int> Running)> RunDueObserving(string job, Action? tick = null)
    {
        var run = Task.Run(() => Scheduler.RunDueAsync());
        var observed = new List<int>();
        var poller = new Thread(() =>
        {
            while (!run.IsCompleted)
            {
                observed.Add(Scheduler.List().Single(j => j.Name == job).Running);
                tick?.Invoke();
                Thread.Sleep(1);
            }
        });
        poller.Start();
        var report = await run;
        poller.Join();
        return (report, observed);
    }

    /// <summary>Waits (in real time) until <paramref name="condition"/> holds; fails the test after <paramref name="timeoutSeconds"/>.</summary>
    public static async Task WaitUntil(Func<bool> condition, string what, int timeoutSeconds = 60)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(timeoutSeconds))
            {
                Assert.Fail($"timed out waiting until {what}");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>The sentinel query's rows: one row per window, V = the count of a range (slow when the range is long).</summary>
    public static string RangeQuery(long n) =>
        $"range x from 1 to {n} step 1 | summarize c = count() | extend Timestamp = startTime, Source = 'S', V = c, Stage = 'x' | project Timestamp, Source, V, Stage";

    /// <summary>Rows per (Source, 30m bin) of Out, as the materialized view OutCounts should hold them.</summary>
    public List<string> OutGroups() =>
        Groups("Out | summarize N = count() by Source, Timestamp = bin(Timestamp, 30m)");

    /// <summary>The rows of the materialized view OutCounts.</summary>
    public List<string> ViewGroups() => Groups("OutCounts | project Source, Timestamp, N");

    /// <summary>Asserts the view holds exactly what its query computes from Out now.</summary>
    public void AssertViewExact()
    {
        var view = ViewGroups();
        var actual = OutGroups();
        Assert.True(actual.SequenceEqual(view), $"OutCounts [{string.Join("; ", view)}] differs from Out [{string.Join("; ", actual)}]");
    }

    /// <summary>Per Source: rows and sum(V), as sorted text, for whole-table comparisons.</summary>
    public List<string> PerSource(string table) => Groups($"{table} | summarize n = count(), s = sum(V) by Source");

    private List<string> Groups(string query) =>
        _temp.Rows(query).Select(r => string.Join("|", r.Select(v => v is DateTime d ? d.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))))
            .Order(StringComparer.Ordinal).ToList();

    private static string Quote(string query) => "'" + query.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Indent(string? settings) =>
        settings is null ? "" : string.Join("\n", settings.Split('\n').Select(l => "    " + l));
}
