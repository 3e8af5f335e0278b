using System.Globalization;
using System.Numerics;
using DuckDB.NET.Data;
using Tributary.Kql;
using Tributary.Kql.Binding;
using Tributary.Kql.Commands;
using Tributary.Query;
using Tributary.Store.Ingestion;

namespace Tributary.Store;

/// <summary>
/// The embedded store: typed tables in one DuckDB file inside a data directory, with extents,
/// ingestion times, stored functions and retention, queried with KQL and changed with control commands.
/// </summary>
/// <remarks>
/// One process owns a data directory at a time (DuckDB allows one writer); a second
/// <see cref="Open"/> is refused with a <see cref="StoreException"/> naming the holder. Every command
/// runs in one transaction: a failed command changes nothing. Not thread-safe: calls are serialized
/// by an internal lock.
/// </remarks>
public sealed partial class TributaryStore : IDisposable
{
    /// <summary>The DuckDB file inside the data directory.</summary>
    public const string DatabaseFileName = "tributary.duckdb";

    /// <summary>Format 2 stores datetimes as 100 ns ticks (BIGINT); format 1 stored them as TIMESTAMP (microseconds).</summary>
    private const int FormatVersion = 2;

    // The connection store operations use: the main one, except while a staged window commits on its own (under the gate).
    private DuckDBConnection _connection;
    private readonly DuckDBConnection _main;
    private readonly string _databasePath;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private StoreCatalog _catalog;

    private TributaryStore(string dataDirectory, DuckDBConnection connection, TimeProvider time)
    {
        DataDirectory = dataDirectory;
        _connection = connection;
        _main = connection;
        _databasePath = Path.Combine(dataDirectory, DatabaseFileName);
        _time = time;
        _catalog = StoreCatalog.Load(connection);
        _externalDataDirectories = [Path.Combine(dataDirectory, ExternalDataDirectoryName)];
        _externalData = new ExternalDataFiles(_externalDataDirectories);
    }

    /// <summary>The directory in the data directory whose files a query's externaldata may read unless configured otherwise.</summary>
    public const string ExternalDataDirectoryName = "external";

    /// <summary>The data directory this store owns.</summary>
    public string DataDirectory { get; }

    /// <summary>
    /// The directories whose files a query's <c>externaldata</c> may read (a relative path is taken from the first);
    /// default: <see cref="ExternalDataDirectoryName"/> in the data directory. This process reads the files, so a query
    /// sent to a server reads the server's files: list only directories every reader of the store may see. Empty:
    /// externaldata is refused.
    /// </summary>
    public IReadOnlyList<string> ExternalDataDirectories
    {
        get
        {
            lock (_gate)
            {
                return _externalDataDirectories;
            }
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (_gate)
            {
                _externalDataDirectories = [.. value];
                _externalData = new ExternalDataFiles(_externalDataDirectories);
            }
        }
    }

    private IReadOnlyList<string> _externalDataDirectories = [];
    private ExternalDataFiles _externalData;

    /// <summary>The tables the store holds, by name.</summary>
    public IReadOnlyList<TableSchema> Tables => _catalog.Tables.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

    /// <summary>Opens (creating if needed) the store in <paramref name="dataDirectory"/>.</summary>
    public static TributaryStore Open(string dataDirectory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        if (dataDirectory.Length == 0)
        {
            throw new StoreException("the data directory cannot be an empty path");
        }

        var full = Path.GetFullPath(dataDirectory);
        if (full.Contains('?', StringComparison.Ordinal))
        {
            // Implementation note: DuckDB reads a database path's '?' as the start of URL-style options and
            // writes the WAL beside a path cut there, so the store could not commit.
            throw new StoreException($"the data directory '{full}' has a '?' in its path, which DuckDB cannot open; choose another --data directory");
        }

        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot create the data directory '{full}': {e.Message}", e);
        }

        var path = Path.Combine(full, DatabaseFileName);
        lock (OpenPaths)
        {
            // DuckDB lets one process open a file twice; two stores on one file would corrupt it.
            if (!OpenPaths.Add(path))
            {
                throw new StoreException($"the data directory '{full}' is already open in this process");
            }
        }

        try
        {
            return OpenFile(full, path, timeProvider);
        }
        catch
        {
            lock (OpenPaths)
            {
                OpenPaths.Remove(path);
            }

            throw;
        }
    }

    private static readonly HashSet<string> OpenPaths = new(StringComparer.Ordinal);

    private static TributaryStore OpenFile(string full, string path, TimeProvider? timeProvider)
    {
        var connection = new DuckDBConnection(ConnectionString(path));
        try
        {
            connection.Open();
        }
        catch (DuckDBException e)
        {
            connection.Dispose();
            var message = e.Message;
            var pid = System.Text.RegularExpressions.Regex.Match(message, @"PID (\d+)");
            if (message.Contains("lock", StringComparison.OrdinalIgnoreCase))
            {
                throw new StoreException(
                    $"the data directory '{full}' is in use by another process{(pid.Success ? $" (PID {pid.Groups[1].Value})" : "")}; stop it or choose another --data directory", e);
            }

            throw new StoreException($"cannot open the store in '{full}': {FirstLine(message)}", e);
        }

        try
        {
            Initialize(connection);
            return new TributaryStore(full, connection, timeProvider ?? TimeProvider.System);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The connection string for the database file at <paramref name="path"/>, built by the driver's builder so
    /// a path holding ';', '=' or quotes stays one path and never becomes connection options.
    /// </summary>
    internal static string ConnectionString(string path) => new DuckDBConnectionStringBuilder { DataSource = path }.ConnectionString;

    /// <summary>What every connection needs before its first statement: UTC, no extension downloads, the KQL macros and C# functions.</summary>
    private static void SetUpSession(DuckDBConnection connection)
    {
        foreach (var sql in new[] { "SET TimeZone='UTC'", "SET autoinstall_known_extensions=false" }.Concat(SqlMacros.Statements))
        {
            Exec(connection, sql);
        }

        // Registering a function writes the database's catalog: connections opened at once (a job's windows) take
        // turns, or DuckDB refuses one of them ("Error registering user defined scalar function").
        lock (UdfRegistration)
        {
            Kql.Binding.Udfs.UdfCatalog.RegisterAll(new DuckDbUdfTarget(connection));
        }
    }

    private static readonly Lock UdfRegistration = new();

    private static void Initialize(DuckDBConnection connection)
    {
        SetUpSession(connection);
        string[] setup =
        [
            "CREATE SCHEMA IF NOT EXISTS tributary_meta",
            "CREATE TABLE IF NOT EXISTS tributary_meta.format (version INTEGER NOT NULL)",
            "CREATE TABLE IF NOT EXISTS tributary_meta.tables (name VARCHAR NOT NULL, columns_json VARCHAR NOT NULL, retention_ticks BIGINT, created_on TIMESTAMP NOT NULL)",
            "CREATE TABLE IF NOT EXISTS tributary_meta.extents (extent_id UUID NOT NULL, table_name VARCHAR NOT NULL, row_count BIGINT NOT NULL, created_on TIMESTAMP NOT NULL, tags VARCHAR[] NOT NULL)",
            "CREATE TABLE IF NOT EXISTS tributary_meta.views (name VARCHAR NOT NULL, source VARCHAR NOT NULL, query VARCHAR NOT NULL, columns_json VARCHAR NOT NULL, keys_json VARCHAR NOT NULL, merge VARCHAR NOT NULL)",
            "CREATE TABLE IF NOT EXISTS tributary_meta.functions (name VARCHAR NOT NULL, parameters_json VARCHAR NOT NULL, body VARCHAR NOT NULL, folder VARCHAR, doc_string VARCHAR)",
        ];
        foreach (var sql in setup.Concat(SystemTables.Statements))
        {
            Exec(connection, sql);
        }

        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT max(version) FROM tributary_meta.format";
        var version = cmd.ExecuteScalar();
        if (version is null or DBNull)
        {
            Exec(connection, $"INSERT INTO tributary_meta.format VALUES ({FormatVersion})");
        }
        else if (System.Convert.ToInt32(version, CultureInfo.InvariantCulture) > FormatVersion)
        {
            throw new StoreException($"the data directory was written by a newer Tributary (format {version}); this version reads format {FormatVersion}");
        }
        else if (System.Convert.ToInt32(version, CultureInfo.InvariantCulture) == 1)
        {
            UpgradeFromFormat1(connection);
        }
    }

    /// <summary>
    /// Format 1 kept datetimes in TIMESTAMP columns, to the microsecond; every datetime column of a table (the hidden
    /// ingestion time too) becomes its ticks, in one transaction with the new version.
    /// </summary>
    private static void UpgradeFromFormat1(DuckDBConnection connection)
    {
        var columns = new List<(string Table, string Column)>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT c.table_name, c.column_name FROM information_schema.columns c JOIN information_schema.tables t " +
                "ON t.table_schema = c.table_schema AND t.table_name = c.table_name " +
                "WHERE c.table_schema = 'main' AND t.table_type = 'BASE TABLE' AND c.data_type = 'TIMESTAMP' ORDER BY c.table_name, c.ordinal_position";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        Exec(connection, "BEGIN TRANSACTION");
        try
        {
            foreach (var (table, column) in columns)
            {
                Exec(connection, $"ALTER TABLE {Sql.Ident(table)} ALTER COLUMN {Sql.Ident(column)} SET DATA TYPE BIGINT USING {Sql.TimestampToTicks(Sql.Ident(column))}");
            }

            Exec(connection, $"UPDATE tributary_meta.format SET version = {FormatVersion}");
            Exec(connection, "COMMIT");
        }
        catch
        {
            Exec(connection, "ROLLBACK");
            throw;
        }
    }

    /// <summary>Runs a KQL query or a control command and returns its result.</summary>
    /// <exception cref="KqlException">The text is not valid KQL or names something unknown.</exception>
    /// <exception cref="StoreException">The command cannot be carried out.</exception>
    public QueryResult Execute(string text, IReadOnlyDictionary<string, object?>? parameters = null, CancellationToken cancellationToken = default) =>
        ExecuteAs(DefaultUser, text, parameters, cancellationToken);

    /// <summary>Runs a query or command on behalf of <paramref name="user"/> (a user or app name, recorded in <c>QueryLog</c>).</summary>
    public QueryResult ExecuteAs(string user, string text, IReadOnlyDictionary<string, object?>? parameters = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(text);
        lock (_gate)
        {
            var started = Now();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                EnforceRetention();
                var result = CommandParser.IsCommand(text)
                    ? RunCommand(CommandParser.Parse(text), cancellationToken)
                    : RunQuery(text, _catalog, QueryOptions(parameters), cancellationToken);
                LogQuery(user, text, started, clock.Elapsed, "Completed", "", result.Rows.Count);
                return result;
            }
            catch (Exception e) when (e is KqlException or StoreException or OperationCanceledException)
            {
                var detail = EngineErrors.Detail(e);
                LogQuery(user, text, started, clock.Elapsed, e is OperationCanceledException ? "Cancelled" : "Failed", detail.Length > 0 ? $"{e.Message} [engine: {detail}]" : e.Message, 0);
                throw;
            }
        }
    }

    /// <summary>
    /// Translates a query without running it (the SQL is for diagnostics and benchmarks, never shown as an error).
    /// An operator whose columns depend on the data (bag_unpack, pivot without an output schema) reads it to learn them.
    /// </summary>
    public Translation Translate(string query, IReadOnlyDictionary<string, object?>? parameters = null)
    {
        lock (_gate)
        {
            return KqlTranslator.Translate(query, _catalog, QueryOptions(parameters) with { Probe = Probe(CancellationToken.None) });
        }
    }

    /// <summary>Loads a file into a table as one new extent, all or nothing.</summary>
    public IngestResult IngestFile(string table, string path, IngestFormat? format = null, IReadOnlyList<string>? tags = null,
        IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(path);
        lock (_gate)
        {
            EnforceRetention();
            var schema = RequireWritableTable(table);
            if (!File.Exists(path))
            {
                throw new StoreException($"file not found: {path}");
            }

            var fmt = format ?? FileIngestor.FormatFromExtension(path);
            var extent = Guid.NewGuid();
            var now = Now();
            tags ??= [];
            ValidateTags(tags);
            var rows = InTransaction(() =>
            {
                var n = FileIngestor.Ingest(_connection, schema, path, fmt, extent, now, progress, cancellationToken);
                AddExtent(table, extent, n, now, tags);
                return n;
            }, catalogChanged: false);
            return new IngestResult(extent, table, rows, tags);
        }
    }

    /// <summary>Runs the raw SQL statement (benchmarks compare against hand-written SQL on the same engine).</summary>
    internal QueryResult RunSql(string sql, IReadOnlyList<KqlColumn> columns)
    {
        lock (_gate)
        {
            return Read(sql, columns, CancellationToken.None);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        DisposePool();
        _connection.Dispose();
        lock (OpenPaths)
        {
            OpenPaths.Remove(Path.Combine(DataDirectory, DatabaseFileName));
        }
    }

    private bool _disposed;

    private DateTime Now()
    {
        var now = _time.GetUtcNow().UtcDateTime;
        // DuckDB timestamps hold microseconds.
        return new DateTime(now.Ticks - now.Ticks % 10, DateTimeKind.Utc);
    }

    // A query the user runs: externaldata may read the allowed directories' files.
    private TranslationOptions QueryOptions(IReadOnlyDictionary<string, object?>? parameters) =>
        new(Now(), parameters) { ExternalData = _externalData, SeveralTables = true };

    private QueryResult RunQuery(string text, ICatalog catalog, TranslationOptions options, CancellationToken cancellationToken)
    {
        var translation = KqlTranslator.Translate(text, catalog, options with { Probe = Probe(cancellationToken) });
        var result = Read(translation.Sql, translation.Columns, cancellationToken);
        var more = translation.MoreTables.Select(t => Read(t.Sql, t.Columns, cancellationToken) with { Name = t.Name }).ToList();
        return result with { Render = translation.Render, Name = translation.Name, MoreTables = more };
    }

    /// <summary>What a translation reads the data with (bag_unpack, pivot): the store's connection, under its lock.</summary>
    private StoreDataProbe Probe(CancellationToken cancellationToken) => new(_connection, cancellationToken);

    private QueryResult Read(string sql, IReadOnlyList<KqlColumn> columns, CancellationToken cancellationToken)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        using var registration = cancellationToken.Register(cmd.Cancel);
        var rows = new List<object?[]>();
        var column = 0;
        try
        {
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var row = new object?[columns.Count];
                for (column = 0; column < columns.Count; column++)
                {
                    row[column] = reader.IsDBNull(column) ? (columns[column].Type == KqlType.String ? "" : null) : ToClr(reader.GetValue(column), columns[column].Type);
                }

                rows.Add(row);
            }
        }
        catch (DuckDBException e)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new StoreException($"the query failed while running: {EngineErrors.Describe(e)}", e);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException && column < columns.Count)
        {
            // The engine holds values .NET cannot (a timestamp after year 9999, a huge interval).
            throw new StoreException(
                $"the query failed while running: a value of column '{columns[column].Name}' is outside the range of {KqlTypes.Name(columns[column].Type)}", e);
        }

        return new QueryResult(columns, rows);
    }

    private static object? ToClr(object value, KqlType type) => type switch
    {
        KqlType.TimeSpan => TimeSpan.FromTicks(ToLong(value)),
        KqlType.DateTime => new DateTime(ToLong(value), DateTimeKind.Utc),
        KqlType.Long => ToLong(value),
        KqlType.Int => value is int i ? i : (int)ToLong(value),
        KqlType.Real => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
        KqlType.Decimal => System.Convert.ToDecimal(value, CultureInfo.InvariantCulture),
        KqlType.Bool => System.Convert.ToBoolean(value, CultureInfo.InvariantCulture),
        KqlType.Guid => value is Guid g ? g : Guid.Parse(value.ToString()!),
        KqlType.String => value as string ?? value.ToString(),
        // A JSON null is a null dynamic value, as a missing property is.
        KqlType.Dynamic => value is string json ? (json == "null" ? null : json) : value.ToString(),
        _ => value,
    };

    private static long ToLong(object value) => value switch
    {
        long l => l,
        int i => i,
        BigInteger b => (long)b,
        Int128 h => (long)h,
        ulong u => (long)u,
        _ => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
    };

    /// <summary>Engine messages can quote the SQL we generated; users see only the first sentence.</summary>
    internal static string CleanEngineMessage(string message)
    {
        var line = FirstLine(message);
        var cut = line.IndexOf("LINE ", StringComparison.Ordinal);
        return cut > 0 ? line[..cut].Trim() : line;
    }

    private static string FirstLine(string message)
    {
        var nl = message.IndexOf('\n');
        return (nl >= 0 ? message[..nl] : message).Trim();
    }

    private static void Exec(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private long ExecCount(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteNonQuery();
    }

    /// <summary>Runs <paramref name="work"/> in one transaction; reloads the catalog after it when <paramref name="catalogChanged"/> (tables, functions or views).</summary>
    private T InTransaction<T>(Func<T> work, bool catalogChanged = true)
    {
        Exec(_connection, "BEGIN TRANSACTION");
        try
        {
            var result = work();
            Exec(_connection, "COMMIT");
            if (catalogChanged)
            {
                _catalog = StoreCatalog.Load(_connection);
            }

            return result;
        }
        catch (DuckDBException e)
        {
            Rollback();
            throw new StoreException($"the command failed and changed nothing: {EngineErrors.Describe(e)}", e);
        }
        catch
        {
            Rollback();
            throw;
        }
    }

    private void Rollback()
    {
        try
        {
            Exec(_connection, "ROLLBACK");
        }
        catch (DuckDBException)
        {
            // The engine already aborted the transaction.
        }

        _catalog = StoreCatalog.Load(_connection);
    }

    private TableSchema RequireTable(string table) =>
        _catalog.TryGetTable(table, out var schema)
            ? schema
            : throw new StoreException($"table '{table}' does not exist{Suggest(table)}; create it with .create table {table} (Column:type, …)");

    /// <summary>A table new rows may go into: it exists and is not a materialized view (views are written by Tributary).</summary>
    private TableSchema RequireWritableTable(string table)
    {
        var schema = RequireTable(table);
        if (SystemTables.IsSystemTable(table))
        {
            throw new StoreException($"'{table}' is a system table; Tributary writes it");
        }

        if (_catalog.TryGetView(table, out _))
        {
            throw new StoreException($"'{table}' is a materialized view; Tributary writes it as extents arrive in its source table");
        }

        return schema;
    }

    private string Suggest(string name)
    {
        var match = _catalog.TableNames().FirstOrDefault(t => string.Equals(t, name, StringComparison.OrdinalIgnoreCase));
        return match is null ? "" : $" (did you mean '{match}'?)";
    }

    private static void ValidateTags(IReadOnlyList<string> tags)
    {
        foreach (var tag in tags)
        {
            if (string.IsNullOrWhiteSpace(tag) || tag.Length > 1024 || tag.Any(char.IsControl))
            {
                throw new StoreException($"invalid extent tag '{tag}': tags are non-empty text up to 1024 characters without control characters");
            }
        }
    }

    private void AddExtent(string table, Guid extent, long rows, DateTime now, IReadOnlyList<string> tags) => AddExtents(table, [(extent, rows, tags)], now);

    /// <summary>Records new extents of <paramref name="table"/> (one statement) after merging them into the table's views.</summary>
    private void AddExtents(string table, IReadOnlyList<(Guid Extent, long Rows, IReadOnlyList<string> Tags)> extents, DateTime now)
    {
        RefreshViews(table, extents.Select(e => e.Extent).ToList(), now);
        var values = extents.Select(e =>
            $"('{e.Extent:D}'::UUID, {Sql.String(table)}, {e.Rows}, {Sql.Timestamp(now)}, [{string.Join(", ", e.Tags.Select(Sql.String))}]::VARCHAR[])");
        Exec(_connection, $"INSERT INTO tributary_meta.extents VALUES {string.Join(", ", values)}");
    }

    /// <summary>Extent ids as a SQL list of UUID literals.</summary>
    private static string ExtentList(IEnumerable<Guid> extents) => string.Join(", ", extents.Select(e => $"'{e:D}'::UUID"));

    private void EnforceRetention()
    {
        var expired = new List<(Guid Extent, string Table)>();
        var now = Now();
        using (var cmd = _connection.CreateCommand())
        {
            cmd.CommandText =
                "SELECT e.extent_id, e.table_name FROM tributary_meta.extents e JOIN tributary_meta.tables t ON e.table_name = t.name " +
                $"WHERE t.retention_ticks IS NOT NULL AND e.created_on < {Sql.Timestamp(now)} - to_microseconds(t.retention_ticks // 10)";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                expired.Add((reader.GetGuid(0), reader.GetString(1)));
            }
        }

        if (expired.Count > 0)
        {
            InTransaction(() => DropExtents(expired), catalogChanged: false);
        }
    }

    /// <summary>Deletes the extents' rows and records; materialized views on their tables are recomputed for the groups those rows touched.</summary>
    private long DropExtents(IReadOnlyCollection<(Guid Extent, string Table)> extents)
    {
        long rows = 0;
        foreach (var group in extents.GroupBy(e => e.Table, StringComparer.Ordinal))
        {
            var ids = ExtentList(group.Select(e => e.Extent));
            var views = CaptureViewGroups(group.Key, ids);
            rows += ExecCount($"DELETE FROM {Sql.Ident(group.Key)} WHERE {Sql.Ident(TableSchema.ExtentColumn)} IN ({ids})");
            Exec(_connection, $"DELETE FROM tributary_meta.extents WHERE extent_id IN ({ids})");
            RecomputeViewGroups(views);
        }

        return rows;
    }
}
