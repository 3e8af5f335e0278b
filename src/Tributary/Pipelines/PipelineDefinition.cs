using Tributary.Jobs;
using Tributary.Kql;
using Tributary.Streams;
using Tributary.Streams.Processors;

namespace Tributary.Pipelines;

/// <summary>A place in a pipeline file (1-based), for error messages.</summary>
/// <param name="TextColumnOffset">For a KQL text: how far its columns are shifted in the file (indentation or an opening quote).</param>
/// <param name="TextLineOffset">For a KQL text: the file line of the text's first line, minus one.</param>
public readonly record struct SourceSpan(int Line, int Column, int TextLineOffset = 0, int TextColumnOffset = 0);

/// <summary>A table the pipeline declares.</summary>
public sealed record PipelineTable(string Name, IReadOnlyList<KqlColumn> Columns, SourceSpan At);

/// <summary>A stored function the pipeline declares.</summary>
public sealed record PipelineFunction(string Name, IReadOnlyList<FunctionParameter> Parameters, string Body, string? Folder, string? DocString, SourceSpan At, SourceSpan BodyAt);

/// <summary>A materialized view the pipeline declares.</summary>
public sealed record PipelineView(string Name, string Source, string Query, SourceSpan At, SourceSpan QueryAt);

/// <summary>A job the pipeline declares.</summary>
public sealed record PipelineJob(JobDefinition Definition, SourceSpan At, SourceSpan QueryAt);

/// <summary>A topic of the log the pipeline declares.</summary>
public sealed record PipelineTopic(string Name, TopicSettings Settings, SourceSpan At);

/// <summary>A stream processor the pipeline declares.</summary>
public sealed record PipelineProcessor(ProcessorDefinition Definition, SourceSpan At);

/// <summary>One pipeline file, parsed: what it declares, in file order.</summary>
public sealed record PipelineDefinition(
    string File,
    IReadOnlyList<PipelineTable> Tables,
    IReadOnlyList<PipelineFunction> Functions,
    IReadOnlyList<PipelineView> Views,
    IReadOnlyList<PipelineJob> Jobs)
{
    /// <summary>The topics it declares.</summary>
    public IReadOnlyList<PipelineTopic> Topics { get; init; } = [];

    /// <summary>The processors it declares.</summary>
    public IReadOnlyList<PipelineProcessor> Processors { get; init; } = [];
}
