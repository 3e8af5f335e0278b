using Tributary.Store;
using Tributary.Streams;
using Tributary.Streams.Processors;

namespace Tributary.Pipelines;

/// <summary>
/// The streams half of applying a pipeline: topics are created (or their retention changed) and processors declared
/// in the data directory's <see cref="ProcessorCatalog"/>. Checks everything first: every topic a processor reads or
/// writes is declared by the file or exists, a table sink's table is declared or exists, a topic's partitions never change.
/// </summary>
public static class StreamsApplier
{
    /// <summary>What applying the pipeline's topics and processors would do; changes nothing.</summary>
    /// <exception cref="PipelineException">Something is invalid; the message names its line.</exception>
    public static IReadOnlyList<PlanStep> Plan(IEventLog log, TributaryStore store, PipelineDefinition pipeline)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(pipeline);
        var file = pipeline.File;
        var steps = new List<PlanStep>();
        foreach (var t in pipeline.Topics)
        {
            if (pipeline.Topics.Count(o => o.Name == t.Name) > 1)
            {
                throw new PipelineException(file, t.At.Line, t.At.Column, $"topic '{t.Name}' is declared twice");
            }

            if (!log.HasTopic(t.Name))
            {
                steps.Add(new PlanStep("topic", t.Name, PlanAction.Create, Describe(t.Settings)));
                continue;
            }

            var existing = log.DescribeTopic(t.Name).Settings;
            if (existing.Partitions != t.Settings.Partitions)
            {
                throw new PipelineException(file, t.At.Line, t.At.Column,
                    $"topic '{t.Name}' has {existing.Partitions} partition(s) in the log and {t.Settings.Partitions} in the file; the number of partitions cannot change");
            }

            steps.Add(existing == t.Settings
                ? new PlanStep("topic", t.Name, PlanAction.Unchanged, "")
                : new PlanStep("topic", t.Name, PlanAction.Alter, $"retention {Describe(existing)} -> {Describe(t.Settings)}"));
        }

        var declared = ProcessorCatalog.Load(store.DataDirectory);
        bool TopicKnown(string topic) => pipeline.Topics.Any(t => t.Name == topic) || log.HasTopic(topic);
        foreach (var p in pipeline.Processors)
        {
            var d = p.Definition;
            if (pipeline.Processors.Count(o => o.Definition.Name == d.Name) > 1)
            {
                throw new PipelineException(file, p.At.Line, p.At.Column, $"processor '{d.Name}' is declared twice");
            }

            foreach (var topic in d.Outputs.Values.Prepend(d.Input))
            {
                if (!TopicKnown(topic))
                {
                    throw new PipelineException(file, p.At.Line, p.At.Column, $"processor '{d.Name}' uses topic '{topic}', which neither the file declares (under topics:) nor the log has");
                }
            }

            if (d.Outputs.Values.Contains(d.Input, StringComparer.Ordinal))
            {
                throw new PipelineException(file, p.At.Line, p.At.Column, $"processor '{d.Name}' writes to its own input '{d.Input}'; that would loop forever");
            }

            // The tables a sink writes and a denormalizer reads, with the columns they name, exist once the file is applied.
            IReadOnlyList<string>? Columns(string table) =>
                pipeline.Tables.FirstOrDefault(t => t.Name == table)?.Columns.Select(c => c.Name).ToList()
                ?? (store.Catalog.TryGetTable(table, out var schema) ? schema.Columns.Select(c => c.Name).ToList() : null);
            if (d.Kind == "table")
            {
                var table = d.Setting("table", "");
                var columns = Columns(table)
                    ?? throw new PipelineException(file, p.At.Line, p.At.Column, $"processor '{d.Name}' writes to table '{table}', which neither the file declares (under tables:) nor the store has");
                var unknown = d.Settings.Keys.Where(k => k.StartsWith(TableSink.ColumnPrefix, StringComparison.Ordinal)).Select(k => k[TableSink.ColumnPrefix.Length..]).FirstOrDefault(c => !columns.Contains(c));
                if (unknown is not null)
                {
                    throw new PipelineException(file, p.At.Line, p.At.Column, $"processor '{d.Name}' maps column '{unknown}', which table '{table}' does not have (columns: {string.Join(", ", columns)})");
                }
            }

            if (d.Kind == "denormalizer")
            {
                foreach (var lookup in EventDenormalizer.Lookups(d))
                {
                    var columns = Columns(lookup.Table)
                        ?? throw new PipelineException(file, p.At.Line, p.At.Column, $"lookup '{lookup.Name}' of processor '{d.Name}' reads table '{lookup.Table}', which neither the file declares (under tables:) nor the store has");
                    if (!columns.Contains(lookup.KeyColumn))
                    {
                        throw new PipelineException(file, p.At.Line, p.At.Column, $"lookup '{lookup.Name}' of processor '{d.Name}' reads key column '{lookup.KeyColumn}', which table '{lookup.Table}' does not have (columns: {string.Join(", ", columns)})");
                    }
                }
            }

            var old = declared.Processors.FirstOrDefault(o => o.Definition.Name == d.Name);
            steps.Add(old is null ? new PlanStep("processor", d.Name, PlanAction.Create, $"{d.Kind}: {d.Input} -> {string.Join(", ", d.Outputs.Select(o => $"{o.Key}={o.Value}"))}")
                : old.Definition.SameAs(d) ? new PlanStep("processor", d.Name, PlanAction.Unchanged, "")
                : new PlanStep("processor", d.Name, PlanAction.Alter, "settings or outputs change"));
        }

        return steps;
    }

    /// <summary>Checks the topics and processors (<see cref="Plan"/>), then creates or alters the topics and declares the processors.</summary>
    public static IReadOnlyList<PlanStep> Apply(IEventLog log, TributaryStore store, PipelineDefinition pipeline) =>
        ApplyPlanned(log, pipeline, store, Plan(log, store, pipeline));

    /// <summary>Carries out <paramref name="planned"/>, the steps <see cref="Plan"/> returned for this pipeline (a caller that checks before changing the store plans first).</summary>
    public static IReadOnlyList<PlanStep> ApplyPlanned(IEventLog log, PipelineDefinition pipeline, TributaryStore store, IReadOnlyList<PlanStep> planned)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(store);
        foreach (var t in pipeline.Topics)
        {
            if (!log.HasTopic(t.Name))
            {
                log.CreateTopic(t.Name, t.Settings);
            }
            else if (log.DescribeTopic(t.Name).Settings != t.Settings)
            {
                log.AlterTopic(t.Name, t.Settings);
            }
        }

        foreach (var p in pipeline.Processors.Where(p => p.Definition.Kind == "validator"))
        {
            // The processor keeps its own copy of the schemas: the server never depends on the files the pipeline named.
            var copy = Path.Combine(ProcessorCatalog.Root(store.DataDirectory), p.Definition.Name, EventValidator.SchemaDirectory);
            var temp = copy + ".new";
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }

            Directory.CreateDirectory(temp);
            foreach (var schema in Directory.GetFiles(p.Definition.Setting("schemas", ""), "*.json"))
            {
                File.Copy(schema, Path.Combine(temp, Path.GetFileName(schema)));
            }

            if (Directory.Exists(copy))
            {
                Directory.Delete(copy, recursive: true);
            }

            Directory.Move(temp, copy);
        }

        if (pipeline.Processors.Count > 0)
        {
            ProcessorCatalog.Load(store.DataDirectory).Declare(pipeline.Processors.Select(p => p.Definition).ToList());
        }

        return planned;
    }

    private static string Describe(TopicSettings s) =>
        $"{s.Partitions} partition(s), retention {(s.RetentionAge is { } a ? $"{a.TotalDays:0.##}d" : "forever")}{(s.RetentionBytes is { } b ? $" or {b / (1024 * 1024)} MB" : "")}";
}
