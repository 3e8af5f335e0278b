using System.Text.Json;
using Tributary.Kql;
using Tributary.Kql.Binding;
using Tributary.Kql.Commands;
using Tributary.Query;

namespace Tributary.Store;

// Materialized views: a backing table kept up to date as extents arrive in the source table.
public sealed partial class TributaryStore
{
    private const string ViewDeltaSource = "__mv_delta";
    private const string ViewUnion = "__mv_union";

    private QueryResult CreateMaterializedView(CreateMaterializedViewCommand c)
    {
        if (_catalog.TryGetView(c.Name, out _) && c.IfNotExists)
        {
            return ShowMaterializedViews();
        }

        ValidateTableName(c.Name);
        if (_catalog.TryGetTable(c.Name, out _) || _catalog.TryGetFunction(c.Name, out _))
        {
            throw new StoreException($"'{c.Name}' already exists (tables, views and functions share one namespace)");
        }

        var source = RequireTable(c.SourceTable);
        if (_catalog.TryGetView(source.Name, out _))
        {
            throw new StoreException($"'{source.Name}' is a materialized view; a view's source must be a table");
        }

        var plan = MaterializedViewPlan.Create(c.Query, c.SourceTable, _catalog, new TranslationOptions(Now()) { Origin = c.QueryStart });
        if (plan.Columns.Any(col => col.Name.StartsWith("__", StringComparison.Ordinal)))
        {
            throw new StoreException("a materialized view's columns cannot start with '__'");
        }

        var now = Now();
        InTransaction(() =>
        {
            CreateStorage(c.Name, plan.Columns);
            Exec(_connection,
                $"INSERT INTO tributary_meta.views VALUES ({Sql.String(c.Name)}, {Sql.String(c.SourceTable)}, {Sql.String(c.Query)}, " +
                $"{Sql.String(ColumnsJson(plan.Columns))}, {Sql.String(JsonSerializer.Serialize(plan.Keys.ToArray(), StoreJsonContext.Default.StringArray))}, {Sql.String(plan.MergeSummarize)})");

            // Backfill from everything the source holds now.
            var translation = KqlTranslator.Translate(c.Query, _catalog, new TranslationOptions(now) { Origin = c.QueryStart });
            InsertViewRows(c.Name, plan.Columns, translation.Sql, now);
            return 0;
        });
        return ShowMaterializedViews();
    }

    private void InsertViewRows(string view, IReadOnlyList<KqlColumn> columns, string sql, DateTime now)
    {
        Exec(_connection,
            $"INSERT INTO {Sql.Ident(view)} ({InsertColumns(columns)}) " +
            $"SELECT {string.Join(", ", columns.Select(col => "q." + Sql.Ident(col.Name)))}, '{Guid.NewGuid():D}'::UUID, {Sql.Literal(now, KqlType.DateTime)} FROM ({sql}) AS q");
    }

    /// <summary>
    /// Merges a new extent of <paramref name="table"/> into every view on it. Runs inside the caller's
    /// transaction, so the extent and the views' upkeep commit or roll back together.
    /// </summary>
    /// <remarks>
    /// Implementation note: only the groups the extent touches are rewritten — the extent's own
    /// aggregate is unioned with the view's current rows for those keys and merged (arg_max again,
    /// sum of counts …); the rest of the view is not read.
    /// </remarks>
    private void RefreshViews(string table, Guid extent, DateTime now) => RefreshViews(table, [extent], now);

    /// <summary>Merges several new extents of <paramref name="table"/> into every view on it at once (their aggregate is merged like one extent's).</summary>
    private void RefreshViews(string table, IReadOnlyCollection<Guid> extents, DateTime now)
    {
        var views = _catalog.Views.Where(v => v.Source == table).ToList();
        if (views.Count == 0)
        {
            return;
        }

        var source = RequireTable(table);
        foreach (var view in views)
        {
            Exec(_connection, $"CREATE OR REPLACE TEMP VIEW {Sql.Ident(ViewDeltaSource)} AS SELECT * FROM {Sql.Ident(table)} WHERE {Sql.Ident(TableSchema.ExtentColumn)} IN ({ExtentList(extents)})");
            try
            {
                // The new extent's aggregate, in the view's shape.
                var deltaCatalog = _catalog.With(source with { Name = ViewDeltaSource }, table);
                var delta = KqlTranslator.Translate(view.Query, deltaCatalog, new TranslationOptions(now));
                var columns = string.Join(", ", view.Columns.Select(col => Sql.Ident(col.Name)));
                var match = string.Join(" AND ", view.Keys.Select(k => $"d.{Sql.Ident(k)} IS NOT DISTINCT FROM v.{Sql.Ident(k)}"));
                Exec(_connection, $"CREATE OR REPLACE TEMP TABLE {Sql.Ident(ViewUnion)} AS SELECT {columns} FROM ({delta.Sql}) AS d");
                Exec(_connection,
                    $"INSERT INTO {Sql.Ident(ViewUnion)} SELECT {string.Join(", ", view.Columns.Select(col => "v." + Sql.Ident(col.Name)))} FROM {Sql.Ident(view.Name)} AS v " +
                    $"WHERE EXISTS (SELECT 1 FROM ({delta.Sql}) AS d WHERE {match})");

                var unionSchema = new TableSchema(ViewUnion, view.Columns);
                var merged = KqlTranslator.Translate($"{MaterializedViewPlan.Quote(ViewUnion)} | {view.MergeSummarize}", _catalog.With(unionSchema), new TranslationOptions(now));
                Exec(_connection,
                    $"DELETE FROM {Sql.Ident(view.Name)} AS v WHERE EXISTS (SELECT 1 FROM {Sql.Ident(ViewUnion)} AS d WHERE {match})");
                InsertViewRows(view.Name, view.Columns, merged.Sql, now);
            }
            finally
            {
                Exec(_connection, $"DROP VIEW IF EXISTS {Sql.Ident(ViewDeltaSource)}");
                Exec(_connection, $"DROP TABLE IF EXISTS {Sql.Ident(ViewUnion)}");
            }
        }
    }

    private const string ViewKeys = "__mv_keys_";

    /// <summary>
    /// Before extents of <paramref name="table"/> are dropped: for each view on the table, the group keys
    /// the dropped rows (extents <paramref name="ids"/>) contribute to, saved in a temp table.
    /// </summary>
    private List<(MaterializedView View, string KeysTable)> CaptureViewGroups(string table, string ids)
    {
        var captured = new List<(MaterializedView, string)>();
        var views = _catalog.Views.Where(v => v.Source == table).ToList();
        if (views.Count == 0)
        {
            return captured;
        }

        var source = RequireTable(table);
        var now = Now();
        Exec(_connection, $"CREATE OR REPLACE TEMP VIEW {Sql.Ident(ViewDeltaSource)} AS SELECT * FROM {Sql.Ident(table)} WHERE {Sql.Ident(TableSchema.ExtentColumn)} IN ({ids})");
        try
        {
            for (var i = 0; i < views.Count; i++)
            {
                var view = views[i];
                var delta = KqlTranslator.Translate(view.Query, _catalog.With(source with { Name = ViewDeltaSource }, table), new TranslationOptions(now));
                var keys = ViewKeys + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var keyColumns = string.Join(", ", view.Keys.Select(k => "d." + Sql.Ident(k)));
                Exec(_connection, $"CREATE OR REPLACE TEMP TABLE {Sql.Ident(keys)} AS SELECT DISTINCT {keyColumns} FROM ({delta.Sql}) AS d");
                captured.Add((view, keys));
            }
        }
        finally
        {
            Exec(_connection, $"DROP VIEW IF EXISTS {Sql.Ident(ViewDeltaSource)}");
        }

        return captured;
    }

    /// <summary>After the drop: each captured group is deleted from its view and computed again from the rows that remain.</summary>
    private void RecomputeViewGroups(List<(MaterializedView View, string KeysTable)> captured)
    {
        var now = Now();
        foreach (var (view, keys) in captured)
        {
            try
            {
                var match = string.Join(" AND ", view.Keys.Select(k => $"k.{Sql.Ident(k)} IS NOT DISTINCT FROM v.{Sql.Ident(k)}"));
                Exec(_connection, $"DELETE FROM {Sql.Ident(view.Name)} AS v WHERE EXISTS (SELECT 1 FROM {Sql.Ident(keys)} AS k WHERE {match})");
                var full = KqlTranslator.Translate(view.Query, _catalog, new TranslationOptions(now));
                var inGroups = $"SELECT * FROM ({full.Sql}) AS v WHERE EXISTS (SELECT 1 FROM {Sql.Ident(keys)} AS k WHERE {match})";
                InsertViewRows(view.Name, view.Columns, inGroups, now);
            }
            finally
            {
                Exec(_connection, $"DROP TABLE IF EXISTS {Sql.Ident(keys)}");
            }
        }
    }

    private QueryResult DropMaterializedView(DropMaterializedViewCommand c)
    {
        if (!_catalog.TryGetView(c.Name, out _))
        {
            if (c.IfExists)
            {
                return ShowMaterializedViews();
            }

            throw new StoreException($"materialized view '{c.Name}' does not exist");
        }

        InTransaction(() =>
        {
            Exec(_connection, $"DROP TABLE {Sql.Ident(c.Name)}");
            Exec(_connection, $"DELETE FROM tributary_meta.views WHERE name = {Sql.String(c.Name)}");
            return 0;
        });
        return ShowMaterializedViews();
    }

    private QueryResult ShowMaterializedViews() => new(
        [new("Name", KqlType.String), new("SourceTable", KqlType.String), new("Query", KqlType.String), new("Schema", KqlType.String)],
        _catalog.Views.OrderBy(v => v.Name, StringComparer.Ordinal)
            .Select(v => new object?[] { v.Name, v.Source, v.Query, string.Join(", ", v.Columns.Select(col => col.ToString())) }).ToList());
}
