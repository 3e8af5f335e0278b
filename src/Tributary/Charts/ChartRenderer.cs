using System.Globalization;
using ScottPlot;
using Tributary.Kql;
using Tributary.Query;

namespace Tributary.Charts;

/// <summary>
/// Draws a <see cref="QueryResult"/> as the chart its <c>render</c> operator asked for, following
/// Kusto's render semantics, and saves it as PNG (or SVG when the path ends in <c>.svg</c>).
/// </summary>
/// <remarks>
/// <para><b>timechart, linechart, areachart, scatterchart.</b> The x axis is the first datetime
/// column (timechart) or the first column (the others: a datetime gives a date axis, a number a
/// numeric axis, anything else evenly spaced categories in order of first appearance). Every other
/// int, long, real, decimal or timespan column is a y column; timespans are plotted in seconds and
/// the axis says so. Every remaining column splits the rows into series: each distinct combination
/// of their values, times each y column, is one series, named by the values joined with
/// <c>" / "</c> (plus the y column name when there are several y columns). Points are sorted by x
/// within a series; rows whose x or y is null are skipped. areachart fills each series to zero
/// (unstacked); scatterchart draws markers only.</para>
/// <para><b>columnchart, barchart.</b> Categories are the values of the first column when it is a
/// datetime, else of the first string column, else of the first column, in order of first
/// appearance; the value columns and the other columns form series as above, drawn as grouped bars
/// (vertical for columnchart, horizontal for barchart, first category on top); rows that share a
/// category and series are summed. At most the first 50 categories are drawn, and when their labels
/// cannot all fit only every n-th is written.</para>
/// <para><b>piechart.</b> Labels come from the first string column (or the first non-value column),
/// values from the first value column; equal labels are summed; slices that are not positive are
/// left out. Beyond 20 slices the smallest are merged into one "other" slice.</para>
/// <para>At most 20 series are drawn: those with the largest total absolute value, and the title
/// then says how many of how many (<c>(20 of 37 series)</c>). A legend appears right of the plot
/// when there are two series or more; line-type series are listed largest total first, bar series
/// in order of first appearance. The title is <see cref="RenderSpec.Title"/> or the chart kind;
/// axis labels are the column names; date ticks read <c>2024-03-04</c> at midnight and <c>06:00</c>
/// otherwise (UTC). Labels taken from data have control characters escaped and are cut at 48
/// characters.</para>
/// <para>A result with no rows, without the columns the kind needs, or with nothing but nulls to
/// plot makes <see cref="Render"/> throw <see cref="ArgumentException"/> naming the result's
/// columns. Stateless and thread-safe; each call builds its own plot.</para>
/// </remarks>
public static class ChartRenderer
{
    /// <summary>The most series (or pie slices) drawn in one chart.</summary>
    public const int MaxSeries = 20;

    /// <summary>The most categories drawn in a column or bar chart.</summary>
    public const int MaxCategories = 50;

    private static readonly Lazy<string> SansFont = new(FindSansFont);

    private static readonly string[] Kinds = ["timechart", "linechart", "areachart", "scatterchart", "columnchart", "barchart", "piechart"];

    /// <summary>
    /// Renders <paramref name="result"/> as <paramref name="spec"/> says and writes the image to
    /// <paramref name="path"/>: SVG when it ends in <c>.svg</c> (any case), PNG otherwise.
    /// </summary>
    /// <exception cref="ArgumentException">The kind is not a chart kind, or the result cannot be drawn as one.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is not positive.</exception>
    public static void Render(QueryResult result, RenderSpec spec, string path, int width = 1000, int height = 560)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);

        var kind = spec.Kind.Trim().ToLowerInvariant();
        if (!Kinds.Contains(kind))
        {
            throw new ArgumentException($"render {spec.Kind} is not a chart this renderer draws; use one of {string.Join(", ", Kinds)}.", nameof(spec));
        }

        result = SeriesExpander.Expand(result);
        using var plot = new Plot();
        var title = ChartValues.Clean(spec.Title ?? kind);
        var note = kind switch
        {
            "columnchart" or "barchart" => DrawBars(plot, result, kind, width, height),
            "piechart" => DrawPie(plot, result, kind),
            _ => DrawLines(plot, result, kind, width, height),
        };
        plot.Title(note is null ? title : $"{title} {note}");
        plot.Font.Set(SansFont.Value);
        plot.Legend.FontName = SansFont.Value;

        if (path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
        {
            plot.SaveSvg(path, width, height);
        }
        else
        {
            plot.SavePng(path, width, height);
        }
    }

    private static string? DrawLines(Plot plot, QueryResult result, string kind, int width, int height)
    {
        var columns = result.Columns;
        var x = kind == "timechart"
            ? FirstIndex(columns, c => c.Type == KqlType.DateTime)
            : columns.Count > 0 ? 0 : -1;
        var ys = ValueColumns(columns, except: x);
        if (x < 0 || ys.Count == 0)
        {
            var needs = kind == "timechart"
                ? "a datetime column and at least one numeric column"
                : "an x column (its first column) and at least one numeric column after it";
            throw new ArgumentException($"render {kind} needs {needs}; the result has columns: {ChartValues.Describe(columns)}.");
        }

        RequireRows(result, kind);
        var xType = columns[x].Type;
        var xKind = xType == KqlType.DateTime ? AxisKind.DateTime : ChartValues.IsValue(xType) ? AxisKind.Number : AxisKind.Category;
        var splits = SplitColumns(columns, x, ys);
        var categories = new CategoryIndex();
        var builder = new ChartSeriesBuilder();
        foreach (var row in result.Rows)
        {
            var xValue = Cell(row, x);
            double? position = xKind switch
            {
                AxisKind.DateTime => xValue is DateTime dt ? dt.ToOADate() : null,
                AxisKind.Number => ChartValues.ToDouble(xValue),
                _ => categories.IndexOf(ChartValues.Label(xValue, xType)),
            };
            if (position is null)
            {
                continue;
            }

            AddPoints(builder, row, columns, splits, ys, position.Value);
        }

        // Implementation note: largest first, so the legend reads top-down roughly like the lines do.
        var series = Finish(builder, result, kind, sumSameX: false).OrderByDescending(s => s.Total).ToList();
        plot.Add.Palette = Palette(series.Count);
        foreach (var s in series)
        {
            var scatter = plot.Add.Scatter(s.X, s.Y);
            scatter.LegendText = s.Name;
            scatter.LineWidth = kind == "scatterchart" ? 0 : series.Count > 5 ? 1.5f : 2;
            scatter.MarkerSize = kind == "scatterchart" ? 6 : s.X.Length == 1 || (s.X.Length <= 60 && series.Count <= 5) ? 4 : 0;
            if (kind == "areachart")
            {
                scatter.FillY = true;
                scatter.FillYColor = scatter.Color.WithAlpha(0.2);
            }
        }

        switch (xKind)
        {
            case AxisKind.DateTime:
                var axis = plot.Axes.DateTimeTicksBottom();
                if (axis.TickGenerator is ScottPlot.TickGenerators.DateTimeAutomatic ticks)
                {
                    ticks.LabelFormatter = DateTickLabel;
                }

                break;
            case AxisKind.Category:
                SetCategoryTicks(plot, plot.Axes.Bottom, categories.Labels, width, height, vertical: false);
                break;
        }

        plot.XLabel(ChartValues.Clean(xKind switch
        {
            AxisKind.DateTime => columns[x].Name + DateAxisSuffix(series),
            _ when xType == KqlType.TimeSpan => columns[x].Name + " (seconds)",
            _ => columns[x].Name,
        }));
        plot.YLabel(ChartValues.ValueAxisLabel(ys.Select(i => columns[i])));
        ShowLegendIfMany(plot, series.Count);
        return SeriesNote(series.Count, builder.Count);
    }

    private static string? DrawBars(Plot plot, QueryResult result, string kind, int width, int height)
    {
        var columns = result.Columns;
        // Implementation note: a leading datetime (bin(Timestamp, 1d), Level) is the category axis,
        // as in Kusto; otherwise the first string column names the bars, as in "count() by Job".
        var category = columns.Count > 0 && columns[0].Type == KqlType.DateTime ? 0 : FirstIndex(columns, c => c.Type == KqlType.String);
        if (category < 0 && columns.Count > 0)
        {
            category = 0;
        }

        var values = ValueColumns(columns, except: category);
        if (category < 0 || values.Count == 0)
        {
            throw new ArgumentException($"render {kind} needs a category column and at least one numeric column; the result has columns: {ChartValues.Describe(columns)}.");
        }

        RequireRows(result, kind);
        var splits = SplitColumns(columns, category, values);
        var categories = new CategoryIndex();
        var builder = new ChartSeriesBuilder();
        foreach (var row in result.Rows)
        {
            var index = categories.IndexOf(ChartValues.Label(Cell(row, category), columns[category].Type));
            if (index < MaxCategories)
            {
                AddPoints(builder, row, columns, splits, values, index);
            }
        }

        var series = Finish(builder, result, kind, sumSameX: true);
        var horizontal = kind == "barchart";
        var shown = Math.Min(categories.Count, MaxCategories);
        var palette = Palette(series.Count);
        var groupWidth = 0.8;
        var barWidth = groupWidth / series.Count;
        for (var s = 0; s < series.Count; s++)
        {
            var bars = new List<Bar>(series[s].X.Length);
            for (var i = 0; i < series[s].X.Length; i++)
            {
                var slot = horizontal ? shown - 1 - series[s].X[i] : series[s].X[i];
                bars.Add(new Bar
                {
                    Position = slot - (groupWidth / 2) + (barWidth * (horizontal ? series.Count - 1 - s : s)) + (barWidth / 2),
                    Value = series[s].Y[i],
                    Size = barWidth * 0.95,
                });
            }

            var plottable = plot.Add.Bars(bars);
            plottable.Color = palette.GetColor(s);
            plottable.LegendText = series[s].Name;
            plottable.Horizontal = horizontal;
        }

        var labels = categories.Labels.Take(shown).ToArray();
        var categoryLabel = ChartValues.Clean(columns[category].Name);
        var valueLabel = ChartValues.ValueAxisLabel(values.Select(i => columns[i]));
        if (horizontal)
        {
            Array.Reverse(labels);
            SetCategoryTicks(plot, plot.Axes.Left, labels, width, height, vertical: true, firstOnTop: true);
            plot.Axes.Margins(left: 0, right: 0.05, bottom: 0.02, top: 0.02);
            plot.XLabel(valueLabel);
            plot.YLabel(categoryLabel);
        }
        else
        {
            SetCategoryTicks(plot, plot.Axes.Bottom, labels, width, height, vertical: false);
            plot.Axes.Margins(left: 0.02, right: 0.02, bottom: 0, top: 0.05);
            plot.XLabel(categoryLabel);
            plot.YLabel(valueLabel);
        }

        ShowLegendIfMany(plot, series.Count);
        var notes = new List<string>(2);
        if (categories.Count > MaxCategories)
        {
            notes.Add($"first {MaxCategories} of {categories.Count} categories");
        }

        if (series.Count < builder.Count)
        {
            notes.Add($"{series.Count} of {builder.Count} series");
        }

        return notes.Count == 0 ? null : $"({string.Join(", ", notes)})";
    }

    private static string? DrawPie(Plot plot, QueryResult result, string kind)
    {
        var columns = result.Columns;
        var value = FirstIndex(columns, c => ChartValues.IsValue(c.Type));
        var label = FirstIndex(columns, c => c.Type == KqlType.String);
        if (label < 0)
        {
            label = FirstIndex(columns, c => !ChartValues.IsValue(c.Type));
        }

        if (label < 0 || value < 0)
        {
            throw new ArgumentException($"render {kind} needs a label column and a numeric column; the result has columns: {ChartValues.Describe(columns)}.");
        }

        RequireRows(result, kind);
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var row in result.Rows)
        {
            if (ChartValues.ToDouble(Cell(row, value)) is not { } v || v <= 0)
            {
                continue;
            }

            var text = ChartValues.Label(Cell(row, label), columns[label].Type);
            if (!sums.TryAdd(text, v))
            {
                sums[text] += v;
            }
            else
            {
                order.Add(text);
            }
        }

        if (order.Count == 0)
        {
            throw new ArgumentException($"render {kind} found no positive values in column {columns[value].Name} to draw; the result has columns: {ChartValues.Describe(columns)}.");
        }

        var slices = order.Select(l => (Label: l, Value: sums[l])).ToList();
        string? note = null;
        if (slices.Count > MaxSeries)
        {
            var keep = slices.OrderByDescending(s => s.Value).Take(MaxSeries - 1).ToHashSet();
            var rest = slices.Where(s => !keep.Contains(s)).ToList();
            note = $"({MaxSeries - 1} of {slices.Count} slices, {rest.Count} more as \"other\")";
            slices = [.. slices.Where(keep.Contains), ($"other ({rest.Count})", rest.Sum(s => s.Value))];
        }

        var total = slices.Sum(s => s.Value);
        var palette = Palette(slices.Count);
        var pieSlices = slices.Select((s, i) =>
        {
            var share = s.Value / total;
            return new PieSlice
            {
                Value = s.Value,
                FillColor = palette.GetColor(i),
                Label = share >= 0.04 ? (share * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "",
                LegendText = $"{s.Label} ({(share * 100).ToString("0.#", CultureInfo.InvariantCulture)}%)",
            };
        }).ToList();
        foreach (var slice in pieSlices)
        {
            slice.LabelStyle.ForeColor = Colors.White;
            slice.LabelStyle.Bold = true;
            slice.LabelStyle.FontSize = 13;
        }

        var pie = plot.Add.Pie(pieSlices);
        pie.SliceLabelDistance = 0.7;
        pie.LineColor = Colors.White;
        pie.LineWidth = 1;
        plot.Axes.Frameless();
        plot.HideGrid();
        plot.ShowLegend(Edge.Right);
        return note;
    }

    private static void AddPoints(ChartSeriesBuilder builder, object?[] row, IReadOnlyList<KqlColumn> columns, List<int> splits, List<int> values, double x)
    {
        string? key = null;
        string? name = null;
        foreach (var v in values)
        {
            if (ChartValues.ToDouble(Cell(row, v)) is not { } y)
            {
                continue;
            }

            if (key is null)
            {
                var parts = splits.Select(s => ChartValues.Label(Cell(row, s), columns[s].Type)).ToList();
                key = string.Join('\u001f', parts);
                name = string.Join(" / ", parts);
            }

            var seriesName = splits.Count == 0 ? columns[v].Name
                : values.Count > 1 ? $"{name} / {columns[v].Name}"
                : name!;
            builder.Add($"{key}\u001e{v}", ChartValues.Clean(seriesName), x, y);
        }
    }

    private static IReadOnlyList<ChartSeries> Finish(ChartSeriesBuilder builder, QueryResult result, string kind, bool sumSameX)
    {
        if (builder.Count == 0)
        {
            throw new ArgumentException($"render {kind} found only null values to plot; the result has columns: {ChartValues.Describe(result.Columns)}.");
        }

        return builder.Build(MaxSeries, sumSameX);
    }

    private static void RequireRows(QueryResult result, string kind)
    {
        if (result.Rows.Count == 0)
        {
            throw new ArgumentException($"render {kind} needs at least one row; the result is empty (columns: {ChartValues.Describe(result.Columns)}).");
        }
    }

    private static string? SeriesNote(int shown, int total) => shown < total ? $"({shown} of {total} series)" : null;

    private static void ShowLegendIfMany(Plot plot, int seriesCount)
    {
        if (seriesCount >= 2)
        {
            plot.ShowLegend(Edge.Right);
        }
        else
        {
            plot.HideLegend();
        }
    }

    // Implementation note: the pixel lengths are estimates of the data area (the figure less the
    // title, axes and legend); they only decide rotation and label thinning, never the layout itself.
    private static void SetCategoryTicks(Plot plot, IAxis axis, IReadOnlyList<string> labels, int width, int height, bool vertical, bool firstOnTop = false)
    {
        if (labels.Count == 0)
        {
            return;
        }

        using var paint = Paint.NewDisposablePaint();
        axis.TickLabelStyle.FontName = SansFont.Value;
        var sizes = labels.Select(l => axis.TickLabelStyle.Measure(l, paint).Size).ToList();
        var widest = sizes.Max(z => z.Width);
        var lineHeight = sizes.Max(z => z.Height) + 4;
        var length = vertical ? height - 130f : width - 280f;
        var perLabel = Math.Max(length, 100) / labels.Count;

        float pitch;
        if (vertical)
        {
            pitch = lineHeight;
        }
        else if (widest + 8 <= perLabel)
        {
            pitch = widest + 8;
        }
        else
        {
            // Upright labels would collide: rotate them and reserve their drop below the axis and
            // the last one's overhang on the right.
            axis.TickLabelStyle.Rotation = 45;
            axis.TickLabelStyle.Alignment = Alignment.MiddleLeft;
            var drop = (float)(widest * Math.Sin(Math.PI / 4)) + 12;
            axis.MinimumSize = drop + 24;
            plot.Axes.Right.MinimumSize = drop;
            pitch = lineHeight * 1.2f;
        }

        // Label every step-th category when even that does not fit, keeping the first one labelled.
        var step = Math.Max(1, (int)Math.Ceiling(pitch / perLabel));
        var anchor = firstOnTop ? labels.Count - 1 : 0;
        var keep = Enumerable.Range(0, labels.Count).Where(i => Math.Abs(i - anchor) % step == 0).ToArray();
        axis.SetTicks([.. keep.Select(i => (double)i)], [.. keep.Select(i => labels[i])]);
    }

    // Ticks inside one day show only times, so the label carries the date.
    private static string DateAxisSuffix(IReadOnlyList<ChartSeries> series)
    {
        var first = DateTime.FromOADate(series.Min(s => s.X[0]));
        var last = DateTime.FromOADate(series.Max(s => s.X[^1]));
        return first.Date == last.Date
            ? $" (UTC, {first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})"
            : " (UTC)";
    }

    // Midnight ticks show the date, the others the time of day: "2024-03-04", "06:00", "12:00" …
    private static string DateTickLabel(DateTime tick) =>
        tick.TimeOfDay == TimeSpan.Zero ? tick.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : tick.Millisecond != 0 || tick.Microsecond != 0 ? tick.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)
        : tick.Second != 0 ? tick.ToString("HH:mm:ss", CultureInfo.InvariantCulture)
        : tick.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string FindSansFont()
    {
        foreach (var name in new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "Segoe UI", "Open Sans" })
        {
            using var typeface = SkiaSharp.SKFontManager.Default.MatchFamily(name);
            if (typeface is not null && string.Equals(typeface.FamilyName, name, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }

        return Fonts.Default;
    }

    private static IPalette Palette(int count) =>
        count <= 10 ? new ScottPlot.Palettes.Category10() : new ScottPlot.Palettes.Tsitsulin();

    private static List<int> ValueColumns(IReadOnlyList<KqlColumn> columns, int except)
    {
        var result = new List<int>();
        for (var i = 0; i < columns.Count; i++)
        {
            if (i != except && ChartValues.IsValue(columns[i].Type))
            {
                result.Add(i);
            }
        }

        return result;
    }

    private static List<int> SplitColumns(IReadOnlyList<KqlColumn> columns, int axis, List<int> values)
    {
        var result = new List<int>();
        for (var i = 0; i < columns.Count; i++)
        {
            if (i != axis && !values.Contains(i))
            {
                result.Add(i);
            }
        }

        return result;
    }

    private static int FirstIndex(IReadOnlyList<KqlColumn> columns, Func<KqlColumn, bool> predicate)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (predicate(columns[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static object? Cell(object?[] row, int index) => index < row.Length ? row[index] : null;

    private enum AxisKind
    {
        DateTime,
        Number,
        Category,
    }

    // Positions for categorical values, in order of first appearance.
    private sealed class CategoryIndex
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private readonly List<string> _labels = [];

        public int Count => _labels.Count;

        public IReadOnlyList<string> Labels => _labels;

        public int IndexOf(string label)
        {
            if (!_index.TryGetValue(label, out var index))
            {
                index = _labels.Count;
                _index.Add(label, index);
                _labels.Add(label);
            }

            return index;
        }
    }
}
