using System.Text;
using System.Text.Json;
using Tributary.Store;
using Tributary.Streams;
using Tributary.Streams.Processors;

namespace Tributary.Tests.Streams.Processors;

/// <summary>A real log and store on a temp directory, and helpers to run one processor over records and read its outputs.</summary>
internal sealed class ProcessorFixture : IDisposable
{
    public ProcessorFixture(string dir)
    {
        Dir = dir;
        Store = TributaryStore.Open(dir);
        Log = FasterEventLog.Open(dir);
    }

    public string Dir { get; }

    public TributaryStore Store { get; }

    public FasterEventLog Log { get; private set; }

    public void Topics(params string[] names)
    {
        foreach (var name in names)
        {
            if (!Log.HasTopic(name))
            {
                Log.CreateTopic(name, new TopicSettings());
            }
        }
    }

    public Task ProduceAsync(string topic, IEnumerable<string> values) =>
        Log.AppendAsync(topic, values.Select(v => new LogRecord(null, Encoding.UTF8.GetBytes(v))).ToList()).AsTask();

    public ProcessorServices Services(ProcessorDefinition definition, ProcessorMetrics? metrics = null, TimeProvider? time = null) =>
        new(definition, metrics ?? new ProcessorMetrics(), Store, Path.Combine(ProcessorCatalog.Root(Dir), definition.Name), time ?? TimeProvider.System);

    /// <summary>Runs the processor over everything in its input; returns its counters.</summary>
    public async Task<ProcessorMetrics> RunAsync(Func<ProcessorServices, StreamProcessor> create, ProcessorDefinition definition, TimeProvider? time = null)
    {
        var services = Services(definition, time: time);
        Topics([definition.Input, .. definition.Outputs.Values]);
        using var runner = ProcessorRunner.For(Log, create(services));
        await runner.RunAvailableAsync(CancellationToken.None);
        return services.Metrics;
    }

    public List<JsonElement> Read(string topic) =>
        Log.DescribeTopic(topic).Partitions.SelectMany(p => Log.Read(topic, p.Partition, 0, int.MaxValue))
            .Select(r => JsonDocument.Parse(r.Value).RootElement.Clone()).ToList();

    public void Dispose()
    {
        Log.Dispose();
        Store.Dispose();
    }
}
