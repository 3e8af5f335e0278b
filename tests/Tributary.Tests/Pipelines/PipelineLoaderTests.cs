using Tributary.Pipelines;

namespace Tributary.Tests.Pipelines;

/// <summary>Parsing a pipeline file: every error names file:line:column and the problem.</summary>
public sealed class PipelineLoaderTests : TempDirectoryTest
{
    private const string File = "pipes/p.yaml";

    public PipelineLoaderTests()
        : base("pipeline-loader")
    {
    }

    private static PipelineException Fails(string yaml) => Assert.Throws<PipelineException>(() => PipelineLoader.Parse(yaml, File));

    private static void AssertAt(PipelineException e, int line, int column, string problem)
    {
        Assert.Equal(File, e.File);
        Assert.True(line == e.Line && column == e.Column, $"expected {line}:{column}, got {e.Line}:{e.Column}: {e.Message}");
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"{File}:{line}:{column}: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ValidFile_ReadsEverySection()
    {
        var p = PipelineLoader.Parse(PipelineFiles.Valid, File);
        Assert.Equal(["Src", "Mid"], p.Tables.Select(t => t.Name));
        Assert.Equal("fMid", Assert.Single(p.Functions).Name);
        Assert.Equal("MidCounts", Assert.Single(p.Views).Name);
        var job = Assert.Single(p.Jobs);
        Assert.Equal("A", job.Definition.Name);
        Assert.Equal(TimeSpan.FromMinutes(10), job.Definition.Window);
        Assert.Equal(TimeSpan.FromMinutes(1), job.Definition.Delay);
        Assert.Equal(new DateTime(2024, 5, 23, 0, 0, 0, DateTimeKind.Utc), job.Definition.Start);
        Assert.Equal(DateTimeKind.Utc, job.Definition.Start.Kind);
    }

    [Fact]
    public void Parse_FlowMappingLeftOpen_PointsAtTheOpenBrace()
    {
        var e = Fails("""
            tables:
              Src: { Timestamp: datetime, Source: string
            jobs: {}
            """);
        AssertAt(e, 2, 8, "not valid YAML: the '{' here is not closed");
    }

    [Fact]
    public void Parse_FlowSequenceLeftOpen_PointsAtTheOpenBracket()
    {
        var e = Fails("""
            jobs:
              A:
                dependsOn: [B, C
                query: Src
            """);
        AssertAt(e, 3, 16, "not valid YAML: the '[' here is not closed");
    }

    [Fact]
    public void Parse_InvalidYaml_NamesLineColumnAndSaysNotYaml()
    {
        var e = Fails("""
            tables:
              Src: { Timestamp: datetime }
             Mid: { Timestamp: datetime }
            """);
        Assert.Equal(File, e.File);
        Assert.Equal(3, e.Line);
        Assert.True(e.Column > 0);
        Assert.Contains("not valid YAML", e.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("Idx:", e.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{File}:3:{e.Column}: not valid YAML", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TopLevelKeyWrongCase_SuggestsTheKey()
    {
        var e = Fails("""
            Tables:
              Src: { Timestamp: datetime }
            """);
        AssertAt(e, 1, 1, "unknown key 'Tables' in the top level; did you mean 'tables'?");
    }

    [Fact]
    public void Parse_TopLevelKeyMisspelt_SuggestsTheKey()
    {
        var e = Fails("""
            tables:
              Src: { Timestamp: datetime }
            tabels:
              Mid: { Timestamp: datetime }
            """);
        AssertAt(e, 3, 1, "unknown key 'tabels' in the top level; did you mean 'tables'?");

        e = Fails("""
            job:
              A: {}
            """);
        AssertAt(e, 1, 1, "did you mean 'jobs'?");
    }

    [Fact]
    public void Parse_TopLevelKeyFarFromAny_ListsTheKeysWithoutSuggestion()
    {
        var e = Fails("""
            pipelines:
              A: {}
            """);
        AssertAt(e, 1, 1, "unknown key 'pipelines' in the top level (expected: tables, functions, views, jobs, topics, processors)");
    }

    [Fact]
    public void Parse_UnknownColumnType_NamesTheTypeAndColumn()
    {
        var e = Fails("""
            tables:
              Src:
                Timestamp: datetime
                Source: strin
            """);
        AssertAt(e, 4, 13, "unknown type 'strin' for column 'Source' of table 'Src'");
    }

    [Fact]
    public void Parse_JobWithoutTarget_SaysWhichFieldIsMissing()
    {
        var e = Fails("""
            jobs:
              A:
                query: Src
                window: 10m
                start: 2024-05-23T00:00:00Z
            """);
        AssertAt(e, 3, 5, "job 'A' needs 'target'");
    }

    [Fact]
    public void Parse_JobWithoutWindow_SaysWhichFieldIsMissing()
    {
        var e = Fails("""
            jobs:
              A:
                query: Src
                target: Mid
                start: 2024-05-23T00:00:00Z
            """);
        AssertAt(e, 3, 5, "job 'A' needs 'window'");
    }

    [Fact]
    public void Parse_BadDuration_PointsAtTheValue()
    {
        var e = Fails("""
            jobs:
              A:
                query: Src
                target: Mid
                window: 10 minutes
                start: 2024-05-23T00:00:00Z
            """);
        AssertAt(e, 5, 13, "'window' of job 'A' is '10 minutes', not a duration");
    }

    [Fact]
    public void Parse_BadStartTime_PointsAtTheValue()
    {
        var e = Fails("""
            jobs:
              A:
                query: Src
                target: Mid
                window: 10m
                start: yesterday
            """);
        AssertAt(e, 6, 12, "'start' of job 'A' is 'yesterday', not a time");
    }

    [Fact]
    public void Parse_UnknownJobKey_SuggestsTheKey()
    {
        var e = Fails("""
            jobs:
              A:
                query: Src
                target: Mid
                window: 10m
                start: 2024-05-23T00:00:00Z
                dependson: [B]
            """);
        AssertAt(e, 7, 5, "unknown key 'dependson' in job 'A'; did you mean 'dependsOn'?");
    }

    [Fact]
    public void Parse_JobSettingOutOfRange_NamesJobAndSetting()
    {
        var e = Fails("""
            jobs:
              A:
                query: Src
                target: Mid
                window: 10m
                start: 2024-05-23T00:00:00Z
                maxParallelism: 0
            """);
        Assert.Equal(3, e.Line);
        Assert.Contains("job 'A': 'maxParallelism' must be between 1 and 1000, not 0", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BatchNotANumber_PointsAtTheValue()
    {
        var e = Fails("""
            jobs:
              A:
                query: Src
                target: Mid
                window: 10m
                start: 2024-05-23T00:00:00Z
                batch: lots
            """);
        Assert.Equal((7, 12), (e.Line, e.Column));
        Assert.Contains("'batch' of job 'A' is 'lots', not a whole number", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyFile_SaysSo()
    {
        var e = Fails("");
        Assert.Equal(0, e.Line);
        Assert.Equal($"{File}: the file is empty; declare tables, functions, views or jobs", e.Message);
    }

    [Fact]
    public void Load_OversizedFile_RefusedBeforeParsing()
    {
        Directory.CreateDirectory(Dir);
        var path = Path.Combine(Dir, "big.yaml");
        using (var stream = System.IO.File.Create(path))
        {
            stream.SetLength(PipelineLoader.MaxFileBytes + 1);
        }

        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(path));
        Assert.Equal(path, e.File);
        Assert.Contains("larger than 4 MB", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_SaysNotFound()
    {
        var path = Path.Combine(Dir, "none.yaml");
        var e = Assert.Throws<PipelineException>(() => PipelineLoader.Load(path));
        Assert.Equal($"{path}: file not found", e.Message);
    }

    [Theory]
    [InlineData("500ms", 5_000_000L)]
    [InlineData("30s", 300_000_000L)]
    [InlineData("10m", 6_000_000_000L)]
    [InlineData("10min", 6_000_000_000L)]
    [InlineData("1.5h", 54_000_000_000L)]
    [InlineData("1d", 864_000_000_000L)]
    public void TryParseDuration_Units_Parse(string text, long ticks)
    {
        Assert.True(PipelineLoader.TryParseDuration(text, out var value));
        Assert.Equal(ticks, value.Ticks);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("10 minutes")]
    [InlineData("-1m")]
    [InlineData("m")]
    [InlineData("99999999999999999999d")]
    public void TryParseDuration_NotADuration_False(string text) => Assert.False(PipelineLoader.TryParseDuration(text, out _));
}

/// <summary>Pipeline files the tests start from.</summary>
internal static class PipelineFiles
{
    public const string Valid = """
        tables:
          Src: { Timestamp: datetime, Source: string, V: long }
          Mid: { Timestamp: datetime, Source: string, V: long, Stage: string }
        functions:
          fMid:
            params: { startTime: datetime, endTime: datetime }
            body: |
              Src
              | where Timestamp >= startTime and Timestamp < endTime
              | extend Stage = "mid"
        views:
          MidCounts: { source: Mid, query: "Mid | summarize N = count() by Source" }
        jobs:
          A:
            query: fMid(startTime, endTime)
            target: Mid
            window: 10m
            delay: 1m
            start: 2024-05-23T00:00:00Z
        """;
}
