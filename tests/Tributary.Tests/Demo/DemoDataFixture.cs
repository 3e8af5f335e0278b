using System.Diagnostics;
using Tributary.Demo;

namespace Tributary.Tests.Demo;

/// <summary>One default generation in its own temp directory, shared by a test class and deleted after it.</summary>
public sealed class DemoDataFixture : IDisposable
{
    /// <summary>The anchor of every demo test: not on any hour or 10-minute boundary.</summary>
    public static readonly DateTime Now = new(2026, 3, 14, 15, 26, 53, 589, DateTimeKind.Utc);

    public DemoDataFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "tributary-demo-" + Guid.NewGuid().ToString("N"));
        var watch = Stopwatch.StartNew();
        Batches = FleetGenerator.Generate(new DemoOptions(Now), Directory);
        GenerationTime = watch.Elapsed;
        Data = DemoTables.Load(Batches);
    }

    public string Directory { get; }

    public IReadOnlyList<DemoBatch> Batches { get; }

    public TimeSpan GenerationTime { get; }

    public DemoTables Data { get; }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
