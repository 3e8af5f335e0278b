using Tributary.Kql;

namespace Tributary.Tests.Demo;

/// <summary>The rows of one demo table as read back from its files, each with the ingestion time of its batch.</summary>
public sealed class DemoTable(TableSchema schema)
{
    public TableSchema Schema { get; } = schema;

    public List<object?[]> Rows { get; } = [];

    /// <summary>What <c>ingestion_time()</c> returns for the row of the same index.</summary>
    public List<DateTime> IngestionTimes { get; } = [];

    /// <summary>The index of a column; throws when the schema has no such column.</summary>
    public int Ordinal(string column)
    {
        for (var i = 0; i < Schema.Columns.Count; i++)
        {
            if (Schema.Columns[i].Name == column)
            {
                return i;
            }
        }

        throw new ArgumentException($"{Schema.Name} has no column {column}.", nameof(column));
    }
}
