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
    /// Runs <paramref name="query"/> on a pooled connection into a temporary table, outside the store's lock.
    /// <paramref name="cancellationToken"/> interrupts the running query (DuckDB interrupt).
    /// </summary>
    /// <exception cref="KqlException">The query is not valid KQL here.</exception>
    /// <exception cref="StoreException">The query failed while running (out of memory, a run-time error …).</exception>
    /// <exception cref="OperationCanceledException">The token fired while the query ran.</exception>
    public StagedQuery StageQuery(string query, IReadOnlyDictionary<string, object?>? parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return StageQueries([new StagedPart(query, parameters)], cancellationToken);
    }

    /// <summary>
    /// Runs several queries with the same output columns (typically one query with different parameters, such
    /// as consecutive windows of a job) as one statement into one temporary table; each row remembers its part,
    /// so each part can be committed as an extent of its own (<see cref="CommitStagedParts"/>).
    /// </summary>
    /// <exception cref="KqlException">A part is not valid KQL here.</exception>
    /// <exception cref="StoreException">The statement failed while running, or the parts' columns differ.</exception>
    /// <exception cref="OperationCanceledException">The token fired while it ran.</exception>
    public StagedQuery StageQueries(IReadOnlyList<StagedPart> parts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentOutOfRangeException.ThrowIfZero(parts.Count);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var now = Now();
        var translations = parts.Select(p => KqlTranslator.Translate(p.Query, _catalog, new TranslationOptions(now, p.Parameters))).ToList();
        var columns = translations[0].Columns;
        if (translations.Skip(1).FirstOrDefault(t => !t.Columns.SequenceEqual(columns)) is { } differing)
        {
            throw new StoreException(
                $"the staged queries' columns differ: ({string.Join(", ", columns.Select(c => c.Name))}) and ({string.Join(", ", differing.Columns.Select(c => c.Name))})");
        }

        var select = string.Join(" UNION ALL ", translations.Select((t, i) => $"SELECT {i} AS {Sql.Ident(StagedPartColumn)}, q.* FROM ({t.Sql}) AS q"));
        var connection = RentConnection();
        try
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"CREATE TEMP TABLE {Sql.Ident(StagedTable)} AS {select}";
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
                    throw new StoreException($"the query failed while running: {EngineErrors.Describe(e)}", e);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            var partRows = new long[parts.Count];
            cmd.CommandText = $"SELECT {Sql.Ident(StagedPartColumn)}, count(*) FROM {Sql.Ident(StagedTable)} GROUP BY ALL";
            using (var reader = cmd.ExecuteReader())
            {
                while (reader.Read())
                {
                    partRows[reader.GetInt32(0)] = reader.GetInt64(1);
                }
            }

            return new StagedQuery(connection, StagedTable, columns, partRows, ReturnConnection);
        }
        catch
        {
            ReturnConnection(connection);
            throw;
        }
    }

    /// <summary>The column of a staged table that holds each row's part (the index of its query).</summary>
    private const string StagedPartColumn = "__part";

    private readonly System.Collections.Concurrent.ConcurrentBag<DuckDBConnection> _pool = [];

    /// <summary>A connection for a staged query: a pooled one, or a new one set up like the main connection.</summary>
    private DuckDBConnection RentConnection()
    {
        if (_pool.TryTake(out var pooled))
        {
            return pooled;
        }

        var connection = new DuckDBConnection(ConnectionString(_databasePath));
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
        var parts = Enumerable.Range(0, staged.PartRows.Count).Select(i => new StagedExtent(i, replaceTag, tags)).ToList();
        var commits = CommitStagedParts(staged, table, parts, alsoInTransaction);
        return new StagedCommit(commits[0].Extent, commits.Sum(c => c.Rows), commits.Sum(c => c.ReplacedRows));
    }

    /// <summary>
    /// In one transaction: appends each listed part of <paramref name="staged"/> to <paramref name="table"/> as an
    /// extent of its own with its tags, drops every earlier extent of the table tagged with a part's replace tag
    /// (materialized views stay exact), and runs <paramref name="alsoInTransaction"/> on the ledger. Parts not
    /// listed are not written. Whatever fails, nothing changes. A one-part commit and a many-part commit cost
    /// about the same number of statements.
    /// </summary>
    /// <returns>One commit per listed part, in the order given; ReplacedRows is the replaced rows of all parts, on the first.</returns>
    internal IReadOnlyList<StagedCommit> CommitStagedParts(StagedQuery staged, string table, IReadOnlyList<StagedExtent> parts, Action<ILedger>? alsoInTransaction)
    {
        ArgumentNullException.ThrowIfNull(staged);
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentOutOfRangeException.ThrowIfZero(parts.Count);
        foreach (var part in parts)
        {
            ValidateTags(part.Tags);
        }

        lock (_gate)
        {
            var schema = RequireWritableTable(table);
            var extents = parts.Select(p => (Part: p, Extent: Guid.NewGuid(), Rows: staged.PartRows[p.Part])).ToList();
            var now = Now();
            _connection = staged.Connection;
            try
            {
                return InTransaction(() =>
                {
                    var part = "q." + Sql.Ident(StagedPartColumn);
                    var extentSql = extents.Count == 1
                        ? $"'{extents[0].Extent:D}'::UUID"
                        : $"CASE {part} {string.Join(" ", extents.Select(e => $"WHEN {e.Part.Part} THEN '{e.Extent:D}'::UUID"))} END";
                    var filter = extents.Count == staged.PartRows.Count ? "" : $" WHERE {Sql.Ident(StagedPartColumn)} IN ({string.Join(", ", extents.Select(e => e.Part.Part))})";
                    var n = AppendQuery(schema, new Translation($"SELECT * FROM {Sql.Ident(staged.TempTable)}{filter}", staged.Columns, null), extentSql, now);
                    if (n != extents.Sum(e => e.Rows))
                    {
                        throw new StoreException($"the staged rows changed while committing ({n:N0} rows appended, {extents.Sum(e => e.Rows):N0} staged)");
                    }

                    // The new extents first, then the old ones: dropping recomputes the view groups they touched from what remains.
                    AddExtents(table, extents.Select(e => (e.Extent, e.Rows, e.Part.Tags)).ToList(), now);
                    var replaceTags = extents.Select(e => e.Part.ReplaceTag).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
                    var created = extents.Select(e => e.Extent).ToHashSet();
                    var dropped = replaceTags.Count == 0 ? 0 : DropExtents(ExtentsTaggedAny(table, replaceTags).Where(e => !created.Contains(e.Extent)).ToList());
                    alsoInTransaction?.Invoke(new LedgerAccess(_connection));
                    return extents.Select((e, i) => new StagedCommit(e.Extent, e.Rows, i == 0 ? dropped : 0)).ToList();
                }, catalogChanged: false);
            }
            finally
            {
                _connection = _main;
            }
        }
    }

    /// <summary>The extents of <paramref name="table"/> that carry any of <paramref name="tags"/> (one statement).</summary>
    private List<(Guid Extent, string Table)> ExtentsTaggedAny(string table, IReadOnlyList<string> tags)
    {
        var list = new List<(Guid, string)>();
        using var cmd = _connection.CreateCommand();
        cmd.CommandText =
            $"SELECT extent_id FROM tributary_meta.extents WHERE table_name = {Sql.String(table)} AND list_has_any(tags, [{string.Join(", ", tags.Select(Sql.String))}]::VARCHAR[])";
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            list.Add((reader.GetGuid(0), table));
        }

        return list;
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

/// <summary>One query of a staged batch and its parameters.</summary>
public readonly record struct StagedPart(string Query, IReadOnlyDictionary<string, object?>? Parameters);

/// <summary>A part of a staged batch to commit: its index, the tag whose earlier extents it replaces, and its extent's tags.</summary>
internal readonly record struct StagedExtent(int Part, string? ReplaceTag, IReadOnlyList<string> Tags);
