using ScottPlot;
using Tributary.Jobs;

namespace Tributary.Charts;

/// <summary>
/// Draws a job's window history as a picture, like the window-history views of seed 000's
/// healthy / unhealthy / falling-behind jobs: one bar per window on a time axis, its height the rows
/// written, coloured by state (failed and pending windows drawn at full height so they stand out), and
/// a line at now.
/// </summary>
public static class WindowHistoryChart
{
    /// <summary>Writes the chart to <paramref name="path"/> (.png or .svg).</summary>
    /// <exception cref="ArgumentException">The path has another extension.</exception>
    public static void Render(JobHistory history, string path, int width = 1000, int height = 360)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(path);
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".png" or ".svg"))
        {
            throw new ArgumentException($"a chart is written as .png or .svg, not '{ext}'");
        }

        using var plot = new Plot();
        var max = Math.Max(1, history.Windows.Select(w => w.RowsWritten).DefaultIfEmpty(0).Max());
        var bars = new List<Bar>();
        foreach (var w in history.Windows)
        {
            (Color color, double value) = w.State switch
            {
                WindowState.Succeeded => (Colors.SeaGreen, Math.Max(w.RowsWritten, max * 0.02)),
                WindowState.Failed => (Colors.Crimson, (double)max),
                WindowState.Running => (Colors.SteelBlue, (double)max),
                WindowState.Skipped => (Colors.Orange, max * 0.1),
                _ => (Colors.LightGray, (double)max),
            };
            var center = w.Window.Start.AddTicks(w.Window.Size.Ticks / 2).ToOADate();
            bars.Add(new Bar
            {
                Position = center,
                Value = value,
                FillColor = color,
                LineWidth = 0,
                Size = w.Window.Size.TotalDays * 0.85,
            });
        }

        plot.Add.Bars(bars);
        plot.Axes.DateTimeTicksBottom();
        var now = plot.Add.VerticalLine(history.Now.ToOADate());
        now.Color = Colors.Black;
        now.LinePattern = LinePattern.Dashed;
        now.Text = "now";
        var job = history.Job;
        plot.Title($"{job.Name} — window history (lag {(job.Lag is { } lag ? $"{(int)lag.TotalHours}h {lag.Minutes}m" : "none succeeded")})");
        plot.YLabel("rows written");
        plot.Legend.IsVisible = true;
        foreach (var (label, color) in new[] { ("succeeded", Colors.SeaGreen), ("failed", Colors.Crimson), ("running", Colors.SteelBlue), ("pending", Colors.LightGray), ("skipped", Colors.Orange) })
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = label, FillColor = color });
        }

        plot.Axes.Margins(bottom: 0);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (ext == ".svg")
        {
            plot.SaveSvg(path, width, height);
        }
        else
        {
            plot.SavePng(path, width, height);
        }
    }
}
