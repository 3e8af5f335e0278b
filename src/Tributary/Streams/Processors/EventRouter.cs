using System.Text.Json;

namespace Tributary.Streams.Processors;

/// <summary>
/// Routes each event by the value of one field (default <c>eid</c>): to the output role named like the value when the
/// pipeline declares one (<c>LOG: events.log</c>), else to <c>default</c>. Records that are not JSON objects go to
/// <c>failed</c>. Counts <c>&lt;role&gt;-route-success-count</c> (Sunbird's names: log-route-success-count…).
/// </summary>
public sealed class EventRouter : StreamProcessor
{
    /// <summary>The output every unmatched event goes to.</summary>
    public const string DefaultRole = "default";

    private readonly JsonPath _field;

    public EventRouter(ProcessorDefinition definition, ProcessorMetrics metrics)
        : base(definition, metrics)
    {
        _field = JsonPath.Parse(definition.Setting("field", "eid"));
    }

    public override void Process(StoredRecord record, List<ProcessorOutput> outputs)
    {
        string? value;
        using (var doc = ParseObjectOrFail(record, outputs))
        {
            if (doc is null)
            {
                return;
            }

            value = _field.GetText(doc.RootElement);
        }

        var role = value is not null && value != DefaultRole && Definition.Outputs.ContainsKey(value) ? value : DefaultRole;
        outputs.Add(new ProcessorOutput(role, record.Key, record.Value, record.Offset));
        Metrics.Add(role.ToLowerInvariant() + "-route-success-count");
    }
}
