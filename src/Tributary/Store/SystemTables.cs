using Tributary.Kql;
using Tributary.Kql.Binding;

namespace Tributary.Store;

/// <summary>
/// The store's own history, queryable with KQL like any table but written only by Tributary:
/// <c>JobAttempts</c> (every attempt of every job window), <c>JobWindows</c> (each window's latest
/// state) and <c>QueryLog</c> (every query and command the store ran).
/// </summary>
/// <remarks>
/// Each is a DuckDB view over a ledger table in the <c>tributary_meta</c> schema, whose TIMESTAMP columns it shows as
/// datetimes (ticks, as every table stores them). The view adds the
/// hidden extent and ingestion-time columns every table has, so <c>ingestion_time()</c> works on them
/// (it is the attempt's start, the window's last change, the query's start).
/// </remarks>
internal static class SystemTables
{
    public const string JobAttempts = "JobAttempts";
    public const string JobWindows = "JobWindows";
    public const string QueryLog = "QueryLog";
    public const string ProcessorMetrics = "ProcessorMetrics";

    /// <summary>The KQL schemas of the system tables, by name.</summary>
    public static IReadOnlyList<TableSchema> Schemas { get; } =
    [
        new(JobAttempts,
        [
            new("AttemptId", KqlType.Guid), new("Job", KqlType.String), new("WindowStart", KqlType.DateTime), new("WindowEnd", KqlType.DateTime),
            new("Attempt", KqlType.Int), new("State", KqlType.String), new("StartedOn", KqlType.DateTime), new("Duration", KqlType.TimeSpan),
            new("RowsWritten", KqlType.Long), new("ErrorKind", KqlType.String), new("Error", KqlType.String), new("Query", KqlType.String),
            new("Target", KqlType.String), new("TransactionId", KqlType.String),
        ]),
        new(JobWindows,
        [
            new("Job", KqlType.String), new("WindowStart", KqlType.DateTime), new("WindowEnd", KqlType.DateTime), new("State", KqlType.String),
            new("Attempts", KqlType.Int), new("RowsWritten", KqlType.Long), new("ErrorKind", KqlType.String), new("Error", KqlType.String),
            new("UpdatedOn", KqlType.DateTime), new("TransactionId", KqlType.String), new("MarkedSucceeded", KqlType.Bool),
        ]),
        new(QueryLog,
        [
            new("User", KqlType.String), new("Text", KqlType.String), new("StartedOn", KqlType.DateTime), new("Duration", KqlType.TimeSpan),
            new("State", KqlType.String), new("Error", KqlType.String), new("RowCount", KqlType.Long),
        ]),
        new(ProcessorMetrics,
        [
            new("Timestamp", KqlType.DateTime), new("Processor", KqlType.String), new("Metric", KqlType.String), new("Value", KqlType.Long),
        ]),
    ];

    /// <summary>DDL run at every open; idempotent.</summary>
    public static IReadOnlyList<string> Statements { get; } =
    [
        "CREATE TABLE IF NOT EXISTS tributary_meta.job_attempts (attempt_id UUID NOT NULL, job VARCHAR NOT NULL, window_start TIMESTAMP NOT NULL, window_end TIMESTAMP NOT NULL, " +
        "attempt INTEGER NOT NULL, state VARCHAR NOT NULL, started_on TIMESTAMP NOT NULL, duration_ticks BIGINT, rows_written BIGINT, error_kind VARCHAR, error VARCHAR, query VARCHAR, " +
        "target VARCHAR, transaction_id VARCHAR)",
        "CREATE TABLE IF NOT EXISTS tributary_meta.job_windows (job VARCHAR NOT NULL, window_start TIMESTAMP NOT NULL, window_end TIMESTAMP NOT NULL, state VARCHAR NOT NULL, " +
        "attempts INTEGER NOT NULL, rows_written BIGINT, error_kind VARCHAR, error VARCHAR, updated_on TIMESTAMP NOT NULL, transaction_id VARCHAR, marked BOOLEAN NOT NULL, next_attempt_on TIMESTAMP)",
        "CREATE INDEX IF NOT EXISTS job_windows_by_window ON tributary_meta.job_windows (job, window_start)",
        "CREATE TABLE IF NOT EXISTS tributary_meta.jobs (name VARCHAR NOT NULL, definition_json VARCHAR NOT NULL, paused BOOLEAN NOT NULL, updated_on TIMESTAMP NOT NULL)",
        "CREATE TABLE IF NOT EXISTS tributary_meta.runs (transaction_id VARCHAR NOT NULL, jobs_json VARCHAR NOT NULL, window_start TIMESTAMP NOT NULL, window_end TIMESTAMP NOT NULL, created_on TIMESTAMP NOT NULL)",
        "CREATE TABLE IF NOT EXISTS tributary_meta.query_log (user_name VARCHAR NOT NULL, text VARCHAR NOT NULL, started_on TIMESTAMP NOT NULL, duration_ticks BIGINT NOT NULL, " +
        "state VARCHAR NOT NULL, error VARCHAR NOT NULL, row_count BIGINT NOT NULL)",
        View(JobAttempts, "tributary_meta.job_attempts", "started_on",
            "attempt_id", "job", "window_start", "window_end", "attempt", "state", "started_on", "duration_ticks", "rows_written",
            "coalesce(error_kind, '')", "coalesce(error, '')", "coalesce(query, '')", "coalesce(target, '')", "coalesce(transaction_id, '')"),
        View(JobWindows, "tributary_meta.job_windows", "updated_on",
            "job", "window_start", "window_end", "state", "attempts", "rows_written", "coalesce(error_kind, '')", "coalesce(error, '')",
            "updated_on", "coalesce(transaction_id, '')", "marked"),
        View(QueryLog, "tributary_meta.query_log", "started_on",
            "user_name", "text", "started_on", "duration_ticks", "state", "error", "row_count"),
        "CREATE TABLE IF NOT EXISTS tributary_meta.processor_metrics (reported_on TIMESTAMP NOT NULL, processor VARCHAR NOT NULL, metric VARCHAR NOT NULL, value BIGINT NOT NULL)",
        View(ProcessorMetrics, "tributary_meta.processor_metrics", "reported_on", "reported_on", "processor", "metric", "value"),
        "CREATE TABLE IF NOT EXISTS tributary_meta.sink_offsets (sink VARCHAR NOT NULL, topic VARCHAR NOT NULL, part INTEGER NOT NULL, next_offset BIGINT NOT NULL)",
    ];

    public static bool IsSystemTable(string name) => Schemas.Any(s => s.Name == name);

    private static string View(string name, string source, string ingestionTime, params string[] expressions)
    {
        var schema = Schemas.Single(s => s.Name == name);
        var columns = schema.Columns.Select((c, i) => $"{(c.Type == KqlType.DateTime ? Sql.TimestampToTicks(expressions[i]) : expressions[i])} AS {Sql.Ident(c.Name)}")
            .Append($"NULL::UUID AS {Sql.Ident(TableSchema.ExtentColumn)}")
            .Append($"{Sql.TimestampToTicks(ingestionTime)} AS {Sql.Ident(TableSchema.IngestionTimeColumn)}");
        return $"CREATE OR REPLACE VIEW {Sql.Ident(name)} AS SELECT {string.Join(", ", columns)} FROM {source}";
    }
}
