using Tributary.Jobs;
using Tributary.Pipelines;
using Tributary.Tests.Store;

namespace Tributary.Tests.Pipelines;

/// <summary>Planning and applying a pipeline against a store: checks first, then changes; invalid files change nothing.</summary>
public sealed class PipelineApplierTests : IDisposable
{
    private const string File = "p.yaml";
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    private IReadOnlyList<PlanStep> Apply(string yaml) => PipelineApplier.Apply(_temp.Store, PipelineLoader.Parse(yaml, File));

    private IReadOnlyList<PlanStep> Plan(string yaml) => PipelineApplier.Plan(_temp.Store, PipelineLoader.Parse(yaml, File));

    /// <summary>Everything applying can change: tables with schemas, functions, views, jobs with settings.</summary>
    private string Snapshot()
    {
        static string Rows(Tributary.Query.QueryResult r) => string.Join("\n", r.Rows.Select(row => string.Join("|", row)));
        var jobs = new JobLedger(_temp.Store).LoadJobs().Select(j => JobLedger.Serialize(j.Definition) + j.Paused);
        return string.Join("\n---\n",
            Rows(_temp.Execute(".show tables")),
            string.Join("\n", _temp.Store.Tables.Select(t => t.CslSchema)),
            Rows(_temp.Execute(".show functions")),
            string.Join("\n", _temp.Store.ListViews().Select(v => $"{v.Name}:{v.Source}:{v.Query}")),
            string.Join("\n", jobs));
    }

    /// <summary>Applying <paramref name="yaml"/> fails at line:column with the problem, and the store is as before.</summary>
    private PipelineException FailsAndChangesNothing(string yaml, int line, int column, string problem)
    {
        var before = Snapshot();
        var e = Assert.Throws<PipelineException>(() => Apply(yaml));
        Assert.True(line == e.Line && column == e.Column, $"expected {line}:{column}, got {e.Line}:{e.Column}: {e.Message}");
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"{File}:{line}:{column}: ", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
        return e;
    }

    [Fact]
    public void Apply_SameFileTwice_SecondPlanAllUnchanged()
    {
        var first = Apply(PipelineFiles.Valid);
        Assert.All(first, s => Assert.Equal(PlanAction.Create, s.Action));
        Assert.Equal(5, first.Count);
        var after = Snapshot();

        var second = Apply(PipelineFiles.Valid);
        Assert.All(second, s => Assert.True(s.Action == PlanAction.Unchanged, $"{s.Kind} {s.Name} is {s.Action}: {s.Detail}"));
        Assert.Equal(after, Snapshot());
    }

    [Fact]
    public void Plan_NewFile_ChangesNothing()
    {
        var before = Snapshot();
        var plan = Plan(PipelineFiles.Valid);
        Assert.Equal(["table Src", "table Mid", "function fMid", "view MidCounts", "job A"], plan.Select(s => $"{s.Kind} {s.Name}"));
        Assert.All(plan, s => Assert.Equal(PlanAction.Create, s.Action));
        Assert.Equal(before, Snapshot());
        Assert.DoesNotContain(_temp.Store.Tables, t => t.Name is "Src" or "Mid");
    }

    [Fact]
    public void Plan_ChangedFile_ChangesNothing()
    {
        Apply(PipelineFiles.Valid);
        var before = Snapshot();
        var plan = Plan(PipelineFiles.Valid.Replace("window: 10m", "window: 20m", StringComparison.Ordinal).Replace("Stage: string }", "Stage: string, Extra: long }", StringComparison.Ordinal));
        Assert.Equal(PlanAction.Alter, plan.Single(s => s.Name == "A").Action);
        Assert.Equal(PlanAction.Alter, plan.Single(s => s.Name == "Mid").Action);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void Apply_JobWindowChanged_AlterWithDetail()
    {
        Apply(PipelineFiles.Valid);
        var plan = Apply(PipelineFiles.Valid.Replace("window: 10m", "window: 20m", StringComparison.Ordinal));
        var step = plan.Single(s => s.Kind == "job");
        Assert.Equal(PlanAction.Alter, step.Action);
        Assert.Equal("window 00:10:00 → 00:20:00", step.Detail);
        Assert.All(plan.Where(s => s.Kind != "job"), s => Assert.Equal(PlanAction.Unchanged, s.Action));
        Assert.Equal(TimeSpan.FromMinutes(20), new JobLedger(_temp.Store).LoadJobs().Single().Definition.Window);
    }

    [Fact]
    public void Apply_JobRetryBackoffChanged_AlterNamesTheSetting()
    {
        Apply(PipelineFiles.Valid);
        var step = Apply(PipelineFiles.Valid.Replace("delay: 1m", "delay: 1m\n    retryBackoff: 2m", StringComparison.Ordinal)).Single(s => s.Kind == "job");
        Assert.Equal(PlanAction.Alter, step.Action);
        Assert.Contains("retryBackoff", step.Detail, StringComparison.Ordinal);
        Assert.Contains("00:02:00", step.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_ColumnAdded_AlterAndTheColumnExists()
    {
        Apply(PipelineFiles.Valid);
        var plan = Apply(PipelineFiles.Valid.Replace("Stage: string }", "Stage: string, Extra: long }", StringComparison.Ordinal));
        var step = plan.Single(s => s.Name == "Mid");
        Assert.Equal(PlanAction.Alter, step.Action);
        Assert.Equal("add column(s) Extra:long", step.Detail);
        Assert.Contains("Extra:long", _temp.Store.Tables.Single(t => t.Name == "Mid").CslSchema, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_ColumnTypeChanged_ErrorAndNothingChanges()
    {
        Apply(PipelineFiles.Valid);
        var e = FailsAndChangesNothing(PipelineFiles.Valid.Replace("V: long, Stage", "V: string, Stage", StringComparison.Ordinal), 3, 3,
            "column 'V' of table 'Mid' is long in the store and string in the file; a column's type cannot change");
        Assert.Equal(File, e.File);
    }

    [Fact]
    public void Apply_DependsOnUnknownJob_ErrorAndNothingChanges()
    {
        FailsAndChangesNothing(PipelineFiles.Valid + "\n    dependsOn: [Z]", 14, 3, "job 'A' depends on 'Z', which is not a job (jobs: A)");
    }

    [Fact]
    public void Apply_DependsOnCycle_NamesTheCycle()
    {
        var yaml = PipelineFiles.Valid + """

                dependsOn: [C]
              B:
                query: Mid
                target: Mid
                window: 10m
                start: 2024-05-23T00:00:00Z
                dependsOn: [A]
              C:
                query: Mid
                target: Mid
                window: 10m
                start: 2024-05-23T00:00:00Z
                dependsOn: [B]
            """;
        FailsAndChangesNothing(yaml, 14, 3, "the jobs' dependsOn form a cycle: A → C → B → A");
    }

    [Fact]
    public void Apply_DependsOnCycleThroughStoredJob_NamesTheCycle()
    {
        Apply(PipelineFiles.Valid);
        Apply("""
            jobs:
              B:
                query: Mid
                target: Mid
                window: 10m
                start: 2024-05-23T00:00:00Z
                dependsOn: [A]
            """);
        FailsAndChangesNothing(PipelineFiles.Valid + "\n    dependsOn: [B]", 14, 3, "cycle: A → B → A");
    }

    [Fact]
    public void Apply_KqlErrorInFunctionBlockBody_MappedToFileLineAndColumn()
    {
        // Line 9 of the file is "      | where Timestamp >= startTime and Timestamp < endTime"; "Timestmp" starts at column 15.
        var yaml = PipelineFiles.Valid.Replace("| where Timestamp >= startTime", "| where Timestmp >= startTime", StringComparison.Ordinal);
        var e = FailsAndChangesNothing(yaml, 9, 15, "in function 'fMid': unknown column 'Timestmp'");
        Assert.Contains("did you mean 'Timestamp'?", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_KqlErrorOnFirstLineOfFunctionBlockBody_MappedToFileLineAndColumn()
    {
        var yaml = PipelineFiles.Valid.Replace("      Src\n", "      Srcc\n", StringComparison.Ordinal);
        FailsAndChangesNothing(yaml, 8, 7, "in function 'fMid': unknown");
    }

    [Fact]
    public void Apply_KqlErrorInQuotedViewQuery_MappedToFileLineAndColumn()
    {
        // Line 12: '  MidCounts: { source: Mid, query: "Mid | summarize N = count() by Sourc" }'; the quote is at column 36, the text starts at 37.
        var yaml = PipelineFiles.Valid.Replace("by Source\"", "by Sourc\"", StringComparison.Ordinal);
        FailsAndChangesNothing(yaml, 12, 37 + "Mid | summarize N = count() by ".Length, "in view 'MidCounts': unknown column 'Sourc'");
    }

    [Fact]
    public void Apply_JobQueryReadsUnknownTable_MappedToTheQuery()
    {
        var yaml = PipelineFiles.Valid.Replace("query: fMid(startTime, endTime)", "query: Src | union Nowhere", StringComparison.Ordinal);
        FailsAndChangesNothing(yaml, 15, 12 + "Src | union ".Length, "in the query of job 'A': unknown table or function 'Nowhere'");
    }

    [Fact]
    public void Apply_JobTargetIsAView_Error()
    {
        var yaml = PipelineFiles.Valid.Replace("target: Mid", "target: MidCounts", StringComparison.Ordinal);
        FailsAndChangesNothing(yaml, 14, 3, "the target of job 'A', 'MidCounts', is not a table the file or the store declares");
    }

    [Fact]
    public void Apply_JobTargetUnknown_Error()
    {
        var yaml = PipelineFiles.Valid.Replace("target: Mid", "target: Nowhere", StringComparison.Ordinal);
        FailsAndChangesNothing(yaml, 14, 3, "the target of job 'A', 'Nowhere', is not a table");
    }

    [Fact]
    public void Apply_JobQueryColumnTargetLacks_ErrorNamesTheColumn()
    {
        var yaml = PipelineFiles.Valid.Replace("query: fMid(startTime, endTime)", "query: fMid(startTime, endTime) | extend Bogus = 1", StringComparison.Ordinal);
        FailsAndChangesNothing(yaml, 15, 12, "the query of job 'A' produces column 'Bogus', which its target 'Mid' does not have");
    }

    [Fact]
    public void Apply_InvalidFileAfterValidOne_StoreAndJobsUnchanged()
    {
        Apply(PipelineFiles.Valid);
        var scheduler = JobScheduler.Open(_temp.Store, _temp.Time);
        var jobsBefore = scheduler.Jobs.Select(JobLedger.Serialize).ToList();

        // Valid changes (a new table, a changed function, a new job) next to an invalid job: none of it lands.
        var yaml = PipelineFiles.Valid
            .Replace("  Mid: {", "  New: { X: long }\n  Mid: {", StringComparison.Ordinal)
            .Replace("| extend Stage = \"mid\"", "| extend Stage = \"changed\"", StringComparison.Ordinal)
            + "\n  B:\n    query: Nowhere\n    target: Mid\n    window: 10m\n    start: 2024-05-23T00:00:00Z";
        var e = FailsAndChangesNothing(yaml, 22, 12, "unknown table or function 'Nowhere'");
        Assert.Contains("B", e.Problem, StringComparison.Ordinal);

        scheduler.Reload();
        Assert.Equal(jobsBefore, scheduler.Jobs.Select(JobLedger.Serialize).ToList());
        scheduler.Dispose();
    }

    [Fact]
    public void Apply_ViewNamedLikeAStoredTable_PipelineErrorAndNothingChanges()
    {
        Apply(PipelineFiles.Valid);
        var yaml = """
            tables:
              Fresh: { X: long }
            views:
              Src: { source: Mid, query: "Mid | summarize N = count() by Source" }
            """;
        FailsAndChangesNothing(yaml, 4, 3, "'Src' is already a table; tables, views and functions share one namespace");
    }

    [Fact]
    public void Apply_TableNamedLikeAStoredFunction_PipelineErrorAndNothingChanges()
    {
        Apply(PipelineFiles.Valid);
        var yaml = """
            tables:
              Fresh: { X: long }
              fMid: { X: long }
            """;
        FailsAndChangesNothing(yaml, 3, 3, "'fMid' is already a function; tables, views and functions share one namespace");
    }

    [Fact]
    public void Apply_NamesDifferingOnlyInCase_PipelineErrorAndNothingChanges()
    {
        Apply(PipelineFiles.Valid);
        FailsAndChangesNothing("""
            tables:
              Fresh: { X: long }
              src: { X: long }
            """, 3, 3, "'src' differs from the table 'Src' only in case");
        FailsAndChangesNothing("""
            tables:
              Fresh: { X: long }
              fresh: { X: long }
            """, 3, 3, "'fresh' differs from the table 'Fresh' only in case");
    }

    [Fact]
    public void Apply_ViewOverAView_PipelineErrorAndNothingChanges()
    {
        Apply(PipelineFiles.Valid);
        FailsAndChangesNothing("""
            tables:
              Fresh: { X: long }
            views:
              Again: { source: MidCounts, query: "MidCounts | summarize M = count() by Source" }
            """, 4, 3, "view 'Again' reads 'MidCounts', which is a materialized view; a view's source must be a table");
    }

    [Fact]
    public void Apply_ViewColumnWithReservedName_PipelineErrorAndNothingChanges()
    {
        Apply(PipelineFiles.Valid);
        FailsAndChangesNothing("""
            tables:
              Fresh: { X: long }
            views:
              Odd: { source: Mid, query: "Mid | summarize __n = count() by Source" }
            """, 4, 30, "view 'Odd' has column '__n'; a materialized view's columns cannot start with '__'");
    }
}
