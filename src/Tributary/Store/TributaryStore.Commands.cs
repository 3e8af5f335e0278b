using System.Globalization;
using System.Text;
using System.Text.Json;
using Tributary.Kql;
using Tributary.Kql.Binding;
using Tributary.Kql.Commands;
using Tributary.Query;

namespace Tributary.Store;

// Control commands: each runs in one transaction and changes nothing when it fails.
public sealed partial class TributaryStore
{
    private const string CommandResultTable = "__command_result";

    private QueryResult RunCommand(ControlCommand command, CancellationToken cancellationToken) => command switch
    {
        CreateTableCommand c => CreateTable(c),
        DropTableCommand c => DropTable(c),
        ShowTablesCommand => ShowTables(),
        ShowTableSchemaCommand c => ShowSchema(c),
        ShowExtentsCommand c => ShowExtents(c),
        DropExtentsCommand c => DropExtentsCommandRun(c, cancellationToken),
        IngestInlineCommand c => IngestInline(c),
        SetOrAppendCommand c => SetOrAppend(c, cancellationToken),
        ReplaceExtentsCommand c => ReplaceExtents(c, cancellationToken),
        CreateFunctionCommand c => CreateFunction(c),
        DropFunctionCommand c => DropFunction(c),
        ShowFunctionsCommand c => ShowFunctions(c),
        AlterRetentionCommand c => AlterRetention(c),
        ShowRetentionCommand c => ShowRetention(c),
        PipedCommand c => RunPiped(c, cancellationToken),
        CreateMaterializedViewCommand c => CreateMaterializedView(c),
        DropMaterializedViewCommand c => DropMaterializedView(c),
        ShowMaterializedViewsCommand => ShowMaterializedViews(),
        _ => throw new StoreException("unsupported command"),
    };

    private static QueryResult Single(params (string Name, KqlType Type, object? Value)[] cells) =>
        new(cells.Select(c => new KqlColumn(c.Name, c.Type)).ToList(), [cells.Select(c => c.Value).ToArray()]);

    private static string ColumnsJson(IEnumerable<KqlColumn> columns) =>
        JsonSerializer.Serialize(columns.Select(c => new StoredColumn(c.Name, c.Type.ToString())).ToArray(), StoreJsonContext.Default.StoredColumnArray);

    private QueryResult CreateTable(CreateTableCommand c)
    {
        ValidateTableName(c.Table);
        if (SystemTables.IsSystemTable(c.Table))
        {
            throw new StoreException($"'{c.Table}' is a system table; choose another name");
        }

        if (_catalog.TryGetFunction(c.Table, out _))
        {
            throw new StoreException($"'{c.Table}' is already a function; tables and functions share one namespace");
        }

        if (_catalog.TryGetTable(c.Table, out var existing))
        {
            if (!c.Merge)
            {
                // Kusto: .create table on an existing table with the same schema is a no-op.
                if (existing.Columns.SequenceEqual(c.Columns))
                {
                    return ShowSchema(new ShowTableSchemaCommand(c.Table, false));
                }

                throw new StoreException($"table '{c.Table}' already exists with schema ({existing.CslSchema}); use .create-merge table to add columns");
            }

            foreach (var column in c.Columns)
            {
                if (existing.Find(column.Name) is { } old && old.Type != column.Type)
                {
                    throw new StoreException($"column '{column.Name}' of table '{c.Table}' is {KqlTypes.Name(old.Type)}; .create-merge table cannot change it to {KqlTypes.Name(column.Type)}");
                }
            }

            var added = c.Columns.Where(col => existing.Find(col.Name) is null).ToList();
            if (added.Count > 0)
            {
                InTransaction(() =>
                {
                    foreach (var column in added)
                    {
                        var fill = column.Type == KqlType.String ? " DEFAULT ''" : "";
                        Exec(_connection, $"ALTER TABLE {Sql.Ident(c.Table)} ADD COLUMN {Sql.Ident(column.Name)} {KqlTypes.SqlType(column.Type)}{fill}");
                    }

                    Exec(_connection, $"UPDATE tributary_meta.tables SET columns_json = {Sql.String(ColumnsJson(existing.Columns.Concat(added)))} WHERE name = {Sql.String(c.Table)}");
                    return 0;
                });
            }

            return ShowSchema(new ShowTableSchemaCommand(c.Table, false));
        }

        InTransaction(() =>
        {
            CreateTableIn(c.Table, c.Columns);
            return 0;
        });
        return ShowSchema(new ShowTableSchemaCommand(c.Table, false));
    }

    private void CreateTableIn(string table, IReadOnlyList<KqlColumn> columns)
    {
        CreateStorage(table, columns);
        Exec(_connection, $"INSERT INTO tributary_meta.tables VALUES ({Sql.String(table)}, {Sql.String(ColumnsJson(columns))}, NULL, {Sql.Timestamp(Now())})");
    }

    /// <summary>The DuckDB table behind a table or view: its columns plus the hidden extent id and ingestion time.</summary>
    private void CreateStorage(string name, IReadOnlyList<KqlColumn> columns)
    {
        var defs = columns.Select(col => $"{Sql.Ident(col.Name)} {KqlTypes.SqlType(col.Type)}")
            .Append($"{Sql.Ident(TableSchema.ExtentColumn)} UUID NOT NULL")
            .Append($"{Sql.Ident(TableSchema.IngestionTimeColumn)} BIGINT NOT NULL");
        Exec(_connection, $"CREATE TABLE {Sql.Ident(name)} ({string.Join(", ", defs)})");
    }

    /// <summary>The INSERT column list of a table's storage: its columns, then extent id and ingestion time.</summary>
    private static string InsertColumns(IEnumerable<KqlColumn> columns) =>
        string.Join(", ", columns.Select(col => Sql.Ident(col.Name))
            .Append(Sql.Ident(TableSchema.ExtentColumn)).Append(Sql.Ident(TableSchema.IngestionTimeColumn)));

    private void ValidateTableName(string name)
    {
        if (name.Length is 0 or > 1024 || name.StartsWith("__", StringComparison.Ordinal) || name.Any(char.IsControl))
        {
            throw new StoreException($"invalid table name '{name}': names are 1 to 1024 characters, without control characters, and cannot start with '__'");
        }

        // DuckDB compares names without case; say so instead of letting the engine refuse.
        var clash = _catalog.TableNames().Concat(_catalog.FunctionNames())
            .FirstOrDefault(n => n != name && string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        if (clash is not null)
        {
            throw new StoreException($"'{name}' differs from the existing '{clash}' only in case; the store needs names that differ in more than case");
        }
    }

    private QueryResult DropTable(DropTableCommand c)
    {
        if (SystemTables.IsSystemTable(c.Table))
        {
            throw new StoreException($"'{c.Table}' is a system table; Tributary keeps it");
        }

        if (_catalog.TryGetView(c.Table, out _))
        {
            throw new StoreException($"'{c.Table}' is a materialized view; drop it with .drop materialized-view {c.Table}");
        }

        if (_catalog.Views.FirstOrDefault(v => v.Source == c.Table) is { } dependent)
        {
            throw new StoreException($"table '{c.Table}' is the source of materialized view '{dependent.Name}'; drop the view first");
        }

        if (!_catalog.TryGetTable(c.Table, out _))
        {
            if (c.IfExists)
            {
                return ShowTables();
            }

            RequireTable(c.Table);
        }

        InTransaction(() =>
        {
            Exec(_connection, $"DROP TABLE {Sql.Ident(c.Table)}");
            Exec(_connection, $"DELETE FROM tributary_meta.tables WHERE name = {Sql.String(c.Table)}");
            Exec(_connection, $"DELETE FROM tributary_meta.extents WHERE table_name = {Sql.String(c.Table)}");
            return 0;
        });
        return ShowTables();
    }

    private QueryResult ShowTables()
    {
        var rows = _catalog.Tables.OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => new object?[] { t.Name, "Tributary", "", "" }).ToList();
        return new QueryResult(
            [new("TableName", KqlType.String), new("DatabaseName", KqlType.String), new("Folder", KqlType.String), new("DocString", KqlType.String)],
            rows);
    }

    private QueryResult ShowSchema(ShowTableSchemaCommand c)
    {
        var table = RequireTable(c.Table);
        string schema;
        if (c.AsJson)
        {
            var ordered = new
            {
                Name = table.Name,
                OrderedColumns = table.Columns.Select(col => new { col.Name, Type = ClrTypeName(col.Type), CslType = KqlTypes.Name(col.Type) }).ToArray(),
            };
            schema = JsonSerializer.Serialize(ordered);
        }
        else
        {
            schema = table.CslSchema;
        }

        return Single(("TableName", KqlType.String, table.Name), ("Schema", KqlType.String, schema),
            ("DatabaseName", KqlType.String, "Tributary"), ("Folder", KqlType.String, ""), ("DocString", KqlType.String, ""));
    }

    // What Kusto's .show table T schema as json calls each type's CLR type.
    private static string ClrTypeName(KqlType type) => type switch
    {
        KqlType.Bool => "System.SByte",
        KqlType.Int => "System.Int32",
        KqlType.Long => "System.Int64",
        KqlType.Real => "System.Double",
        KqlType.Decimal => "System.Data.SqlTypes.SqlDecimal",
        KqlType.String => "System.String",
        KqlType.DateTime => "System.DateTime",
        KqlType.TimeSpan => "System.TimeSpan",
        KqlType.Guid => "System.Guid",
        KqlType.Dynamic => "System.Object",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static readonly KqlColumn[] ExtentColumns =
    [
        new("ExtentId", KqlType.Guid), new("TableName", KqlType.String), new("RowCount", KqlType.Long),
        new("MinCreatedOn", KqlType.DateTime), new("MaxCreatedOn", KqlType.DateTime), new("Tags", KqlType.String),
    ];

    private QueryResult ShowExtents(ShowExtentsCommand c)
    {
        var filter = "";
        if (c.Table is not null)
        {
            RequireTable(c.Table);
            filter = $" WHERE table_name = {Sql.String(c.Table)}";
        }

        var createdOn = Sql.TimestampToTicks("created_on");
        var sql = $"SELECT extent_id, table_name, row_count, {createdOn}, {createdOn}, array_to_string(tags, chr(10)) " +
                  $"FROM tributary_meta.extents{filter} ORDER BY created_on, extent_id";
        return Read(sql, ExtentColumns, CancellationToken.None);
    }

    private QueryResult DropExtentsCommandRun(DropExtentsCommand c, CancellationToken cancellationToken)
    {
        List<(Guid, string)> targets;
        if (c.Source is not null)
        {
            if (c.Source is not (ShowExtentsCommand or PipedCommand { Source: ShowExtentsCommand }))
            {
                throw new StoreException(".drop extents <| takes .show table T extents (optionally piped into where, take …)");
            }

            var chosen = RunCommand(c.Source, cancellationToken);
            var idColumn = chosen.IndexOf("ExtentId");
            if (idColumn < 0)
            {
                throw new StoreException(".drop extents <| needs the ExtentId column in its input; do not project it away");
            }

            var ids = chosen.Rows.Select(r => r[idColumn]).OfType<Guid>().ToHashSet();
            targets = AllExtents().Where(e => ids.Contains(e.Extent)).ToList();
        }
        else
        {
            RequireTable(c.Table!);
            var all = AllExtents().Where(e => e.Table == c.Table).ToList();
            if (c.ExtentIds is { } wanted)
            {
                var missing = wanted.Where(id => all.All(e => e.Extent != id)).ToList();
                if (missing.Count > 0)
                {
                    throw new StoreException($"table '{c.Table}' has no extent {string.Join(", ", missing)}");
                }

                all = all.Where(e => wanted.Contains(e.Extent)).ToList();
            }

            targets = all;
        }

        var rows = targets.Count == 0 ? 0 : InTransaction(() => DropExtents(targets), catalogChanged: false);
        return new QueryResult(
            [new("ExtentId", KqlType.Guid), new("TableName", KqlType.String)],
            targets.Select(t => new object?[] { t.Item1, t.Item2 }).ToList());
    }

    private List<(Guid Extent, string Table)> AllExtents()
    {
        var list = new List<(Guid, string)>();
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT extent_id, table_name FROM tributary_meta.extents";
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            list.Add((reader.GetGuid(0), reader.GetString(1)));
        }

        return list;
    }

    private QueryResult IngestInline(IngestInlineCommand c)
    {
        var table = RequireWritableTable(c.Table);
        ValidateTags(c.Tags);
        var rows = InlineCsv.Parse(c.Data, table);
        var extent = Guid.NewGuid();
        var now = Now();
        InTransaction(() =>
        {
            InsertLiteralRows(table, rows, extent, now);
            AddExtent(table.Name, extent, rows.Count, now, c.Tags);
            return 0;
        }, catalogChanged: false);
        return ExtentResult(extent, table.Name, rows.Count);
    }

    private static QueryResult ExtentResult(Guid extent, string table, long rows) =>
        Single(("ExtentId", KqlType.Guid, extent), ("TableName", KqlType.String, table), ("RowCount", KqlType.Long, rows));

    private void InsertLiteralRows(TableSchema table, IReadOnlyList<object?[]> rows, Guid extent, DateTime now)
    {
        const int batch = 500;
        var columns = InsertColumns(table.Columns);
        var tail = $", '{extent:D}'::UUID, {Sql.Literal(now, KqlType.DateTime)}";
        for (var i = 0; i < rows.Count; i += batch)
        {
            var sb = new StringBuilder($"INSERT INTO {Sql.Ident(table.Name)} ({columns}) VALUES ");
            for (var r = i; r < Math.Min(rows.Count, i + batch); r++)
            {
                if (r > i)
                {
                    sb.Append(", ");
                }

                sb.Append('(');
                for (var col = 0; col < table.Columns.Count; col++)
                {
                    if (col > 0)
                    {
                        sb.Append(", ");
                    }

                    var type = table.Columns[col].Type;
                    sb.Append("CAST(").Append(Sql.Literal(rows[r][col], type)).Append(" AS ").Append(KqlTypes.SqlType(type)).Append(')');
                }

                sb.Append(tail).Append(')');
            }

            Exec(_connection, sb.ToString());
        }
    }

    /// <summary>INSERT … SELECT mapping the query's columns onto the table's by name.</summary>
    private long AppendQuery(TableSchema table, Translation translation, Guid extent, DateTime now) =>
        AppendQuery(table, translation, $"'{extent:D}'::UUID", now);

    /// <summary>As above; <paramref name="extentSql"/> gives each row's extent id (it may read the query's columns as <c>q.…</c>).</summary>
    private long AppendQuery(TableSchema table, Translation translation, string extentSql, DateTime now)
    {
        var byName = translation.Columns.ToDictionary(col => col.Name, StringComparer.Ordinal);
        var extra = translation.Columns.Where(col => table.Find(col.Name) is null).Select(col => col.Name).ToList();
        if (extra.Count > 0)
        {
            throw new StoreException($"the query produces column(s) {string.Join(", ", extra.Select(e => $"'{e}'"))} that table '{table.Name}' does not have ({table.CslSchema}); project them away or .create-merge the table");
        }

        var selects = new List<string>();
        foreach (var column in table.Columns)
        {
            if (!byName.TryGetValue(column.Name, out var source))
            {
                selects.Add(column.Type == KqlType.String ? "''" : $"CAST(NULL AS {KqlTypes.SqlType(column.Type)})");
                continue;
            }

            var reference = "q." + Sql.Ident(column.Name);
            if (source.Type == column.Type)
            {
                selects.Add(column.Type == KqlType.String ? $"coalesce({reference}, '')" : reference);
            }
            else if (KqlTypes.IsNumeric(source.Type) && KqlTypes.IsNumeric(column.Type))
            {
                selects.Add($"CAST({reference} AS {KqlTypes.SqlType(column.Type)})");
            }
            else if (column.Type == KqlType.Dynamic && source.Type is not (KqlType.DateTime or KqlType.TimeSpan))
            {
                selects.Add($"to_json({reference})");
            }
            else
            {
                throw new StoreException($"column '{column.Name}' of table '{table.Name}' is {KqlTypes.Name(column.Type)} but the query gives {KqlTypes.Name(source.Type)}; convert it (to{KqlTypes.Name(column.Type)}(…))");
            }
        }

        selects.Add(extentSql);
        selects.Add(Sql.Literal(now, KqlType.DateTime));
        var columns = InsertColumns(table.Columns);
        return ExecCount($"INSERT INTO {Sql.Ident(table.Name)} ({columns}) SELECT {string.Join(", ", selects)} FROM ({translation.Sql}) AS q");
    }

    private QueryResult SetOrAppend(SetOrAppendCommand c, CancellationToken cancellationToken)
    {
        ValidateTags(c.Tags);
        var translation = KqlTranslator.Translate(c.Query, _catalog, new TranslationOptions(Now()) { Origin = c.QueryStart, Probe = Probe(cancellationToken) });
        var exists = _catalog.TryGetTable(c.Table, out var table);
        if (exists || c.Mode == "append")
        {
            RequireWritableTable(c.Table);
        }

        if (c.Mode == "set" && exists)
        {
            throw new StoreException($"table '{c.Table}' already exists; .set creates a new table (use .set-or-append or .set-or-replace)");
        }

        if (!exists)
        {
            ValidateTableName(c.Table);
            if (translation.Columns.Count == 0 || translation.Columns.Any(col => col.Name.StartsWith("__", StringComparison.Ordinal)))
            {
                throw new StoreException("the query's columns cannot make a table (no columns, or names starting with '__')");
            }
        }

        var extent = Guid.NewGuid();
        var now = Now();
        var rows = InTransaction(() =>
        {
            List<(Guid Extent, string Table)> replaced = [];
            if (!exists)
            {
                CreateTableIn(c.Table, translation.Columns);
                table = new TableSchema(c.Table, translation.Columns);
            }
            else if (c.Mode == "set-or-replace")
            {
                replaced = AllExtents().Where(e => e.Table == c.Table).ToList();
            }

            // The query runs before the old extents go, so it may read the rows it replaces.
            var n = AppendQuery(table!, translation, extent, now);
            AddExtent(c.Table, extent, n, now, c.Tags);
            DropExtents(replaced);
            return n;
        });
        return ExtentResult(extent, c.Table, rows);
    }

    private QueryResult ReplaceExtents(ReplaceExtentsCommand c, CancellationToken cancellationToken)
    {
        var table = RequireWritableTable(c.Table);
        var tags = c.Tags.Contains(c.Tag) ? c.Tags : [c.Tag, .. c.Tags];
        ValidateTags(tags);
        var translation = KqlTranslator.Translate(c.Query, _catalog, new TranslationOptions(Now()) { Origin = c.QueryStart, Probe = Probe(cancellationToken) });
        var extent = Guid.NewGuid();
        var now = Now();
        var (rows, dropped) = InTransaction(() =>
        {
            // The query runs first, so it may read the rows it replaces.
            var n = AppendQuery(table, translation, extent, now);
            var old = ExtentsTagged(c.Table, c.Tag);
            // The new extent first, then the old ones: dropping recomputes the view groups they touched from what remains.
            AddExtent(c.Table, extent, n, now, tags);
            var droppedRows = DropExtents(old);
            return (n, droppedRows);
        }, catalogChanged: false);
        return Single(("ExtentId", KqlType.Guid, extent), ("TableName", KqlType.String, c.Table), ("RowCount", KqlType.Long, rows),
            ("ReplacedRowCount", KqlType.Long, dropped));
    }

    private List<(Guid Extent, string Table)> ExtentsTagged(string table, string tag) => ExtentsTaggedAny(table, [tag]);

    private QueryResult CreateFunction(CreateFunctionCommand c)
    {
        var f = c.Function;
        if (_catalog.TryGetTable(f.Name, out _))
        {
            throw new StoreException($"'{f.Name}' is already a table; tables and functions share one namespace");
        }

        var exists = _catalog.TryGetFunction(f.Name, out _);
        if (exists && !c.OrAlter)
        {
            throw new StoreException($"function '{f.Name}' already exists; use .create-or-alter function to change it");
        }

        // Validate against the catalog now, so a broken function is never stored.
        KqlTranslator.ValidateFunction(f, _catalog, new TranslationOptions(Now()) { Origin = c.BodyStart, Probe = Probe(CancellationToken.None) });
        var parameters = JsonSerializer.Serialize(
            f.Parameters.Select(p => new StoredParameter(p.Name, p.Type?.ToString(), p.DefaultValue, p.Columns?.Select(c => new StoredColumn(c.Name, c.Type.ToString())).ToArray())).ToArray(),
            StoreJsonContext.Default.StoredParameterArray);
        InTransaction(() =>
        {
            Exec(_connection, $"DELETE FROM tributary_meta.functions WHERE name = {Sql.String(f.Name)}");
            Exec(_connection, $"INSERT INTO tributary_meta.functions VALUES ({Sql.String(f.Name)}, {Sql.String(parameters)}, {Sql.String(f.Body)}, {Sql.String(c.Folder)}, {Sql.String(c.DocString)})");
            return 0;
        });
        return ShowFunctions(new ShowFunctionsCommand(f.Name));
    }

    private QueryResult DropFunction(DropFunctionCommand c)
    {
        if (!_catalog.TryGetFunction(c.Name, out _))
        {
            if (c.IfExists)
            {
                return ShowFunctions(new ShowFunctionsCommand(null));
            }

            throw new StoreException($"function '{c.Name}' does not exist");
        }

        InTransaction(() =>
        {
            Exec(_connection, $"DELETE FROM tributary_meta.functions WHERE name = {Sql.String(c.Name)}");
            return 0;
        });
        return ShowFunctions(new ShowFunctionsCommand(null));
    }

    private QueryResult ShowFunctions(ShowFunctionsCommand c)
    {
        var functions = _catalog.Functions.Where(f => c.Name is null || f.Definition.Name == c.Name).OrderBy(f => f.Definition.Name, StringComparer.Ordinal).ToList();
        if (c.Name is not null && functions.Count == 0)
        {
            throw new StoreException($"function '{c.Name}' does not exist");
        }

        return new QueryResult(
            [new("Name", KqlType.String), new("Parameters", KqlType.String), new("Body", KqlType.String), new("Folder", KqlType.String), new("DocString", KqlType.String)],
            functions.Select(f => new object?[] { f.Definition.Name, f.Definition.ParameterList, "{ " + f.Definition.Body + " }", f.Folder, f.DocString }).ToList());
    }

    private QueryResult AlterRetention(AlterRetentionCommand c)
    {
        RequireTable(c.Table);
        var ticks = c.SoftDelete is { } p ? p.Ticks.ToString(CultureInfo.InvariantCulture) : "NULL";
        InTransaction(() =>
        {
            Exec(_connection, $"UPDATE tributary_meta.tables SET retention_ticks = {ticks} WHERE name = {Sql.String(c.Table)}");
            return 0;
        });
        EnforceRetention();
        return ShowRetention(new ShowRetentionCommand(c.Table));
    }

    private QueryResult ShowRetention(ShowRetentionCommand c)
    {
        RequireTable(c.Table);
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = $"SELECT retention_ticks FROM tributary_meta.tables WHERE name = {Sql.String(c.Table)}";
        var value = cmd.ExecuteScalar();
        string policy = value is null or DBNull
            ? "null"
            : JsonSerializer.Serialize(new Dictionary<string, string> { ["SoftDeletePeriod"] = TimeSpan.FromTicks(System.Convert.ToInt64(value, CultureInfo.InvariantCulture)).ToString("c", CultureInfo.InvariantCulture), ["Recoverability"] = "Disabled" });
        return Single(("PolicyName", KqlType.String, "RetentionPolicy"), ("EntityName", KqlType.String, c.Table), ("Policy", KqlType.String, policy));
    }

    private QueryResult RunPiped(PipedCommand c, CancellationToken cancellationToken)
    {
        var source = RunCommand(c.Source, cancellationToken);
        var schema = new TableSchema(CommandResultTable, source.Columns);
        var temp = Sql.Ident(CommandResultTable);
        Exec(_connection, $"DROP TABLE IF EXISTS {temp}");
        var defs = source.Columns.Select(col => $"{Sql.Ident(col.Name)} {KqlTypes.SqlType(col.Type)}")
            .Append($"{Sql.Ident(TableSchema.IngestionTimeColumn)} BIGINT");
        Exec(_connection, $"CREATE TEMP TABLE {temp} ({string.Join(", ", defs)})");
        try
        {
            foreach (var row in source.Rows)
            {
                var values = source.Columns.Select((col, i) => $"CAST({Sql.Literal(row[i], col.Type)} AS {KqlTypes.SqlType(col.Type)})").Append("NULL");
                Exec(_connection, $"INSERT INTO {temp} VALUES ({string.Join(", ", values)})");
            }

            var options = new TranslationOptions(Now()) { Origin = c.PipelineStart, PipedInput = CommandResultTable };
            return RunQuery(c.Pipeline, _catalog.With(schema), options, cancellationToken);
        }
        finally
        {
            Exec(_connection, $"DROP TABLE IF EXISTS {temp}");
        }
    }
}
