namespace Tributary.Tests.Store;

/// <summary>ProcessorMetrics reports (one row per processor, metric and 10 s) folded by hour: fewer rows, the same sums.</summary>
public sealed class ProcessorMetricsRollUpTests : StoreTestBase
{
    private static readonly DateTime Start = new(2024, 5, 22, 9, 0, 0, DateTimeKind.Utc);

    /// <summary>Three hours of reports every 10 s from 09:00: extractor counts 1 and 2 a report, dedup 3.</summary>
    private void ReportThreeHours()
    {
        for (var at = Start; at < Start.AddHours(3); at = at.AddSeconds(10))
        {
            S.Store.RecordProcessorMetrics(at, [("extractor", "success-event-count", 1), ("extractor", "failed-event-count", 2), ("dedup", "unique-event-count", 3)]);
        }
    }

    private long Rows(string where = "") => (long)S.Rows($"ProcessorMetrics {where} | count")[0][0]!;

    private List<string> SumsByHour() =>
        S.Rows("ProcessorMetrics | summarize v = sum(Value) by h = bin(Timestamp, 1h), Processor, Metric | order by h asc, Processor asc, Metric asc | project strcat(format_datetime(h, 'HH'), ' ', Processor, ' ', Metric, ' ', v)")
            .Select(r => (string)r[0]!).ToList();

    [Fact]
    public void RollUp_FoldsWholeHoursBeforeTheCutoff_SumsStayTheSame_TheRestAsReported()
    {
        ReportThreeHours();
        var totals = S.Store.ProcessorMetricTotals();
        var byHour = SumsByHour();
        Assert.Equal(3 * 360 * 3, Rows());

        // Cut off at 11:00: 09:00 and 10:00 become one row per processor and metric each; 11:xx stays as reported.
        var removed = S.Store.RollUpProcessorMetrics(Start.AddHours(2));

        Assert.Equal(2 * 3 * (360 - 1), removed);
        Assert.Equal(2 * 3 + 360 * 3, Rows());
        Assert.Equal(360 * 3, Rows("| where Timestamp >= datetime(2024-05-22 11:00)"));
        Assert.Equal(["dedup unique-event-count 1080", "extractor failed-event-count 720", "extractor success-event-count 360"],
            S.Rows("ProcessorMetrics | where Timestamp == datetime(2024-05-22 09:00) | order by Processor asc, Metric asc | project strcat(Processor, ' ', Metric, ' ', Value)").Select(r => (string)r[0]!));
        Assert.Equal(byHour, SumsByHour());
        Assert.Equal(totals, S.Store.ProcessorMetricTotals());

        // Again: nothing left to fold. Later reports in a folded hour are folded into it the next time.
        Assert.Equal(0, S.Store.RollUpProcessorMetrics(Start.AddHours(2)));
        S.Store.RecordProcessorMetrics(Start.AddMinutes(30), [("dedup", "unique-event-count", 5)]);
        Assert.Equal(1, S.Store.RollUpProcessorMetrics(Start.AddHours(2)));
        Assert.Equal(1085L, S.Rows("ProcessorMetrics | where Timestamp == datetime(2024-05-22 09:00) and Processor == 'dedup' | project Value")[0][0]);
        Assert.Equal(totals["dedup"]["unique-event-count"] + 5, S.Store.ProcessorMetricTotals()["dedup"]["unique-event-count"]);
    }
}
