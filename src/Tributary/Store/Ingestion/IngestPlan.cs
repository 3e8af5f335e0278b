using Tributary.Kql.Binding;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Tributary.Kql;

namespace Tributary.Store.Ingestion;

/// <summary>
/// How one file maps onto a table: the DuckDB table function that reads it, which file column feeds
/// which table column, and the SQL that converts and appends the rows (or finds the first bad one).
/// </summary>
/// <remarks>
/// The generated query has three nested SELECTs: <c>r</c> the raw value, <c>v</c> the candidate value, then the final values, where a value that failed calls DuckDB's <c>error()</c> with
/// <see cref="BadValueSentinel"/>. Every name and path from the user goes in quoted
/// (<see cref="Sql"/>); file columns are renamed to positional names (<c>c0</c>, <c>c1</c> …).
/// </remarks>
internal sealed class IngestPlan
{
    /// <summary>The message of the SQL error raised for a value that does not convert.</summary>
    public const string BadValueSentinel = "tributary:ingest-bad-value";

    private const string DiagnosticTable = "__tributary_ingest_diagnostic";

    private readonly TableSchema _table;
    private readonly string _from;
    private readonly SourceColumn?[] _sources;

    private IngestPlan(TableSchema table, string from, SourceColumn?[] sources, int fileColumnCount)
    {
        _table = table;
        _from = from;
        _sources = sources;
        FileColumnCount = fileColumnCount;
    }

    /// <summary>How many columns the file has (CSV header fields), 0 when not known.</summary>
    public int FileColumnCount { get; }

    /// <summary>
    /// Plans the ingestion of <paramref name="readPath"/> into <paramref name="table"/>, or returns null
    /// when the file is empty (no header, or only whitespace).
    /// </summary>
    public static IngestPlan? Create(DuckDBConnection connection, TableSchema table, string fullPath, string readPath, IngestFormat format) => format switch
    {
        IngestFormat.Csv => ForCsv(table, fullPath, readPath),
        IngestFormat.JsonLines => IsBlank(fullPath) ? null : ForJson(table, readPath, "newline_delimited"),
        IngestFormat.Json => FirstNonBlankByte(fullPath) is { } first ? ForJson(table, readPath, first == '[' ? "array" : "unstructured") : null,
        IngestFormat.Parquet => ForParquet(connection, table, fullPath, readPath),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>The statement that appends every row, returning the count; raises the sentinels on bad rows.</summary>
    public string InsertSql(Guid extentId, DateTime ingestionTimeUtc)
    {
        var columns = new StringBuilder();
        foreach (var c in _table.Columns)
        {
            columns.Append(Sql.Ident(c.Name)).Append(", ");
        }

        columns.Append(Sql.Ident(TableSchema.ExtentColumn)).Append(", ").Append(Sql.Ident(TableSchema.IngestionTimeColumn));

        var finals = new List<string>();
        for (var i = 0; i < _sources.Length; i++)
        {
            finals.Add(FinalValue(i));
        }

        finals.Add($"CAST({Sql.String(extentId.ToString("D"))} AS UUID)");
        finals.Add(Sql.DateTimeTicks(ingestionTimeUtc));

        var layer1 = Layer1(i => _sources[i]!.Expression, [], _from);
        return $"INSERT INTO {Sql.Ident(_table.Name)} ({columns}) SELECT {string.Join(", ", finals)} FROM ({Layer2(layer1, [])})";
    }

    /// <summary>
    /// Materializes the raw values in file order (a temp table of <paramref name="diagnostic"/>, a
    /// connection of its own, so that rowid is the record index) and returns the first bad record, or
    /// null when there is none.
    /// </summary>
    public BadRecord? FindFirstBadRecord(DuckDBConnection diagnostic)
    {
        var raws = new List<string>();
        for (var i = 0; i < _sources.Length; i++)
        {
            if (_sources[i] is { } s)
            {
                raws.Add($"{s.Expression} AS r{i}");
            }
        }

        if (raws.Count == 0)
        {
            return null;
        }

        Execute(diagnostic, $"CREATE OR REPLACE TEMP TABLE {DiagnosticTable} AS SELECT {string.Join(", ", raws)} FROM {_from}");

        var fails = new List<string>();
        var failIndexes = new List<int>();
        for (var i = 0; i < _sources.Length; i++)
        {
            if (FailedExpression(i) is { } f)
            {
                fails.Add(f);
                failIndexes.Add(i);
            }
        }

        if (fails.Count == 0)
        {
            return null;
        }

        var layer1 = Layer1(i => $"r{i}", ["rowid AS __rid"], DiagnosticTable);
        var sql = $"SELECT __rid, [{string.Join(", ", fails)}] FROM ({Layer2(layer1, ["__rid"])}) " +
            $"WHERE {string.Join(" OR ", fails)} ORDER BY __rid LIMIT 1";

        using var cmd = diagnostic.CreateCommand();
        cmd.CommandText = sql;
        long record;
        int c;
        using (var reader = cmd.ExecuteReader())
        {
            if (!reader.Read())
            {
                return null;
            }

            record = reader.GetInt64(0);
            var at = reader.GetFieldValue<List<bool?>>(1).FindIndex(f => f == true);
            if (at < 0)
            {
                return null;
            }

            c = failIndexes[at];
        }

        cmd.CommandText = $"SELECT CAST(r{c} AS VARCHAR) FROM {DiagnosticTable} WHERE rowid = {record.ToString(CultureInfo.InvariantCulture)}";
        var raw = cmd.ExecuteScalar() as string ?? "";
        return new BadRecord(record, _table.Columns[c], raw, _sources[c]!.DuckType);
    }

    private static IngestPlan? ForCsv(TableSchema table, string fullPath, string readPath)
    {
        var header = RecordLocator.ReadCsvHeader(fullPath);
        if (header is null)
        {
            return null;
        }

        var columns = string.Join(", ", header.Select((_, j) => $"'c{j.ToString(CultureInfo.InvariantCulture)}': 'VARCHAR'"));
        var from = $"read_csv({Sql.String(readPath)}, columns={{{columns}}}, header=true, auto_detect=false, " +
            "delim=',', quote='\"', escape='\"', strict_mode=true, null_padding=false, parallel=true)";
        var sources = table.Columns
            .Select(c => MatchByName(header, c.Name) is var j and >= 0 ? new SourceColumn($"c{j}", null) : null)
            .ToArray();
        return new IngestPlan(table, from, sources, header.Count);
    }

    // Implementation note: DuckDB's structured JSON reader with every column declared (VARCHAR, or JSON
    // for dynamic) is several times faster than extracting paths from JSON text. It matches property
    // names exactly, ignores the others, gives a nested value in a VARCHAR column as its JSON text, and
    // fails on a record that is not an object (the error path then finds the line).
    private static IngestPlan ForJson(TableSchema table, string readPath, string jsonFormat)
    {
        var sources = new SourceColumn?[table.Columns.Count];
        var declared = new List<string>();
        var aliases = new List<string>();
        for (var i = 0; i < sources.Length; i++)
        {
            var c = table.Columns[i];
            var dynamic = c.Type == KqlType.Dynamic;
            declared.Add($"{Sql.String(c.Name)}: {(dynamic ? "'JSON'" : "'VARCHAR'")}");
            aliases.Add($"c{i.ToString(CultureInfo.InvariantCulture)}");
            sources[i] = new SourceColumn($"c{i}", null, IsJson: dynamic);
        }

        if (declared.Count == 0)
        {
            // A table with no columns still counts the file's records.
            declared.Add("'__tributary_none': 'VARCHAR'");
            aliases.Add("__none");
        }

        var from = $"read_json({Sql.String(readPath)}, format='{jsonFormat}', records=true, auto_detect=false, " +
            $"columns={{{string.Join(", ", declared)}}}) AS __src({string.Join(", ", aliases)})";
        return new IngestPlan(table, from, sources, 0);
    }

    private static IngestPlan ForParquet(DuckDBConnection connection, TableSchema table, string fullPath, string readPath)
    {
        var names = new List<string>();
        var types = new List<string>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"DESCRIBE SELECT * FROM read_parquet({Sql.String(readPath)})";
            try
            {
                using var reader = cmd.ExecuteReader();
                while (reader.Read())
                {
                    names.Add(reader.GetString(0));
                    types.Add(reader.GetString(1));
                }
            }
            catch (DuckDBException e)
            {
                throw new StoreException($"{Path.GetFileName(fullPath)}: not a readable Parquet file", e);
            }
        }

        var aliases = string.Join(", ", names.Select((_, j) => $"c{j.ToString(CultureInfo.InvariantCulture)}"));
        var sources = table.Columns
            .Select(c => MatchByName(names, c.Name) is var j and >= 0 ? new SourceColumn($"c{j}", types[j]) : null)
            .ToArray();
        return new IngestPlan(table, $"read_parquet({Sql.String(readPath)}) AS __src({aliases})", sources, names.Count);
    }

    // SELECT r{i} (+ extras) FROM from
    private string Layer1(Func<int, string> raw, IReadOnlyList<string> extras, string from)
    {
        var items = new List<string>(extras);
        for (var i = 0; i < _sources.Length; i++)
        {
            if (_sources[i] is not { } s)
            {
                continue;
            }

            var type = _table.Columns[i].Type;
            var r = raw(i);
            if (s.DuckType is { } duckType && KqlSqlConversions.ConvertTyped(type, duckType, "x") is null)
            {
                // A typed file column that DuckDB cannot cast directly goes through its text.
                r = $"CAST({r} AS VARCHAR)";
            }

            items.Add($"{r} AS r{i}");
        }

        return $"SELECT {(items.Count == 0 ? "NULL AS __none" : string.Join(", ", items))} FROM {from}";
    }

    // SELECT v{i} plus what the final step still needs (r{i}) FROM (layer1)
    private string Layer2(string layer1, IReadOnlyList<string> extras)
    {
        var items = new List<string>(extras);
        for (var i = 0; i < _sources.Length; i++)
        {
            if (_sources[i] is not { } s)
            {
                continue;
            }

            var type = _table.Columns[i].Type;
            if (IsTyped(i))
            {
                items.Add($"{KqlSqlConversions.ConvertTyped(type, s.DuckType!, $"r{i}")} AS v{i}");
                items.Add($"r{i}");
            }
            else if (s.IsJson)
            {
                items.Add($"CASE WHEN r{i} IS NULL OR json_type(r{i}) = 'NULL' THEN NULL ELSE r{i} END AS v{i}");
            }
            else
            {
                items.Add($"{KqlSqlConversions.Convert(type, $"r{i}")} AS v{i}");
                if (KqlSqlConversions.CanFail(type))
                {
                    items.Add($"r{i}");
                }
            }
        }

        return $"SELECT {(items.Count == 0 ? "NULL AS __none" : string.Join(", ", items))} FROM ({layer1})";
    }

    private string FinalValue(int i)
    {
        var type = _table.Columns[i].Type;
        if (_sources[i] is null)
        {
            return type == KqlType.String ? "''" : $"CAST(NULL AS {KqlTypes.SqlType(type)})";
        }

        var error = $"error({Sql.String(BadValueSentinel)})";
        if (IsTyped(i))
        {
            return KqlSqlConversions.CanFail(type) ? $"coalesce(v{i}, CASE WHEN r{i} IS NULL THEN NULL ELSE {error} END)" : $"v{i}";
        }

        if (!KqlSqlConversions.CanFail(type) || _sources[i]!.IsJson)
        {
            return $"v{i}";
        }

        return $"coalesce({KqlSqlConversions.Validate(type, $"v{i}")}, CASE WHEN {KqlSqlConversions.IsBlank($"r{i}")} THEN NULL ELSE {error} END)";
    }

    private string? FailedExpression(int i)
    {
        var type = _table.Columns[i].Type;
        if (_sources[i] is null || !KqlSqlConversions.CanFail(type) || _sources[i]!.IsJson)
        {
            return null;
        }

        return IsTyped(i)
            ? $"(r{i} IS NOT NULL AND v{i} IS NULL)"
            : $"coalesce({KqlSqlConversions.Failed($"r{i}", KqlSqlConversions.Validate(type, $"v{i}"))}, false)";
    }

    private bool IsTyped(int i) =>
        _sources[i] is { DuckType: { } duckType } && KqlSqlConversions.ConvertTyped(_table.Columns[i].Type, duckType, "x") is not null;

    private static int MatchByName(IReadOnlyList<string> names, string name)
    {
        for (var j = 0; j < names.Count; j++)
        {
            if (names[j] == name)
            {
                return j;
            }
        }

        for (var j = 0; j < names.Count; j++)
        {
            if (string.Equals(names[j], name, StringComparison.OrdinalIgnoreCase))
            {
                return j;
            }
        }

        return -1;
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static bool IsBlank(string path) => FirstNonBlankByte(path) is null;

    /// <summary>The first byte of the file that is not whitespace or a UTF-8 byte order mark, or null.</summary>
    internal static int? FirstNonBlankByte(string path)
    {
        using var stream = File.OpenRead(path);
        int b;
        while ((b = stream.ReadByte()) >= 0)
        {
            if (b is not (' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF))
            {
                return b;
            }
        }

        return null;
    }

    /// <summary>Where a table column's raw value comes from: an expression over the reader's columns.</summary>
    /// <param name="Expression">SQL over the reader's output.</param>
    /// <param name="DuckType">The column's DuckDB type when the file is typed (Parquet); null for text.</param>
    /// <param name="IsJson">The raw value is JSON (a dynamic column of a JSON file).</param>
    private sealed record SourceColumn(string Expression, string? DuckType, bool IsJson = false);
}
