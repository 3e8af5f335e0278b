namespace Tributary.Jobs;

/// <summary>A job's definition and its windows, in memory. Owned by the scheduler under its lock.</summary>
internal sealed class JobState(JobDefinition definition, bool paused)
{
    public JobDefinition Definition { get; set; } = definition;

    public bool Paused { get; set; } = paused;

    /// <summary>The windows the ledger knows, by start. A window without a record is Pending once due.</summary>
    public SortedDictionary<DateTime, WindowRecord> Windows { get; } = [];

    /// <summary>Every window before this start is Succeeded, Skipped or Failed: scanning for due work starts here.</summary>
    public DateTime ScanFrom { get; set; } = definition.Start;

    public WindowRecord? Find(DateTime start) => Windows.GetValueOrDefault(start);

    public WindowRecord GetOrAdd(TimeWindow window)
    {
        if (!Windows.TryGetValue(window.Start, out var record))
        {
            record = new WindowRecord(Definition.Name, window);
            Windows[window.Start] = record;
        }

        return record;
    }

    /// <summary>The window starts from which the scan must look again (after a window became Pending).</summary>
    public void Reopen(DateTime start)
    {
        if (start < ScanFrom)
        {
            ScanFrom = start;
        }
    }

    /// <summary>The end of the latest window in the contiguous run of done windows from the job's start; null when the first is not done.</summary>
    public DateTime? DoneUntil()
    {
        var size = Definition.Window;
        var t = Definition.Start;
        DateTime? end = null;
        while (Windows.TryGetValue(t, out var w) && w.IsDone)
        {
            end = t + size;
            t += size;
        }

        return end;
    }
}
