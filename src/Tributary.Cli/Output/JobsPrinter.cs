using System.Globalization;
using System.Text;
using Tributary.Jobs;
using Tributary.Kql;
using Tributary.Query;

namespace Tributary.Cli.Output;

/// <summary>How jobs, windows and runs print: aligned tables (through <see cref="ResultWriter"/>) and the window grid.</summary>
internal static class JobsPrinter
{
    public static QueryResult ListTable(IReadOnlyList<JobStatus> jobs) => new(
        [
            new("Job", KqlType.String), new("State", KqlType.String), new("Target", KqlType.String), new("Window", KqlType.TimeSpan),
            new("LastSucceededWindowEnd", KqlType.DateTime), new("Lag", KqlType.TimeSpan), new("Succeeded", KqlType.Long), new("Failed", KqlType.Long),
            new("Running", KqlType.Long), new("Pending", KqlType.Long), new("MaxParallelism", KqlType.Long),
        ],
        jobs.Select(j => new object?[]
        {
            j.Name, j.State, j.Target, j.Window, j.LastSucceededWindowEnd, j.Lag, (long)j.Succeeded, (long)j.Failed, (long)j.Running, (long)j.Pending, (long)j.MaxParallelism,
        }).ToList());

    public static QueryResult WindowsTable(IReadOnlyList<WindowView> windows) => new(
        [
            new("Job", KqlType.String), new("WindowStart", KqlType.DateTime), new("WindowEnd", KqlType.DateTime), new("State", KqlType.String),
            new("Attempts", KqlType.Long), new("RowsWritten", KqlType.Long), new("ErrorKind", KqlType.String), new("Error", KqlType.String), new("TransactionId", KqlType.String),
        ],
        windows.Select(w => new object?[]
        {
            w.Job, w.Window.Start, w.Window.End, w.MarkedSucceeded ? "Skipped (marked succeeded)" : w.State.ToString(), (long)w.Attempts, w.RowsWritten,
            w.ErrorKind == ErrorKind.None ? "" : w.ErrorKind.ToString(), w.Error, w.TransactionId ?? "",
        }).ToList());

    public static QueryResult RunTable(RunView run) => new(
        [
            new("Job", KqlType.String), new("WindowStart", KqlType.DateTime), new("Committed", KqlType.Bool), new("State", KqlType.String),
            new("RowsWritten", KqlType.Long), new("Extents", KqlType.Long), new("ErrorKind", KqlType.String), new("Error", KqlType.String),
        ],
        run.Jobs.Select(j => new object?[]
        {
            j.Job, j.Window.Start, j.Committed, j.State.ToString(), j.RowsWritten, j.Extents, j.ErrorKind == ErrorKind.None ? "" : j.ErrorKind.ToString(), j.Error,
        }).ToList());

    public static QueryResult AttemptsTable(IReadOnlyList<AttemptView> attempts) => new(
        [
            new("WindowStart", KqlType.DateTime), new("Attempt", KqlType.Long), new("State", KqlType.String), new("StartedOn", KqlType.DateTime),
            new("Duration", KqlType.TimeSpan), new("ErrorKind", KqlType.String), new("Error", KqlType.String), new("Query", KqlType.String),
        ],
        attempts.Select(a => new object?[] { a.Window.Start, (long)a.Attempt, a.State, a.StartedOn, a.Duration, a.ErrorKind, a.Error, a.Query }).ToList());

    /// <summary>
    /// The window history as a grid: one line per hour (or day, for windows of an hour or more), one cell per window,
    /// coloured on a terminal. A legend and the job's lag come first.
    /// </summary>
    public static string Grid(JobHistory history, bool color)
    {
        var sb = new StringBuilder();
        var job = history.Job;
        sb.Append(CultureInfo.InvariantCulture, $"{job.Name} → {job.Target}   state {job.State}   window {job.Window}   max parallelism {job.MaxParallelism}\n");
        sb.Append(CultureInfo.InvariantCulture, $"now {Jobs.TimeWindow.Format(history.Now)}   last succeeded window ends {(job.LastSucceededWindowEnd is { } e ? Jobs.TimeWindow.Format(e) : "—")}   lag {(job.Lag is { } lag ? FormatSpan(lag) : "—")}\n");
        sb.Append(CultureInfo.InvariantCulture, $"windows: {job.Succeeded} succeeded, {job.Failed} failed, {job.Running} running, {job.Pending} pending\n\n");
        var row = job.Window < TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);
        string? currentLabel = null;
        foreach (var w in history.Windows)
        {
            var rowStart = new DateTime(w.Window.Start.Ticks - (w.Window.Start.Ticks % row.Ticks), DateTimeKind.Utc);
            var label = row == TimeSpan.FromHours(1) ? rowStart.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : rowStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (label != currentLabel)
            {
                sb.Append(currentLabel is null ? "" : "\n").Append(label).Append("  ");
                currentLabel = label;
            }

            sb.Append(Cell(w, color)).Append(' ');
        }

        sb.Append("\n\n").Append(Legend(color)).Append('\n');
        return sb.ToString();
    }

    private static string Cell(WindowView w, bool color)
    {
        var (symbol, ansi) = w.State switch
        {
            WindowState.Succeeded => ("■", "32"),
            WindowState.Failed => ("✗", "31"),
            WindowState.Running => ("▶", "36"),
            WindowState.Skipped => ("○", "33"),
            _ => ("·", "90"),
        };
        return color ? $"\u001b[{ansi}m{symbol}\u001b[0m" : symbol;
    }

    private static string Legend(bool color) =>
        string.Join("  ", new[]
        {
            (WindowState.Succeeded, "succeeded"), (WindowState.Failed, "failed"), (WindowState.Running, "running"),
            (WindowState.Pending, "pending"), (WindowState.Skipped, "skipped (marked succeeded or retracted)"),
        }.Select(x => $"{Cell(new WindowView("", default, x.Item1, 0, 0, ErrorKind.None, "", null, false), color)} {x.Item2}"));

    public static string FormatSpan(TimeSpan t) =>
        t.TotalDays >= 1 ? $"{(int)t.TotalDays}d {t.Hours}h {t.Minutes}m" : t.TotalHours >= 1 ? $"{t.Hours}h {t.Minutes}m" : t.TotalMinutes >= 1 ? $"{t.Minutes}m {t.Seconds}s" : $"{t.TotalSeconds:0.#}s";
}
