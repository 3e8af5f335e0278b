using System.Globalization;
using System.Runtime.InteropServices;
using DuckDB.NET.Data;
using Tributary.Kql;
using Tributary.Kql.Binding;

namespace Tributary.Store;

// What the stream processors write: a table sink's rows with its offsets, and the processors' counts.
public sealed partial class TributaryStore
{
    /// <summary>
    /// In one transaction: appends <paramref name="rows"/> (values in the table's column order) to <paramref name="table"/>
    /// as a new extent tagged <paramref name="tags"/>, and runs <paramref name="alsoInTransaction"/> on the ledger (a table
    /// sink records its input offsets there). Whatever fails, nothing changes.
    /// </summary>
    /// <remarks>
    /// Values: string or its UTF-8 bytes as a <see cref="ReadOnlyMemory{T}"/> (null stored as empty), bool, int, long, double, decimal, DateTime (UTC), TimeSpan, Guid, and for
    /// dynamic columns JSON text; null for a missing value.
    /// </remarks>
    internal IngestResult AppendRows(string table, IReadOnlyList<object?[]> rows, IReadOnlyList<string> tags, Action<ILedger>? alsoInTransaction)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(tags);
        ValidateTags(tags);
        lock (_gate)
        {
            var schema = RequireWritableTable(table);
            var extent = Guid.NewGuid();
            var now = Now();
            InTransaction(() =>
            {
                if (rows.Count > 0)
                {
                    using var appender = _connection.CreateAppender(table);
                    foreach (var row in rows)
                    {
                        var r = appender.CreateRow();
                        for (var i = 0; i < schema.Columns.Count; i++)
                        {
                            Append(r, schema.Columns[i].Type, i < row.Length ? row[i] : null);
                        }

                        r.AppendValue(extent).AppendValue(now.Ticks).EndRow();
                    }
                }

                AddExtent(table, extent, rows.Count, now, tags);
                alsoInTransaction?.Invoke(new LedgerAccess(_connection));
                return 0;
            }, catalogChanged: false);
            return new IngestResult(extent, table, rows.Count, tags);
        }
    }

    /// <summary>Runs a KQL query without recording it in QueryLog (a processor's lookups would flood it).</summary>
    internal Query.QueryResult QueryQuietly(string text, IReadOnlyDictionary<string, object?>? parameters, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return RunQuery(text, _catalog, new TranslationOptions(Now(), parameters), cancellationToken);
        }
    }

    /// <summary>Every processor's counts over its life, as reported so far: processor → metric → sum.</summary>
    internal Dictionary<string, Dictionary<string, long>> ProcessorMetricTotals()
    {
        var totals = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT processor, metric, CAST(sum(value) AS BIGINT) FROM tributary_meta.processor_metrics GROUP BY ALL";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var processor = reader.GetString(0);
                if (!totals.TryGetValue(processor, out var metrics))
                {
                    totals[processor] = metrics = new Dictionary<string, long>(StringComparer.Ordinal);
                }

                metrics[reader.GetString(1)] = reader.GetInt64(2);
            }
        }

        return totals;
    }

    /// <summary>Records processors' counts since their last report (one row per processor and metric with a non-zero count).</summary>
    internal void RecordProcessorMetrics(DateTime at, IReadOnlyList<(string Processor, string Metric, long Value)> counts)
    {
        if (counts.Count == 0)
        {
            return;
        }

        var values = string.Join(", ", counts.Select(c => $"({Sql.Timestamp(at)}, {Sql.String(c.Processor)}, {Sql.String(c.Metric)}, {c.Value.ToString(CultureInfo.InvariantCulture)})"));
        lock (_gate)
        {
            Exec(_connection, $"INSERT INTO tributary_meta.processor_metrics VALUES {values}");
        }
    }

    /// <summary>
    /// Folds the <c>ProcessorMetrics</c> rows reported before <paramref name="before"/> into one row per processor, metric
    /// and hour (at the hour's start), so the ledger grows by hours, not by reports; sums over any whole hours and over
    /// the processors' lives stay the same. Returns how many rows went. One transaction; an hour already folded is left
    /// alone.
    /// </summary>
    internal long RollUpProcessorMetrics(DateTime before)
    {
        lock (_gate)
        {
            var cutoff = Sql.Timestamp(before);
            return InTransaction(() =>
            {
                const string hour = "date_trunc('hour', reported_on)";
                Exec(_connection,
                    "CREATE OR REPLACE TEMP TABLE rolled_metrics AS " +
                    $"SELECT {hour} AS reported_on, processor, metric, CAST(sum(value) AS BIGINT) AS value FROM tributary_meta.processor_metrics " +
                    $"WHERE reported_on < {cutoff} GROUP BY ALL HAVING count(*) > 1");
                var removed = ExecCount(
                    "DELETE FROM tributary_meta.processor_metrics m USING rolled_metrics r " +
                    $"WHERE m.reported_on < {cutoff} AND date_trunc('hour', m.reported_on) = r.reported_on AND m.processor = r.processor AND m.metric = r.metric");
                var added = ExecCount("INSERT INTO tributary_meta.processor_metrics SELECT * FROM rolled_metrics");
                Exec(_connection, "DROP TABLE rolled_metrics");
                return removed - added;
            }, catalogChanged: false);
        }
    }

    private static void Append(IDuckDBAppenderRow row, KqlType type, object? value)
    {
        if (value is null)
        {
            if (type == KqlType.String)
            {
                row.AppendValue(string.Empty);
            }
            else
            {
                row.AppendNullValue();
            }

            return;
        }

        switch (type)
        {
            case KqlType.String or KqlType.Dynamic when value is ReadOnlyMemory<byte> utf8:
                // UTF-8 text straight into DuckDB's vector (a string would be transcoded twice on the way).
                row.AppendValue(MemoryMarshal.AsMemory(utf8).Span);
                break;
            case KqlType.String or KqlType.Dynamic:
                row.AppendValue(value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
            case KqlType.Bool:
                row.AppendValue((bool)value);
                break;
            case KqlType.Int:
                row.AppendValue(Convert.ToInt32(value, CultureInfo.InvariantCulture));
                break;
            case KqlType.Long:
                row.AppendValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case KqlType.Real:
                row.AppendValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case KqlType.Decimal:
                row.AppendValue(Convert.ToDecimal(value, CultureInfo.InvariantCulture));
                break;
            case KqlType.DateTime:
                row.AppendValue(((DateTime)value).Ticks);
                break;
            case KqlType.TimeSpan:
                row.AppendValue(((TimeSpan)value).Ticks);
                break;
            case KqlType.Guid:
                row.AppendValue((Guid)value);
                break;
            default:
                throw new StoreException($"cannot append a value of type {type}");
        }
    }
}
