using Tributary.Demo;

namespace Tributary.Tests.Demo;

/// <summary>All demo tables, read back from the files of one generation.</summary>
public sealed class DemoTables
{
    private readonly Dictionary<string, DemoTable> _tables;

    private DemoTables(Dictionary<string, DemoTable> tables) => _tables = tables;

    public DemoTable this[string name] => _tables[name];

    public IReadOnlyCollection<DemoTable> All => _tables.Values;

    /// <summary>Reads every batch's file; every schema of <see cref="FleetGenerator.Schemas"/> gets a table, maybe empty.</summary>
    public static DemoTables Load(IEnumerable<DemoBatch> batches)
    {
        var tables = FleetGenerator.Schemas.ToDictionary(s => s.Name, s => new DemoTable(s), StringComparer.Ordinal);
        foreach (var batch in batches)
        {
            var table = tables[batch.Table.Name];
            var rows = DemoFileReader.Read(batch.Path, batch.Format, batch.Table);
            table.Rows.AddRange(rows);
            table.IngestionTimes.AddRange(Enumerable.Repeat(batch.IngestionTimeUtc, rows.Count));
        }

        return new DemoTables(tables);
    }
}
