using DuckDB.NET.Data;

namespace Tributary.Store;

// QueryLog and the ledger: the store's own history, written in the caller's transaction where there is one.
public sealed partial class TributaryStore
{
    /// <summary>Who a query runs as when the caller does not say.</summary>
    public const string DefaultUser = "cli";

    private const int MaxLoggedText = 64 * 1024;

    private void LogQuery(string user, string text, DateTime started, TimeSpan duration, string state, string error, long rows)
    {
        try
        {
            Run(_connection,
                "INSERT INTO tributary_meta.query_log VALUES (?, ?, ?, ?, ?, ?, ?)",
                user, text.Length > MaxLoggedText ? text[..MaxLoggedText] : text, started, duration.Ticks, state, error, rows);
        }
        catch (DuckDBException)
        {
            // The log never fails the query it describes.
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> against the ledger tables (<c>tributary_meta.*</c>) in one transaction
    /// under the store's lock: all of it commits or none.
    /// </summary>
    internal T Ledger<T>(Func<ILedger, T> work)
    {
        lock (_gate)
        {
            return InTransaction(() => work(new LedgerAccess(_connection)), catalogChanged: false);
        }
    }

    /// <summary>Reads the ledger without a transaction of its own.</summary>
    internal List<object?[]> LedgerQuery(string sql, params object?[] args)
    {
        lock (_gate)
        {
            return new LedgerAccess(_connection).Query(sql, args);
        }
    }

    private static long Run(DuckDBConnection connection, string sql, params object?[] args)
    {
        using var cmd = Command(connection, sql, args);
        return cmd.ExecuteNonQuery();
    }

    /// <summary>A command with its values bound to the <c>?</c> placeholders in order (never concatenated into the SQL).</summary>
    private static DuckDBCommand Command(DuckDBConnection connection, string sql, object?[] args)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new DuckDBParameter(arg ?? DBNull.Value));
        }

        return cmd;
    }

    private sealed class LedgerAccess(DuckDBConnection connection) : ILedger
    {
        public long Execute(string sql, params object?[] args) => Run(connection, sql, args);

        public List<object?[]> Query(string sql, params object?[] args)
        {
            using var cmd = Command(connection, sql, args);

            var rows = new List<object?[]>();
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows.Add(row);
            }

            return rows;
        }
    }
}

/// <summary>Parameterized SQL on the store's ledger tables, inside a store transaction (values bind to <c>?</c> in order; never concatenated).</summary>
internal interface ILedger
{
    long Execute(string sql, params object?[] args);

    List<object?[]> Query(string sql, params object?[] args);
}
