using System.Text.Json;
using System.Text.Json.Serialization;
using DuckDB.NET.Data;
using Tributary.Kql;

namespace Tributary.Store;

/// <summary>A snapshot of the tables and functions the store knows, read from its metadata tables. Immutable.</summary>
internal sealed class StoreCatalog : ICatalog, ICatalogListing
{
    private readonly Dictionary<string, TableSchema> _tables;
    private readonly Dictionary<string, StoredFunction> _functions;
    private readonly Dictionary<string, MaterializedView> _views;

    private StoreCatalog(Dictionary<string, TableSchema> tables, Dictionary<string, StoredFunction> functions, Dictionary<string, MaterializedView> views)
    {
        _tables = tables;
        _functions = functions;
        _views = views;
    }

    /// <summary>The tables (not the materialized views).</summary>
    public IReadOnlyCollection<TableSchema> Tables => _tables.Values.Where(t => !_views.ContainsKey(t.Name) && !SystemTables.IsSystemTable(t.Name)).ToList();

    public IReadOnlyCollection<MaterializedView> Views => _views.Values;

    public bool TryGetView(string name, out MaterializedView view) => _views.TryGetValue(name, out view!);

    public IReadOnlyCollection<StoredFunction> Functions => _functions.Values;

    public static StoreCatalog Load(DuckDBConnection connection)
    {
        var tables = new Dictionary<string, TableSchema>(StringComparer.Ordinal);
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT name, columns_json FROM tributary_meta.tables ORDER BY name";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var name = reader.GetString(0);
                var columns = JsonSerializer.Deserialize(reader.GetString(1), StoreJsonContext.Default.StoredColumnArray) ?? [];
                tables[name] = new TableSchema(name, columns.Select(c => new KqlColumn(c.Name, Enum.Parse<KqlType>(c.Type))).ToList());
            }
        }

        var functions = new Dictionary<string, StoredFunction>(StringComparer.Ordinal);
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT name, parameters_json, body, folder, doc_string FROM tributary_meta.functions ORDER BY name";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var parameters = JsonSerializer.Deserialize(reader.GetString(1), StoreJsonContext.Default.StoredParameterArray) ?? [];
                var definition = new FunctionDefinition(
                    reader.GetString(0),
                    parameters.Select(p => new FunctionParameter(
                        p.Name, p.Type is null ? null : Enum.Parse<KqlType>(p.Type), p.Default, p.Columns?.Select(c => new KqlColumn(c.Name, Enum.Parse<KqlType>(c.Type))).ToList())).ToList(),
                    reader.GetString(2));
                functions[definition.Name] = new StoredFunction(definition, reader.IsDBNull(3) ? "" : reader.GetString(3), reader.IsDBNull(4) ? "" : reader.GetString(4));
            }
        }

        var views = new Dictionary<string, MaterializedView>(StringComparer.Ordinal);
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT name, source, query, columns_json, keys_json, merge FROM tributary_meta.views ORDER BY name";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var columns = (JsonSerializer.Deserialize(reader.GetString(3), StoreJsonContext.Default.StoredColumnArray) ?? [])
                    .Select(c => new KqlColumn(c.Name, Enum.Parse<KqlType>(c.Type))).ToList();
                var view = new MaterializedView(reader.GetString(0), reader.GetString(1), reader.GetString(2), columns,
                    JsonSerializer.Deserialize(reader.GetString(4), StoreJsonContext.Default.StringArray) ?? [], reader.GetString(5));
                views[view.Name] = view;

                // A view is queried like a table.
                tables[view.Name] = new TableSchema(view.Name, columns);
            }
        }

        foreach (var system in SystemTables.Schemas)
        {
            tables[system.Name] = system;
        }

        return new StoreCatalog(tables, functions, views);
    }

    public bool TryGetTable(string name, out TableSchema table) => _tables.TryGetValue(name, out table!);

    public bool TryGetFunction(string name, out FunctionDefinition function)
    {
        if (_functions.TryGetValue(name, out var f))
        {
            function = f.Definition;
            return true;
        }

        function = null!;
        return false;
    }

    public IEnumerable<string> TableNames() => _tables.Keys;

    public IEnumerable<string> FunctionNames() => _functions.Keys;

    /// <summary>The tables and views, without the system tables (a search would find its own past queries in QueryLog).</summary>
    public IEnumerable<string> DatabaseTableNames() => _tables.Keys.Where(n => !SystemTables.IsSystemTable(n));

    /// <summary>This catalog plus one extra (temporary) table, for piping a command's output into query operators.</summary>
    public ICatalog With(TableSchema extra, string? visibleAs = null) => new OverlayCatalog(this, extra, visibleAs ?? extra.Name);

    private sealed class OverlayCatalog(StoreCatalog inner, TableSchema extra, string visibleAs) : ICatalog, ICatalogListing
    {
        public bool TryGetTable(string name, out TableSchema table)
        {
            if (name == visibleAs)
            {
                table = extra;
                return true;
            }

            return inner.TryGetTable(name, out table);
        }

        public bool TryGetFunction(string name, out FunctionDefinition function) => inner.TryGetFunction(name, out function);

        public IEnumerable<string> TableNames() => inner.TableNames();

        public IEnumerable<string> FunctionNames() => inner.FunctionNames();

        public IEnumerable<string> DatabaseTableNames() => inner.DatabaseTableNames();
    }
}

/// <summary>A stored function with its folder and documentation.</summary>
internal sealed record StoredFunction(FunctionDefinition Definition, string Folder, string DocString);

/// <summary>A materialized view: its source table, query, columns (keys first) and the summarize that merges new rows into it.</summary>
internal sealed record MaterializedView(string Name, string Source, string Query, IReadOnlyList<KqlColumn> Columns, IReadOnlyList<string> Keys, string MergeSummarize);

/// <summary>The persisted form of a column (golden-tested: changing it breaks existing data directories).</summary>
internal sealed record StoredColumn(string Name, string Type);

/// <summary>The persisted form of a function parameter.</summary>
/// <summary>A stored function's parameter; a table parameter has no type, and its declared columns (none for <c>(*)</c>).</summary>
internal sealed record StoredParameter(
    string Name, string? Type, string? Default, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] StoredColumn[]? Columns = null);

[System.Text.Json.Serialization.JsonSerializable(typeof(StoredColumn[]))]
[System.Text.Json.Serialization.JsonSerializable(typeof(StoredParameter[]))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class StoreJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
