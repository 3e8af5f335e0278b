using System.Text;
using Tributary.Charts;
using Tributary.Kql;
using Tributary.Query;

namespace Tributary.Tests.Charts;

public sealed class ChartRendererTests : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly DateTime Start = new(2024, 3, 4, 0, 0, 0, DateTimeKind.Utc);

    private readonly string _directory = Directory.CreateTempSubdirectory("tributary-charts-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string> Kinds() =>
        ["timechart", "linechart", "areachart", "scatterchart", "columnchart", "barchart", "piechart"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Render_EachKind_WritesValidPng(string kind)
    {
        var path = Path.Combine(_directory, kind + ".png");

        ChartRenderer.Render(ResultFor(kind), new RenderSpec(kind), path);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(PngSignature, bytes[..8]);
        Assert.True(bytes.Length > 5 * 1024, $"{kind} PNG is only {bytes.Length} bytes");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Render_EachKind_WritesSvgWhenPathEndsInSvg(string kind)
    {
        var path = Path.Combine(_directory, kind + ".SVG");

        ChartRenderer.Render(ResultFor(kind), new RenderSpec(kind, "A title"), path);

        var text = File.ReadAllText(path);
        Assert.True(text.StartsWith("<svg", StringComparison.Ordinal) || text.StartsWith("<?xml", StringComparison.Ordinal), text[..Math.Min(80, text.Length)]);
        Assert.Contains("</svg>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HonoursWidthAndHeight()
    {
        var path = Path.Combine(_directory, "size.png");

        ChartRenderer.Render(TimeChartResult(), new RenderSpec("timechart"), path, width: 640, height: 360);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(640, ReadBigEndian(bytes, 16));
        Assert.Equal(360, ReadBigEndian(bytes, 20));
    }

    [Fact]
    public void Render_KindIsCaseInsensitive()
    {
        var path = Path.Combine(_directory, "upper.png");

        ChartRenderer.Render(TimeChartResult(), new RenderSpec("TimeChart"), path);

        Assert.True(File.Exists(path));
    }

    [Fact]
    public void Render_HostileLabels_StillWriteWellFormedSvg()
    {
        var result = new QueryResult(
            [new("Timestamp", KqlType.DateTime), new("Name", KqlType.String), new("N", KqlType.Long)],
            [[Start, "a\u0001<b>&\u001b[31m\"x\"", 1L], [Start.AddHours(1), "a\u0001<b>&\u001b[31m\"x\"", 2L], [Start, "", 3L], [Start.AddHours(1), "", 1L]]);
        var path = Path.Combine(_directory, "hostile.svg");

        ChartRenderer.Render(result, new RenderSpec("timechart", "t\u0007<title>"), path);

        var document = System.Xml.Linq.XDocument.Load(path);
        Assert.Equal("svg", document.Root!.Name.LocalName);
    }

    [Fact]
    public void Render_ZeroRows_Throws()
    {
        var result = new QueryResult([new("Timestamp", KqlType.DateTime), new("Count", KqlType.Long)], []);

        var error = Assert.Throws<ArgumentException>(() => Render(result, "timechart"));

        Assert.Contains("render timechart needs at least one row", error.Message, StringComparison.Ordinal);
        Assert.Contains("Timestamp:datetime, Count:long", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TimechartWithoutNumericColumn_ThrowsNamingColumns()
    {
        var result = new QueryResult([new("Timestamp", KqlType.DateTime), new("Name", KqlType.String)], [[Start, "a"]]);

        var error = Assert.Throws<ArgumentException>(() => Render(result, "timechart"));

        Assert.Equal(
            "render timechart needs a datetime column and at least one numeric column; the result has columns: Timestamp:datetime, Name:string.",
            error.Message);
    }

    [Fact]
    public void Render_TimechartWithoutDatetimeColumn_Throws()
    {
        var result = new QueryResult([new("Name", KqlType.String), new("Count", KqlType.Long)], [["a", 1L]]);

        var error = Assert.Throws<ArgumentException>(() => Render(result, "timechart"));

        Assert.StartsWith("render timechart needs a datetime column", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("columnchart")]
    [InlineData("barchart")]
    [InlineData("piechart")]
    [InlineData("linechart")]
    public void Render_NoNumericColumn_Throws(string kind)
    {
        var result = new QueryResult([new("Name", KqlType.String), new("Other", KqlType.String)], [["a", "b"]]);

        var error = Assert.Throws<ArgumentException>(() => Render(result, kind));

        Assert.StartsWith($"render {kind} needs", error.Message, StringComparison.Ordinal);
        Assert.Contains("Name:string, Other:string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OnlyNullValues_Throws()
    {
        var result = new QueryResult([new("Timestamp", KqlType.DateTime), new("Count", KqlType.Long)], [[Start, null], [null, 1L]]);

        var error = Assert.Throws<ArgumentException>(() => Render(result, "timechart"));

        Assert.Contains("only null values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_PieWithoutPositiveValues_Throws()
    {
        var result = new QueryResult([new("Name", KqlType.String), new("Count", KqlType.Long)], [["a", 0L], ["b", -3L]]);

        var error = Assert.Throws<ArgumentException>(() => Render(result, "piechart"));

        Assert.Contains("no positive values", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("table")]
    [InlineData("card")]
    [InlineData("")]
    public void Render_NotAChartKind_Throws(string kind)
    {
        var error = Assert.Throws<ArgumentException>(() => Render(TimeChartResult(), kind));

        Assert.Contains("is not a chart", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NonPositiveSize_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            ChartRenderer.Render(TimeChartResult(), new RenderSpec("timechart"), Path.Combine(_directory, "x.png"), width: 0));

    [Fact]
    public void Render_ManySeriesAndSlices_Succeed()
    {
        var rows = new List<object?[]>();
        for (var s = 0; s < 37; s++)
        {
            for (var h = 0; h < 10; h++)
            {
                rows.Add([Start.AddHours(h), $"job-{s:00}", (long)(s + h)]);
            }
        }

        var result = new QueryResult([new("Timestamp", KqlType.DateTime), new("Job", KqlType.String), new("Count", KqlType.Long)], rows);
        var pie = new QueryResult([new("Job", KqlType.String), new("Count", KqlType.Long)], [.. Enumerable.Range(1, 37).Select(i => new object?[] { $"job-{i}", (long)i })]);
        var bars = new QueryResult([new("Tenant", KqlType.String), new("Count", KqlType.Long)], [.. Enumerable.Range(1, 80).Select(i => new object?[] { $"tenant-{i:000}-production", (long)i })]);

        Render(result, "timechart");
        Render(pie, "piechart");
        Render(bars, "columnchart");
        Render(bars, "barchart");
    }

    [Fact]
    public void Render_SinglePointAndNumericOrCategoricalX_Succeed()
    {
        Render(new QueryResult([new("Timestamp", KqlType.DateTime), new("N", KqlType.Int)], [[Start, 1]]), "timechart");
        Render(new QueryResult([new("Size", KqlType.TimeSpan), new("N", KqlType.Real)], [[TimeSpan.FromSeconds(2), 1.5], [TimeSpan.FromSeconds(1), 0.5]]), "linechart");
        Render(new QueryResult([new("Stage", KqlType.String), new("N", KqlType.Decimal)], [["parse", 1.5m], ["bind", 2m]]), "linechart");
        Render(new QueryResult([new("Day", KqlType.DateTime), new("N", KqlType.Long)], [[Start, 3L], [Start.AddDays(1), 4L]]), "columnchart");
    }

    private void Render(QueryResult result, string kind) =>
        ChartRenderer.Render(result, new RenderSpec(kind), Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".png"));

    private static QueryResult ResultFor(string kind) => kind switch
    {
        "columnchart" or "barchart" => new QueryResult(
            [new("JobName", KqlType.String), new("Status", KqlType.String), new("Runs", KqlType.Long)],
            [["Ingest", "Succeeded", 700L], ["Ingest", "Failed", 12L], ["Rollup", "Succeeded", 350L], ["Rollup", "Failed", 40L], ["Export", "Succeeded", 300L]]),
        "piechart" => new QueryResult(
            [new("Level", KqlType.String), new("Count", KqlType.Long)],
            [["Information", 8000L], ["Warning", 900L], ["Error", 150L], ["Verbose", 4000L]]),
        _ => TimeChartResult(),
    };

    // 3 jobs × p95 duration (timespan) per hour over 5 days, two string split columns, rows unsorted.
    private static QueryResult TimeChartResult()
    {
        var random = new Random(7);
        var rows = new List<object?[]>();
        foreach (var (job, function, seconds) in new[] { ("Ingest", "fn_Ingest", 90.0), ("Rollup", "fn_Rollup", 240.0), ("Export", "fn_Export", 30.0) })
        {
            for (var h = 0; h < 24 * 5; h++)
            {
                var at = Start.AddHours(h);
                var value = seconds * (1 + (0.4 * Math.Sin(at.Hour / 24.0 * 2 * Math.PI))) * (0.9 + (0.2 * random.NextDouble()));
                rows.Add([at, job, function, TimeSpan.FromSeconds(value)]);
            }
        }

        rows = [.. rows.OrderBy(_ => random.Next())];
        return new QueryResult(
            [new("Timestamp", KqlType.DateTime), new("JobName", KqlType.String), new("KustoFunctionName", KqlType.String), new("p95_Duration", KqlType.TimeSpan)],
            rows);
    }

    private static int ReadBigEndian(byte[] bytes, int offset) =>
        (bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];
}
