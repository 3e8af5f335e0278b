using System.Text.Json;
using Tributary.Streams.Validation;

namespace Tributary.Streams.Processors;

/// <summary>
/// Checks each event against the JSON Schema its <c>eid</c> selects (Sunbird's pipeline-preprocessor rule: lower-case
/// eid + ".json" from the schema directory, envelope.json without an eid). Valid events go to <c>valid</c> with
/// <c>flags.&lt;flagPrefix&gt;_validation_processed=true</c>; invalid ones to <c>failed</c> with it false and
/// <c>metadata.validation_error</c> (the JSON pointer and reason of the first error, or Sunbird's "Schema not found"
/// message) and <c>metadata.src</c> (the processor). Counts validation-success-event-count and
/// validation-failed-event-count (Sunbird's names).
/// </summary>
/// <remarks>The schemas are the copy the pipeline's apply took into the processor's directory, so editing the originals changes nothing until the next apply.</remarks>
public sealed class EventValidator : StreamProcessor
{
    /// <summary>Where apply keeps the processor's copy of its schemas, under its state directory.</summary>
    public const string SchemaDirectory = "schemas";

    private readonly EventSchemaValidator _validator;
    private readonly string _flag;

    public EventValidator(ProcessorServices services)
        : base((services ?? throw new ArgumentNullException(nameof(services))).Definition, services.Metrics)
    {
        _validator = EventSchemaValidator.ForPipelinePreprocessor(JsonSchemaSet.Load(Path.Combine(services.StateDirectory, SchemaDirectory)));
        _flag = services.Definition.Setting("flagPrefix", "pp") + "_validation_processed";
    }

    public override void Process(StoredRecord record, List<ProcessorOutput> outputs)
    {
        using var doc = ParseObjectOrFail(record, outputs, "validation-failed-event-count");
        if (doc is not null)
        {
            var root = doc.RootElement;
            var verdict = _validator.Validate(root);
            if (verdict.IsValid)
            {
                outputs.Add(new ProcessorOutput("valid", record.Key, JsonRewriter.Rewrite(root, new JsonField("flags", _flag, true)), record.Offset));
                Metrics.Add("validation-success-event-count");
            }
            else
            {
                outputs.Add(new ProcessorOutput("failed", record.Key, JsonRewriter.Rewrite(root,
                    new JsonField("flags", _flag, false), new JsonField("metadata", "validation_error", verdict.ToString()), new JsonField("metadata", "src", Definition.Name)), record.Offset));
                Metrics.Add("validation-failed-event-count");
            }
        }
    }
}
