using System.Globalization;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using Tributary.Kql;

namespace Tributary.Store.Ingestion;

/// <summary>
/// Appends the rows of a CSV, JSON lines, JSON or Parquet file to a stored table, converting each value
/// by Kusto's rules (<see cref="Kql.Values.KqlValueParser"/>), all inside DuckDB.
/// </summary>
/// <remarks>
/// <para>Columns map by name: CSV header and Parquet names exactly, else ignoring case; JSON property
/// names exactly. File columns the table lacks are ignored; table columns the file lacks get null
/// (<c>''</c> for strings). A nested JSON value in a string column is stored as its JSON text.</para>
/// <para>All or nothing, on the caller's connection inside the caller's open transaction: on the first
/// bad row (in file order) a <see cref="StoreException"/> names the file's line (1-based, physical; a
/// CSV header is line 1; for Parquet the 1-based row), the column, the value and why. DuckDB aborts the
/// transaction when a statement fails, so after an exception the caller must roll back. The first bad
/// row is then found on a private in-memory connection, which only reads the file.</para>
/// <para>Not thread-safe for one connection (no DuckDB connection is).</para>
/// </remarks>
internal static partial class FileIngestor
{
    private const int MaxShownValueLength = 100;
    private static readonly TimeSpan ProgressPeriod = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Appends every row of <paramref name="path"/> to table <paramref name="table"/> with the given extent
    /// id and ingestion time, and returns the number of rows appended.
    /// </summary>
    /// <exception cref="StoreException">The file is missing, malformed, or has a value that does not convert.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static long Ingest(DuckDBConnection connection, TableSchema table, string path, IngestFormat format,
        Guid extentId, DateTime ingestionTimeUtc, IProgress<IngestProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(path);
        cancellationToken.ThrowIfCancellationRequested();

        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new StoreException($"file not found: {path}");
        }

        var total = new FileInfo(fullPath).Length;
        progress?.Report(new IngestProgress(0, total, "reading"));
        var utc = ingestionTimeUtc.Kind == DateTimeKind.Local ? ingestionTimeUtc.ToUniversalTime() : ingestionTimeUtc;

        using var readable = ReadablePath.Create(fullPath);
        var plan = IngestPlan.Create(connection, table, fullPath, readable.Path, format);
        if (plan is null)
        {
            progress?.Report(new IngestProgress(total, total, "appending"));
            return 0;
        }

        progress?.Report(new IngestProgress(0, total, "converting"));
        long count;
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = plan.InsertSql(extentId, utc);
            using var registration = cancellationToken.Register(cmd.Cancel);
            using var poller = progress is null ? null : new ProgressPoller(connection, progress, total);
            try
            {
                // Implementation note: DuckDB.NET returns no result set for INSERT, only the changed-row count.
                count = cmd.ExecuteNonQuery();
                poller?.Stop();
                poller?.RestoreSettings();
            }
            catch (DuckDBException e)
            {
                poller?.Stop();
                cancellationToken.ThrowIfCancellationRequested();
                throw Explain(plan, fullPath, readable.Path, format, e);
            }
        }

        progress?.Report(new IngestProgress(total, total, "appending"));
        return count;
    }

    /// <summary>The format for a file's extension: .csv, .jsonl/.ndjson, .json, .parquet (any case).</summary>
    /// <exception cref="StoreException">Any other extension.</exception>
    public static IngestFormat FormatFromExtension(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" => IngestFormat.Csv,
        ".jsonl" or ".ndjson" => IngestFormat.JsonLines,
        ".json" => IngestFormat.Json,
        ".parquet" => IngestFormat.Parquet,
        var ext => throw new StoreException(
            $"cannot tell the format of {path} from its extension '{ext}': use .csv, .jsonl, .ndjson, .json or .parquet"),
    };

    // Turns DuckDB's failure into a message about the file, never about SQL.
    private static StoreException Explain(IngestPlan plan, string fullPath, string readPath,
        IngestFormat format, DuckDBException e)
    {
        var file = Path.GetFileName(fullPath);
        var message = e.Message;
        if (message.Contains(IngestPlan.BadValueSentinel, StringComparison.Ordinal))
        {
            return ExplainBadRecord(plan, fullPath, format, e) ?? new StoreException($"{file}: a value cannot be converted", e);
        }

        switch (format)
        {
            case IngestFormat.Csv when CsvLine().Match(message) is { Success: true } m:
            {
                var line = RecordLocator.CsvPhysicalLine(readPath, long.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
                return new StoreException($"{file}: line {line}: {CsvReason(message, plan.FileColumnCount)}", e);
            }

            case IngestFormat.JsonLines or IngestFormat.Json:
            {
                var found = format == IngestFormat.JsonLines ? RecordLocator.FirstMalformedJsonLine(fullPath) : RecordLocator.FirstMalformedJson(fullPath, FirstIsBracket(fullPath));
                if (found is { } f)
                {
                    return new StoreException($"{file}: line {f.Line}: {f.Reason}", e);
                }

                if (JsonLine().Match(message) is { Success: true } m)
                {
                    return new StoreException($"{file}: record {m.Groups[1].Value}: malformed JSON or not an object", e);
                }

                return new StoreException($"{file}: not valid JSON", e);
            }

            case IngestFormat.Parquet:
                return new StoreException($"{file}: not a readable Parquet file", e);
            default:
                return new StoreException($"{file}: cannot be read as {FormatName(format)}", e);
        }
    }

    private static StoreException? ExplainBadRecord(IngestPlan plan, string fullPath, IngestFormat format, DuckDBException e)
    {
        var file = Path.GetFileName(fullPath);
        // Implementation note: the caller's transaction is aborted by now, and DuckDB.NET can duplicate only
        // in-memory connections; finding the bad record needs nothing but the file, so a private
        // in-memory database does it.
        using var diagnostic = new DuckDBConnection("Data Source=:memory:");
        diagnostic.Open();
        using (var settings = diagnostic.CreateCommand())
        {
            settings.CommandText = "SET TimeZone='UTC'; SET autoinstall_known_extensions=false;";
            settings.ExecuteNonQuery();
        }

        var bad = plan.FindFirstBadRecord(diagnostic);

        if (bad is null)
        {
            return null;
        }

        var where = format switch
        {
            IngestFormat.Csv => $"line {RecordLocator.CsvRecordLine(fullPath, bad.Record, skipBlank: plan.FileColumnCount != 1)}",
            IngestFormat.JsonLines => $"line {RecordLocator.JsonLinesRecordLine(fullPath, bad.Record)}",
            IngestFormat.Json => $"line {RecordLocator.JsonRecordLine(fullPath, bad.Record, FirstIsBracket(fullPath))}",
            _ => $"row {bad.Record + 1}",
        };

        var column = bad.Column;
        var shown = Truncate(bad.Raw);
        var why = bad.DuckType is { } duckType && duckType != "VARCHAR"
            ? $"'{shown}' ({duckType} in the file) cannot be stored as {KqlTypes.Name(column.Type)}"
            : $"'{shown}' is not {Expectation(column.Type)}";
        return new StoreException($"{file}: {where}, column '{column.Name}': {why}", e);
    }

    /// <summary>Why a value of a type did not convert: the type and what it accepts.</summary>
    internal static string Expectation(KqlType type) => type switch
    {
        KqlType.Int => "an int (a whole number from -2147483648 to 2147483647)",
        KqlType.Long => "a long (a whole number from -9223372036854775808 to 9223372036854775807)",
        KqlType.Real => "a real (a number like 1.5, -2e-3, nan or inf)",
        KqlType.Decimal => "a decimal (a number like 1.5 or -2e-3, below 10^20 in magnitude)",
        KqlType.Bool => "a bool (true, false, 1 or 0)",
        KqlType.DateTime => "a datetime (ISO 8601 like 2019-05-21T19:25:39Z or RFC 1123 like Sat, 8 Nov 2014 15:05:02 GMT)",
        KqlType.TimeSpan => "a timespan ([d.]hh:mm:ss[.fffffff] or a literal like 10m)",
        KqlType.Guid => "a guid (like 0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f)",
        _ => "a " + KqlTypes.Name(type),
    };

    private static string CsvReason(string message, int columns)
    {
        if (CsvColumnCount().Match(message) is { Success: true } m)
        {
            return $"expected {columns} columns (as in the header) but found {m.Groups[2].Value}";
        }

        if (message.Contains("unterminated quote", StringComparison.OrdinalIgnoreCase))
        {
            return "a quoted value is not closed (or has text after its closing quote)";
        }

        if (message.Contains("unicode", StringComparison.OrdinalIgnoreCase))
        {
            return "the text is not valid UTF-8";
        }

        if (message.Contains("line size", StringComparison.OrdinalIgnoreCase))
        {
            return "the line is too long";
        }

        return "malformed CSV";
    }

    private static string Truncate(string raw) => raw.Length <= MaxShownValueLength ? raw : raw[..MaxShownValueLength] + "…";

    private static bool FirstIsBracket(string path) => IngestPlan.FirstNonBlankByte(path) == '[';

    private static string FormatName(IngestFormat format) => format switch
    {
        IngestFormat.Csv => "CSV",
        IngestFormat.JsonLines => "JSON lines",
        IngestFormat.Json => "JSON",
        _ => "Parquet",
    };

    [GeneratedRegex(@"CSV Error on Line: (\d+)")]
    private static partial Regex CsvLine();

    [GeneratedRegex(@"Expected Number of Columns: (\d+) Found: (\d+)")]
    private static partial Regex CsvColumnCount();

    [GeneratedRegex(@"in line (\d+)")]
    private static partial Regex JsonLine();

    // Reports DuckDB's own progress of the running statement as bytes of the file, from a timer thread,
    // and stops for good before the statement's connection is used for anything else. DuckDB tracks
    // progress only with enable_progress_bar on; the poller turns it on (printing off) for the statement
    // and restores it after success. After a failure the transaction is aborted and cannot run SET, so
    // the connection keeps tracking on, which costs next to nothing and prints nothing.
    private sealed class ProgressPoller : IDisposable
    {
        private readonly Lock _gate = new();
        private readonly DuckDBConnection _connection;
        private readonly IProgress<IngestProgress> _progress;
        private readonly long _total;
        private readonly ITimer _timer;
        private readonly bool _enabledTracking;
        private long _lastReported = -1;
        private bool _stopped;

        public ProgressPoller(DuckDBConnection connection, IProgress<IngestProgress> progress, long total)
        {
            _connection = connection;
            _progress = progress;
            _total = total;
            using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = "SELECT current_setting('enable_progress_bar')";
                if (cmd.ExecuteScalar() is not true)
                {
                    cmd.CommandText = "SET enable_progress_bar_print = false; SET enable_progress_bar = true;";
                    cmd.ExecuteNonQuery();
                    _enabledTracking = true;
                }
            }

            _timer = TimeProvider.System.CreateTimer(_ => Poll(), null, ProgressPeriod, ProgressPeriod);
        }

        public void RestoreSettings()
        {
            if (_enabledTracking)
            {
                using var cmd = _connection.CreateCommand();
                cmd.CommandText = "RESET enable_progress_bar; RESET enable_progress_bar_print;";
                cmd.ExecuteNonQuery();
            }
        }

        public void Stop()
        {
            lock (_gate)
            {
                _stopped = true;
            }

            _timer.Dispose();
        }

        public void Dispose() => Stop();

        private void Poll()
        {
            lock (_gate)
            {
                if (_stopped)
                {
                    return;
                }

                var p = _connection.GetQueryProgress();
                var bytes = (long)(_total * Math.Clamp(p.Percentage, 0, 100) / 100);
                if (p.Percentage >= 0 && bytes != _lastReported)
                {
                    _lastReported = bytes;
                    _progress.Report(new IngestProgress(bytes, _total, "converting"));
                }
            }
        }
    }
}
