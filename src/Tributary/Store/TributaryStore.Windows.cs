using System.Globalization;
using DuckDB.NET.Data;
using Tributary.Kql;
using Tributary.Kql.Binding;

namespace Tributary.Store;

// Staged writes: a query runs on its own connection, then commits as one extent replacing a tag's extents.
public sealed partial class TributaryStore
{
    private const string StagedTable = "__staged";

    /// <summary>
    /// Runs <paramref name="query"/> on a new connection into a temporary table, outside the store's lock.
    /// <paramref name="cancellationToken"/> interrupts the running query (DuckDB interrupt).
    /// </summary>
    /// <exception cref="KqlException">The query is not valid KQL here.</exception>
    /// <exception cref="StoreException">The query failed while running (out of memory, a run-time error …).</exception>
    /// <exception cref="OperationCanceledException">The token fired while the query ran.</exception>
    public StagedQuery StageQuery(string query, IReadOnlyDictionary<string, object?>? parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var translation = KqlTranslator.Translate(query, _catalog, new TranslationOptions(Now(), parameters));
        var connection = RentConnection();
        try
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"CREATE TEMP TABLE {Sql.Ident(StagedTable)} AS SELECT * FROM ({translation.Sql}) AS q";
            cancellationToken.ThrowIfCancellationRequested();
            using (cancellationToken.Register(cmd.Cancel))
            {
                try
                {
                    cmd.ExecuteNonQuery();
                }
                catch (DuckDBException e)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new StoreException($"the query failed while running: {CleanEngineMessage(e.Message)}", e);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            cmd.CommandText = $"SELECT count(*) FROM {Sql.Ident(StagedTable)}";
            var rows = System.Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
            return new StagedQuery(connection, StagedTable, translation.Columns, rows, ReturnConnection);
        }
        catch
        {
            ReturnConnection(connection);
            throw;
        }
    }

    private readonly System.Collections.Concurrent.ConcurrentBag<DuckDBConnection> _pool = [];

    /// <summary>A connection for a staged query: a pooled one, or a new one set up like the main connection.</summary>
    private DuckDBConnection RentConnection()
    {
        if (_pool.TryTake(out var pooled))
        {
            return pooled;
        }

        var connection = new DuckDBConnection($"Data Source={_databasePath}");
        try
        {
            connection.Open();
            SetUpSession(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Drops the staged table and keeps the connection for the next staged query (closed when the store is).</summary>
    private void ReturnConnection(DuckDBConnection connection)
    {
        try
        {
            Exec(connection, $"DROP TABLE IF EXISTS {Sql.Ident(StagedTable)}");
        }
        catch (DuckDBException)
        {
            connection.Dispose();
            return;
        }

        if (_disposed || _pool.Count >= MaxPooledConnections)
        {
            connection.Dispose();
            return;
        }

        _pool.Add(connection);
    }

    private const int MaxPooledConnections = 64;

    private void DisposePool()
    {
        while (_pool.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }

    /// <summary>
    /// In one transaction: appends <paramref name="staged"/> to <paramref name="table"/> as a new extent tagged
    /// <paramref name="tags"/>, drops every earlier extent of the table tagged <paramref name="replaceTag"/>
    /// (materialized views on the table stay exact), and runs <paramref name="alsoInTransaction"/> on the ledger.
    /// Whatever fails, nothing changes.
    /// </summary>
    internal StagedCommit CommitStaged(StagedQuery staged, string table, string? replaceTag, IReadOnlyList<string> tags, Action<ILedger>? alsoInTransaction)
    {
        ArgumentNullException.ThrowIfNull(staged);
        ValidateTags(tags);
        lock (_gate)
        {
            var schema = RequireWritableTable(table);
            var extent = Guid.NewGuid();
            var now = Now();
            _connection = staged.Connection;
            try
            {
                return InTransaction(() =>
                {
                    var n = AppendQuery(schema, new Translation($"SELECT * FROM {Sql.Ident(staged.TempTable)}", staged.Columns, null), extent, now);
                    AddExtent(table, extent, n, now, tags);
                    var dropped = replaceTag is null ? 0 : DropExtents(ExtentsTagged(table, replaceTag).Where(e => e.Extent != extent).ToList());
                    alsoInTransaction?.Invoke(new LedgerAccess(_connection));
                    return new StagedCommit(extent, n, dropped);
                }, catalogChanged: false);
            }
            finally
            {
                _connection = _main;
            }
        }
    }

    /// <summary>Drops every extent of <paramref name="table"/> tagged <paramref name="tag"/> and runs <paramref name="alsoInTransaction"/>, in one transaction.</summary>
    internal long DropTagged(string table, string tag, Action<ILedger>? alsoInTransaction)
    {
        lock (_gate)
        {
            RequireWritableTable(table);
            return InTransaction(() =>
            {
                var dropped = DropExtents(ExtentsTagged(table, tag));
                alsoInTransaction?.Invoke(new LedgerAccess(_connection));
                return dropped;
            }, catalogChanged: false);
        }
    }

    /// <summary>The rows and extents of <paramref name="table"/> tagged <paramref name="tag"/>.</summary>
    internal (long Extents, long Rows) TaggedExtents(string table, string tag)
    {
        lock (_gate)
        {
            var row = new LedgerAccess(_connection).Query(
                "SELECT count(*), coalesce(sum(row_count), 0)::BIGINT FROM tributary_meta.extents WHERE table_name = ? AND list_contains(tags, ?)", table, tag)[0];
            return (System.Convert.ToInt64(row[0], CultureInfo.InvariantCulture), System.Convert.ToInt64(row[1], CultureInfo.InvariantCulture));
        }
    }

    /// <summary>True when a table (not a view or system table) of that name exists.</summary>
    internal bool HasTable(string table)
    {
        var catalog = _catalog;
        return catalog.TryGetTable(table, out _) && !catalog.TryGetView(table, out _) && !SystemTables.IsSystemTable(table);
    }

    /// <summary>The materialized views, as the catalog holds them now.</summary>
    internal IReadOnlyCollection<MaterializedView> ListViews() => _catalog.Views;

    /// <summary>The current catalog (an immutable snapshot) for validating queries without running them.</summary>
    internal ICatalog Catalog => _catalog;

    /// <summary>
    /// Sets DuckDB's <c>memory_limit</c> (e.g. <c>64MB</c>, <c>2GB</c>). It is database-wide: staged job queries,
    /// which run on their own connections to the same database, share it.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="limit"/> is not a size such as 512MB.</exception>
    internal void SetMemoryLimit(string limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        if (!System.Text.RegularExpressions.Regex.IsMatch(limit, @"^\d+(\.\d+)?\s*(B|KB|KiB|MB|MiB|GB|GiB|TB|TiB)$", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
        {
            throw new ArgumentException($"'{limit}' is not a memory size such as 512MB or 2GB", nameof(limit));
        }

        lock (_gate)
        {
            Exec(_connection, $"SET memory_limit = {Sql.String(limit)}");
        }
    }

    /// <summary>The time the store's clock reads now, in the store's precision.</summary>
    internal DateTime UtcNow => Now();
}

/// <summary>What a staged commit wrote: the new extent, its rows, and the rows of the extents it replaced.</summary>
internal readonly record struct StagedCommit(Guid Extent, long Rows, long ReplacedRows);
