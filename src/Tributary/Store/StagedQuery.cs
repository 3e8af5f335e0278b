using DuckDB.NET.Data;
using Tributary.Kql;

namespace Tributary.Store;

/// <summary>
/// A query's result held in a temporary table on a connection of its own, waiting to be committed
/// into a table as one extent per part (<see cref="TributaryStore.CommitStaged"/>). Disposing drops it (its connection goes back to the store's pool).
/// </summary>
/// <remarks>
/// Implementation note: the expensive part of a job window (its query) runs here, outside the store's
/// lock and in parallel with other windows; only the short commit is serialized.
/// </remarks>
public sealed class StagedQuery : IDisposable
{
    private readonly Action<DuckDBConnection> _release;
    private bool _released;

    internal StagedQuery(DuckDBConnection connection, string tempTable, IReadOnlyList<KqlColumn> columns, IReadOnlyList<long> partRows, Action<DuckDBConnection> release)
    {
        _release = release;
        Connection = connection;
        TempTable = tempTable;
        Columns = columns;
        PartRows = partRows;
        Rows = partRows.Sum();
    }

    internal DuckDBConnection Connection { get; }

    internal string TempTable { get; }

    /// <summary>The query's output columns.</summary>
    public IReadOnlyList<KqlColumn> Columns { get; }

    /// <summary>How many rows the query (all its parts) produced.</summary>
    public long Rows { get; }

    /// <summary>How many rows each part produced, by part index (one part for a single query).</summary>
    public IReadOnlyList<long> PartRows { get; }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_released)
        {
            _released = true;
            _release(Connection);
        }
    }
}
