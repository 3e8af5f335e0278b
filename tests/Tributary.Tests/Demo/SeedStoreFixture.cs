using Tributary.Demo;
using Tributary.Store;

namespace Tributary.Tests.Demo;

/// <summary>
/// A small demo fleet (300 VMs on 40 hosts) generated at <see cref="DemoDataFixture.Now"/>, read back
/// for the oracle and loaded into a real store in a temp directory the way the demo loads it; the
/// store's clock then stands at the anchor, so <c>now()</c> and <c>ago()</c> are the oracle's.
/// </summary>
public sealed class SeedStoreFixture : IDisposable
{
    public static readonly DateTime Now = DemoDataFixture.Now;

    private readonly SimulatedClock _clock = new(TimeProvider.System);

    public SeedStoreFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "tributary-seed-" + Guid.NewGuid().ToString("N"));
        Batches = FleetGenerator.Generate(new DemoOptions(Now, Vms: 300, Hosts: 40), Path.Combine(Root, "input"));
        Data = DemoTables.Load(Batches);
        Store = TributaryStore.Open(Path.Combine(Root, "data"), _clock);
        DemoScript.Load(Store, Batches, _clock);
        _clock.Override = new DateTimeOffset(Now);
    }

    public string Root { get; }

    public IReadOnlyList<DemoBatch> Batches { get; }

    public DemoTables Data { get; }

    public TributaryStore Store { get; }

    public void Dispose()
    {
        Store.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
