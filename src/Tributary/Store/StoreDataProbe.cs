using DuckDB.NET.Data;
using Tributary.Kql;

namespace Tributary.Store;

/// <summary>
/// Answers the translator's questions about the data (the properties <c>bag_unpack</c> unpacks, the values
/// <c>pivot</c> spreads) on the connection the query will run on, under the store's lock.
/// </summary>
/// <remarks>An engine failure is a <see cref="StoreException"/>, as the query's own would be; the token interrupts a long probe.</remarks>
internal sealed class StoreDataProbe(DuckDBConnection connection, CancellationToken cancellationToken) : IDataProbe
{
    public IReadOnlyList<string?[]> Query(string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var registration = cancellationToken.Register(cmd.Cancel);
        var rows = new List<string?[]>();
        try
        {
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var row = new string?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : reader.GetString(i);
                }

                rows.Add(row);
            }
        }
        catch (DuckDBException e)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new StoreException($"the query failed while running: {TributaryStore.CleanEngineMessage(e.Message)}", e);
        }

        return rows;
    }
}
