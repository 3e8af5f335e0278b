using Tributary.Jobs;
using Tributary.Kql;
using Tributary.Store;

namespace Tributary.Pipelines;

/// <summary>What applying a pipeline does to one thing it declares.</summary>
public enum PlanAction
{
    /// <summary>It is already as the file says.</summary>
    Unchanged,

    /// <summary>It does not exist yet.</summary>
    Create,

    /// <summary>It exists and changes.</summary>
    Alter,
}

/// <summary>One step of a plan: what (table, function, view, job), which, and what happens to it.</summary>
public sealed record PlanStep(string Kind, string Name, PlanAction Action, string Detail);

/// <summary>
/// Makes a data directory match a pipeline file: checks everything first (types, KQL of functions, views
/// and jobs against what the file and the store declare together, dependencies and cycles), then creates or
/// alters what differs. An invalid file changes nothing; applying the same file twice changes nothing.
/// </summary>
/// <remarks>Things the store holds that the file does not mention are left as they are.</remarks>
public static class PipelineApplier
{
    /// <summary>Checks the pipeline against the store and returns what applying it would do, changing nothing.</summary>
    /// <exception cref="PipelineException">Something in the file is invalid; the message names its line.</exception>
    public static IReadOnlyList<PlanStep> Plan(TributaryStore store, PipelineDefinition pipeline)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(pipeline);
        var file = pipeline.File;
        var catalog = new PlannedCatalog(store.Catalog);
        var steps = new List<PlanStep>();
        var now = store.UtcNow;
        CheckNamespace(store, pipeline);

        foreach (var t in pipeline.Tables)
        {
            if (SystemTables.IsSystemTable(t.Name) || t.Name.StartsWith("__", StringComparison.Ordinal))
            {
                throw new PipelineException(file, t.At.Line, t.At.Column, $"'{t.Name}' is a name Tributary keeps for itself");
            }

            if (store.Catalog.TryGetTable(t.Name, out var existing))
            {
                var changed = existing.Columns.Where(c => t.Columns.FirstOrDefault(n => n.Name == c.Name) is { } n && n.Type != c.Type).ToList();
                if (changed.Count > 0)
                {
                    var c = changed[0];
                    throw new PipelineException(file, t.At.Line, t.At.Column,
                        $"column '{c.Name}' of table '{t.Name}' is {KqlTypes.Name(c.Type)} in the store and {KqlTypes.Name(t.Columns.First(n => n.Name == c.Name).Type)} in the file; a column's type cannot change");
                }

                var added = t.Columns.Where(c => existing.Find(c.Name) is null).ToList();
                steps.Add(added.Count == 0
                    ? new PlanStep("table", t.Name, PlanAction.Unchanged, "")
                    : new PlanStep("table", t.Name, PlanAction.Alter, "add column(s) " + string.Join(", ", added.Select(c => $"{c.Name}:{KqlTypes.Name(c.Type)}"))));
                catalog.Tables[t.Name] = new TableSchema(t.Name, [.. existing.Columns, .. added]);
            }
            else
            {
                steps.Add(new PlanStep("table", t.Name, PlanAction.Create, $"({string.Join(", ", t.Columns.Select(c => $"{c.Name}:{KqlTypes.Name(c.Type)}"))})"));
                catalog.Tables[t.Name] = new TableSchema(t.Name, t.Columns);
            }
        }

        foreach (var f in pipeline.Functions)
        {
            catalog.Functions[f.Name] = new FunctionDefinition(f.Name, f.Parameters, f.Body);
        }

        foreach (var f in pipeline.Functions)
        {
            if (catalog.Tables.ContainsKey(f.Name) || (store.Catalog.TryGetTable(f.Name, out _)))
            {
                throw new PipelineException(file, f.At.Line, f.At.Column, $"'{f.Name}' is already a table; tables and functions share one namespace");
            }

            Kql(file, f.BodyAt, $"function '{f.Name}'", () => KqlTranslator.ValidateFunction(catalog.Functions[f.Name], catalog, new TranslationOptions(now)));
            var same = store.Catalog.TryGetFunction(f.Name, out var old) && old.Body.Trim() == f.Body.Trim() && old.ParameterList == catalog.Functions[f.Name].ParameterList;
            steps.Add(new PlanStep("function", f.Name, same ? PlanAction.Unchanged : old is null ? PlanAction.Create : PlanAction.Alter, catalog.Functions[f.Name].ParameterList));
        }

        var views = store.ListViews();
        foreach (var v in pipeline.Views)
        {
            if (!catalog.TryGetTable(v.Source, out _))
            {
                throw new PipelineException(file, v.At.Line, v.At.Column, $"view '{v.Name}' reads table '{v.Source}', which neither the file nor the store declares");
            }

            if (views.Any(x => x.Name == v.Source) || pipeline.Views.Any(x => x.Name == v.Source))
            {
                throw new PipelineException(file, v.At.Line, v.At.Column, $"view '{v.Name}' reads '{v.Source}', which is a materialized view; a view's source must be a table");
            }

            var plan = Kql(file, v.QueryAt, $"view '{v.Name}'", () => MaterializedViewPlan.Create(v.Query, v.Source, catalog, new TranslationOptions(now)));
            if (plan.Columns.FirstOrDefault(c => c.Name.StartsWith("__", StringComparison.Ordinal)) is { } reserved)
            {
                throw new PipelineException(file, v.QueryAt.Line, v.QueryAt.Column, $"view '{v.Name}' has column '{reserved.Name}'; a materialized view's columns cannot start with '__'");
            }

            var existing = views.FirstOrDefault(x => x.Name == v.Name);
            steps.Add(existing is null
                ? new PlanStep("view", v.Name, PlanAction.Create, $"on {v.Source}")
                : existing.Source == v.Source && existing.Query == v.Query
                    ? new PlanStep("view", v.Name, PlanAction.Unchanged, "")
                    : new PlanStep("view", v.Name, PlanAction.Alter, "drop and rebuild from its source"));
            catalog.Tables[v.Name] = new TableSchema(v.Name, plan.Columns);
        }

        var scheduled = JobsIn(store);
        var all = scheduled.ToDictionary(j => j.Name, StringComparer.Ordinal);
        foreach (var j in pipeline.Jobs)
        {
            all[j.Definition.Name] = j.Definition;
        }

        foreach (var j in pipeline.Jobs)
        {
            var d = j.Definition;
            if (d.DependsOn.FirstOrDefault(dep => !all.ContainsKey(dep)) is { } missing)
            {
                throw new PipelineException(file, j.At.Line, j.At.Column, $"job '{d.Name}' depends on '{missing}', which is not a job (jobs: {string.Join(", ", all.Keys.Order(StringComparer.Ordinal).Take(30))})");
            }

            if (!catalog.TryGetTable(d.Target, out var target) || views.Any(v => v.Name == d.Target) || pipeline.Views.Any(v => v.Name == d.Target))
            {
                throw new PipelineException(file, j.At.Line, j.At.Column, $"the target of job '{d.Name}', '{d.Target}', is not a table the file or the store declares");
            }

            var parameters = new Dictionary<string, object?>(StringComparer.Ordinal) { ["startTime"] = d.Start, ["endTime"] = d.Start + d.Window };
            var translation = Kql(file, j.QueryAt, $"the query of job '{d.Name}'", () => KqlTranslator.Translate(d.Query, catalog, new TranslationOptions(now, parameters)));
            if (translation.Columns.FirstOrDefault(c => target.Find(c.Name) is null) is { } extra)
            {
                throw new PipelineException(file, j.QueryAt.Line, j.QueryAt.Column,
                    $"the query of job '{d.Name}' produces column '{extra.Name}', which its target '{d.Target}' does not have ({target.CslSchema})");
            }

            var old = scheduled.FirstOrDefault(s => s.Name == d.Name);
            steps.Add(old is null
                ? new PlanStep("job", d.Name, PlanAction.Create, $"{d.Window} windows from {TimeWindow.Format(d.Start)} into {d.Target}")
                : JobLedger.Serialize(old) == JobLedger.Serialize(d)
                    ? new PlanStep("job", d.Name, PlanAction.Unchanged, "")
                    : new PlanStep("job", d.Name, PlanAction.Alter, DescribeJobChange(old, d)));
        }

        if (JobPlanner.FindCycle(all.Values) is { } cycle)
        {
            var first = pipeline.Jobs.FirstOrDefault(j => cycle.Contains(j.Definition.Name));
            throw new PipelineException(file, first?.At.Line ?? 0, first?.At.Column ?? 0, $"the jobs' dependsOn form a cycle: {string.Join(" → ", cycle)}");
        }

        return steps;
    }

    /// <summary>Applies a pipeline: plans it (all checks first), then creates or alters what differs.</summary>
    /// <returns>The plan that was carried out.</returns>
    public static IReadOnlyList<PlanStep> Apply(TributaryStore store, PipelineDefinition pipeline)
    {
        var steps = Plan(store, pipeline);
        const string user = "apply";
        foreach (var t in pipeline.Tables.Where(t => steps.Any(s => s.Kind == "table" && s.Name == t.Name && s.Action != PlanAction.Unchanged)))
        {
            store.ExecuteAs(user, $".create-merge table {Quote(t.Name)} ({string.Join(", ", t.Columns.Select(c => $"{Quote(c.Name)}:{KqlTypes.Name(c.Type)}"))})");
        }

        // Functions may call each other: create in passes until every one is in.
        var functions = pipeline.Functions.Where(f => steps.Any(s => s.Kind == "function" && s.Name == f.Name && s.Action != PlanAction.Unchanged)).ToList();
        while (functions.Count > 0)
        {
            var failed = new List<PipelineFunction>();
            Exception? last = null;
            foreach (var f in functions)
            {
                try
                {
                    store.ExecuteAs(user, FunctionCommand(f));
                }
                catch (KqlException e)
                {
                    failed.Add(f);
                    last = e;
                }
            }

            if (failed.Count == functions.Count)
            {
                throw new PipelineException($"{pipeline.File}: cannot create the functions {string.Join(", ", failed.Select(f => f.Name))}: {last!.Message}", last);
            }

            functions = failed;
        }

        foreach (var v in pipeline.Views)
        {
            var step = steps.First(s => s.Kind == "view" && s.Name == v.Name);
            if (step.Action == PlanAction.Alter)
            {
                store.ExecuteAs(user, $".drop materialized-view {Quote(v.Name)}");
            }

            if (step.Action != PlanAction.Unchanged)
            {
                store.ExecuteAs(user, $".create materialized-view {Quote(v.Name)} on table {Quote(v.Source)} {{ {v.Query} }}");
            }
        }

        var paused = new JobLedger(store).LoadJobs().ToDictionary(j => j.Definition.Name, j => j.Paused, StringComparer.Ordinal);
        var jobs = pipeline.Jobs.Where(j => steps.Any(s => s.Kind == "job" && s.Name == j.Definition.Name && s.Action != PlanAction.Unchanged)).ToList();
        if (jobs.Count > 0)
        {
            store.Ledger(l =>
            {
                foreach (var j in jobs)
                {
                    JobLedger.SaveJob(l, j.Definition, paused.GetValueOrDefault(j.Definition.Name), store.UtcNow);
                }

                return 0;
            });
        }

        return steps;
    }

    private static List<JobDefinition> JobsIn(TributaryStore store) => new JobLedger(store).LoadJobs().Select(j => j.Definition).ToList();

    private static string DescribeJobChange(JobDefinition old, JobDefinition d)
    {
        var changes = new List<string>();
        void Compare<T>(string name, T a, T b)
        {
            if (!EqualityComparer<T>.Default.Equals(a, b))
            {
                changes.Add($"{name} {a} → {b}");
            }
        }

        Compare("query", old.Query, d.Query);
        Compare("target", old.Target, d.Target);
        Compare("window", old.Window, d.Window);
        Compare("delay", old.Delay, d.Delay);
        Compare("start", old.Start, d.Start);
        Compare("dependsOn", string.Join(",", old.DependsOn), string.Join(",", d.DependsOn));
        Compare("maxParallelism", old.MaxParallelism, d.MaxParallelism);
        Compare("timeout", Setting(old.Timeout, JobDefinition.DefaultTimeout), Setting(d.Timeout, JobDefinition.DefaultTimeout));
        Compare("attempts", old.Attempts, d.Attempts);
        Compare("retryBackoff", Setting(old.RetryBackoff, JobDefinition.DefaultRetryBackoff), Setting(d.RetryBackoff, JobDefinition.DefaultRetryBackoff));
        Compare("rowLimit", old.RowLimit, d.RowLimit);
        Compare("enabled", old.Enabled, d.Enabled);
        Compare("batch", old.Batch, d.Batch);
        return string.Join("; ", changes);
    }

    private static string Setting(TimeSpan? value, TimeSpan fallback) => value is { } v ? v.ToString() : $"{fallback} (default)";

    /// <summary>
    /// Tables, views and functions share one namespace, where names must differ in more than case: a name the file
    /// declares must not be taken by another kind of thing, in the file or the store (else applying would stop halfway).
    /// </summary>
    private static void CheckNamespace(TributaryStore store, PipelineDefinition pipeline)
    {
        var storeViews = store.ListViews().Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        var taken = new Dictionary<string, (string Kind, string Name)>(StringComparer.OrdinalIgnoreCase);
        if (store.Catalog is ICatalogListing listing)
        {
            foreach (var name in listing.TableNames())
            {
                taken[name] = (storeViews.Contains(name) ? "view" : SystemTables.IsSystemTable(name) ? "system table" : "table", name);
            }

            foreach (var name in listing.FunctionNames())
            {
                taken[name] = ("function", name);
            }
        }

        var declared = new Dictionary<string, (string Kind, string Name)>(StringComparer.OrdinalIgnoreCase);
        var all = pipeline.Tables.Select(t => (Kind: "table", t.Name, t.At))
            .Concat(pipeline.Functions.Select(f => (Kind: "function", f.Name, f.At)))
            .Concat(pipeline.Views.Select(v => (Kind: "view", v.Name, v.At)));
        foreach (var (kind, name, at) in all)
        {
            if (declared.TryGetValue(name, out var other) || (taken.TryGetValue(name, out other) && (other.Kind, other.Name) != (kind, name)))
            {
                throw new PipelineException(pipeline.File, at.Line, at.Column, other.Name == name
                    ? $"'{name}' is already a {other.Kind}; tables, views and functions share one namespace"
                    : $"'{name}' differs from the {other.Kind} '{other.Name}' only in case; names must differ in more than case");
            }

            declared[name] = (kind, name);
        }
    }

    private static string FunctionCommand(PipelineFunction f)
    {
        var with = new List<string>();
        if (f.Folder is not null)
        {
            with.Add($"folder={Literal(f.Folder)}");
        }

        if (f.DocString is not null)
        {
            with.Add($"docstring={Literal(f.DocString)}");
        }

        var parameters = string.Join(", ", f.Parameters.Select(p => $"{Quote(p.Name)}:{KqlTypes.Name(p.Type!.Value)}"));
        return $".create-or-alter function {(with.Count > 0 ? $"with ({string.Join(", ", with)}) " : "")}{Quote(f.Name)}({parameters}) {{\n{f.Body}\n}}";
    }

    private static string Quote(string name) => MaterializedViewPlan.Quote(name);

    private static string Literal(string text) => "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary>Runs a KQL check and maps its error to the file's line and column.</summary>
    private static T Kql<T>(string file, SourceSpan at, string what, Func<T> check)
    {
        try
        {
            return check();
        }
        catch (KqlException e)
        {
            var line = e.Line > 0 ? at.TextLineOffset + e.Line : at.Line;
            var column = e.Line > 0 ? (e.Line == 1 || at.TextLineOffset != at.Line - 1 ? at.TextColumnOffset : 0) + e.Column : at.Column;
            throw new PipelineException(file, line, column, $"in {what}: {e.Reason}");
        }
    }

    private static void Kql(string file, SourceSpan at, string what, Action check) => Kql(file, at, what, () =>
    {
        check();
        return 0;
    });

    /// <summary>The store's catalog with the file's tables and functions laid over it.</summary>
    private sealed class PlannedCatalog(ICatalog store) : ICatalog
    {
        public Dictionary<string, TableSchema> Tables { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, FunctionDefinition> Functions { get; } = new(StringComparer.Ordinal);

        public bool TryGetTable(string name, out TableSchema table) =>
            Tables.TryGetValue(name, out table!) || store.TryGetTable(name, out table);

        public bool TryGetFunction(string name, out FunctionDefinition function) =>
            Functions.TryGetValue(name, out function!) || store.TryGetFunction(name, out function);
    }
}
