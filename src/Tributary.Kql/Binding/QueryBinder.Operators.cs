using System.Globalization;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding;

// summarize, join, lookup, mv-expand and union: the operators that change the row set's shape.
internal sealed partial class QueryBinder
{
    private Relation BindSummarize(Relation input, SummarizeOperator summarize, Scope scope)
    {
        var ctx = new BindContext(input, scope);
        var names = new NameAllocator([]);
        var keySelects = new List<string>();
        var keyColumns = new List<RelColumn>();
        var keyNames = new HashSet<string>(StringComparer.Ordinal);
        var keyExprs = new List<(string Sql, RelColumn Column)>();
        foreach (var by in summarize.By)
        {
            var value = Expressions.Bind(by.Expr, ctx);
            if (value.HasAggregate)
            {
                throw by.Pos.Error("an aggregate cannot be a summarize 'by' key");
            }

            var given = by.Name ?? ExpressionBinder.DefaultName(by.Expr);
            var name = given is null ? names.AllocateColumn() : names.Allocate(given);
            keyNames.Add(name);
            var keySql = value.Type == KqlType.Dynamic ? value.JsonSql : value.Sql;
            keySelects.Add($"{keySql} AS {Sql.Ident(name)}");
            keyColumns.Add(new RelColumn(name, value.Type));
            keyExprs.Add((keySql, keyColumns[^1]));
        }

        // The latest-state pattern (summarize arg_max(T, *) by Id) alone: a window filter, much faster in DuckDB.
        if (keyColumns.Count > 0 && summarize.Aggregates is [{ Expr: CallExpr { Name: "arg_max" or "arg_min" } argCall } only])
        {
            var row = Aggregates.BindArgRow(argCall, only.Name, ctx with { AllowAggregates = true }, input, keyNames, Expressions);
            if (row.IsRowwise)
            {
                var (windowSql, windowColumns) = Aggregates.WindowSelect(row, keyExprs, $"{input.From} AS {NextAlias()}", names);
                return new Relation($"({windowSql})", windowColumns);
            }
        }

        var aggSelects = new List<string>();
        var outer = new List<string>(keyColumns.Select(c => c.Ref));
        var columns = new List<RelColumn>(keyColumns);
        var needsOuter = false;
        var structIndex = 0;
        foreach (var agg in summarize.Aggregates)
        {
            var outputs = Aggregates.Bind(agg, ctx with { AllowAggregates = true }, input, keyNames, names, ref structIndex, Expressions);
            foreach (var o in outputs)
            {
                if (o.InnerSql is not null)
                {
                    aggSelects.Add(o.InnerSql);
                    needsOuter = true;
                }
                else
                {
                    aggSelects.Add($"{o.Sql} AS {Sql.Ident(o.Name)}");
                }

                outer.Add(o.InnerSql is null ? Sql.Ident(o.Name) : $"{o.Sql} AS {Sql.Ident(o.Name)}");
                columns.Add(new RelColumn(o.Name, o.Type));
            }
        }

        var selects = keySelects.Concat(aggSelects.Distinct(StringComparer.Ordinal)).ToList();
        var groupBy = keySelects.Count == 0
            ? ""
            : " GROUP BY " + string.Join(", ", Enumerable.Range(1, keySelects.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)));
        var sql = $"(SELECT {string.Join(", ", selects)} FROM {input.From} AS {NextAlias()}{groupBy})";
        if (needsOuter)
        {
            sql = $"(SELECT {string.Join(", ", outer)} FROM {sql} AS {NextAlias()})";
        }

        return new Relation(sql, columns);
    }

    private (RelColumn Left, RelColumn Right)[] ResolveKeys(Relation left, Relation right, IReadOnlyList<JoinKey> keys, string op)
    {
        var resolved = new (RelColumn, RelColumn)[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            var k = keys[i];
            var l = left.Find(k.Left) ?? throw k.Pos.Error($"unknown column '{k.Left}' on the left side of {op}{Suggestions.DidYouMean(k.Left, left.Columns.Select(c => c.Name))}");
            var r = right.Find(k.Right) ?? throw k.Pos.Error($"unknown column '{k.Right}' on the right side of {op}{Suggestions.DidYouMean(k.Right, right.Columns.Select(c => c.Name))}");
            var compatible = l.Type == r.Type || (KqlTypes.IsNumeric(l.Type) && KqlTypes.IsNumeric(r.Type));
            if (!compatible)
            {
                throw k.Pos.Error($"{op} key types differ: left '{l.Name}' is {KqlTypes.Name(l.Type)} but right '{r.Name}' is {KqlTypes.Name(r.Type)}");
            }

            resolved[i] = (l, r);
        }

        return resolved;
    }

    private static string KeySql(string alias, RelColumn c) =>
        c.ListElement is not null ? $"to_json({alias}.{c.Ref})" : c.Type == KqlType.Dynamic ? $"CAST({alias}.{c.Ref} AS VARCHAR)" : $"{alias}.{c.Ref}";

    private static string ColumnSql(string alias, RelColumn c, bool nullable) =>
        nullable && c.Type == KqlType.String ? $"coalesce({alias}.{c.Ref}, '')" : $"{alias}.{c.Ref}";

    private Relation BindJoin(Relation left, JoinOperator join, Scope scope)
    {
        var right = BindTabular(join.Right, new Scope(scope));
        var keys = ResolveKeys(left, right, join.On, "join");
        var l = NextAlias();
        var r = NextAlias();
        var on = string.Join(" AND ", keys.Select(k => $"{KeySql(l, k.Left)} = {KeySql(r, k.Right)}"));

        switch (join.Kind)
        {
            case "leftsemi":
            case "leftanti":
                {
                    var not = join.Kind == "leftanti" ? "NOT " : "";
                    var select = string.Join(", ", left.Columns.Select(c => $"{l}.{c.Ref}"));
                    var sql = $"(SELECT {(select.Length == 0 ? "NULL AS __empty" : select)} FROM {left.From} AS {l} WHERE {not}EXISTS (SELECT 1 FROM {right.From} AS {r} WHERE {on}))";
                    return new Relation(sql, left.Columns);
                }

            case "rightsemi":
            case "rightanti":
                {
                    var not = join.Kind == "rightanti" ? "NOT " : "";
                    var select = string.Join(", ", right.Columns.Select(c => $"{r}.{c.Ref}"));
                    var sql = $"(SELECT {(select.Length == 0 ? "NULL AS __empty" : select)} FROM {right.From} AS {r} WHERE {not}EXISTS (SELECT 1 FROM {left.From} AS {l} WHERE {on}))";
                    return new Relation(sql, right.Columns);
                }
        }

        var leftFrom = left.From;
        if (join.Kind == "innerunique")
        {
            // Kusto keeps one (arbitrary) left row per join key before matching.
            var u = NextAlias();
            var partition = string.Join(", ", keys.Select(k => KeySql(u, k.Left)));
            leftFrom = $"(SELECT * FROM {left.From} AS {u} QUALIFY row_number() OVER (PARTITION BY {partition}) = 1)";
        }

        var sqlJoin = join.Kind switch
        {
            "innerunique" or "inner" => "JOIN",
            "leftouter" => "LEFT JOIN",
            "rightouter" => "RIGHT JOIN",
            "fullouter" => "FULL JOIN",
            _ => throw join.Pos.Error($"unsupported join kind '{join.Kind}'"),
        };
        var leftNullable = join.Kind is "rightouter" or "fullouter";
        var rightNullable = join.Kind is "leftouter" or "fullouter";

        var names = new NameAllocator(left.Columns.Select(c => c.Name));
        var selects = new List<string>();
        var columns = new List<RelColumn>();
        foreach (var c in left.Columns)
        {
            selects.Add($"{ColumnSql(l, c, leftNullable)} AS {c.Ref}");
            columns.Add(c);
        }

        foreach (var c in right.Columns)
        {
            var name = names.Allocate(c.Name);
            selects.Add($"{ColumnSql(r, c, rightNullable)} AS {Sql.Ident(name)}");
            columns.Add(c with { Name = name });
        }

        var joined = $"(SELECT {string.Join(", ", selects)} FROM {leftFrom} AS {l} {sqlJoin} {right.From} AS {r} ON {on})";
        return new Relation(joined, columns);
    }

    private Relation BindLookup(Relation left, LookupOperator lookup, Scope scope)
    {
        var right = BindTabular(lookup.Right, new Scope(scope));
        var keys = ResolveKeys(left, right, lookup.On, "lookup");
        var l = NextAlias();
        var r = NextAlias();
        var on = string.Join(" AND ", keys.Select(k => $"{KeySql(l, k.Left)} = {KeySql(r, k.Right)}"));
        var rightKeys = keys.Select(k => k.Right.Name).ToHashSet(StringComparer.Ordinal);
        var names = new NameAllocator(left.Columns.Select(c => c.Name));
        var selects = new List<string>();
        var columns = new List<RelColumn>();
        foreach (var c in left.Columns)
        {
            selects.Add($"{l}.{c.Ref} AS {c.Ref}");
            columns.Add(c);
        }

        foreach (var c in right.Columns.Where(c => !rightKeys.Contains(c.Name)))
        {
            var name = names.Allocate(c.Name);
            selects.Add($"{ColumnSql(r, c, lookup.Kind == "leftouter")} AS {Sql.Ident(name)}");
            columns.Add(c with { Name = name });
        }

        var kind = lookup.Kind == "inner" ? "JOIN" : "LEFT JOIN";
        var hidden = left.HasIngestionTime ? $", {l}.{Sql.Ident(TableSchema.IngestionTimeColumn)}" : "";
        var sql = $"(SELECT {string.Join(", ", selects)}{hidden} FROM {left.From} AS {l} {kind} {right.From} AS {r} ON {on})";
        return new Relation(sql, columns) { HasIngestionTime = left.HasIngestionTime };
    }

    /// <summary>
    /// mv-expand: one row per element of the items' arrays, in parallel. With <paramref name="serializeByIndex"/>
    /// (mv-apply's subtable of one row) the rows come out serialized in array order.
    /// </summary>
    private Relation BindMvExpand(Relation input, MvExpandOperator mv, Scope scope, bool serializeByIndex = false)
    {
        var op = serializeByIndex ? "mv-apply" : "mv-expand";
        var limit = mv.Limit is null ? (long?)null : Expressions.ConstantLong(mv.Limit, new BindContext(null, scope), $"the limit of {op}");
        var ctx = new BindContext(input, scope);
        var expanded = new Dictionary<string, (string Sql, RelColumn Column, KqlType ElementType)>(StringComparer.Ordinal);
        var order = new List<string>();
        var lists = new List<string>();
        foreach (var item in mv.Items)
        {
            var value = Expressions.Bind(item.Expr, ctx);
            var name = item.Name ?? ExpressionBinder.DefaultName(item.Expr)
                ?? throw item.Expr.Pos.Error($"{op} of an expression needs a name: {op} Name = expr");
            string list;
            KqlType elementType;
            if (value.ListElement is { } element)
            {
                list = value.Sql;
                elementType = element;
            }
            else if (value.Type == KqlType.Dynamic)
            {
                // A property bag expands to one single-property bag per property ([key, value] with kind=array);
                // a scalar (non-array) value expands to itself, as in Kusto.
                var v = value.Sql;
                var property = $"json_extract({v}, '/' || replace(replace(__key, '~', '~0'), '/', '~1'))";
                var entry = mv.BagsAsArrays ? $"json_array(__key, {property})" : $"json_object(__key, {property})";
                list = $"(CASE json_type({v}) WHEN 'ARRAY' THEN CAST({v} AS JSON[]) " +
                    $"WHEN 'OBJECT' THEN list_transform(json_keys({v}), __key -> {entry}) ELSE [{v}] END)";
                elementType = KqlType.Dynamic;
            }
            else
            {
                throw item.Expr.Pos.Error($"{op} needs a dynamic array but '{name}' is {KqlTypes.Name(value.Type)}");
            }

            lists.Add(list);
            expanded[name] = ($"unnest({list})", new RelColumn(name, item.ToType ?? KqlType.Dynamic), elementType);
            order.Add(name);
        }

        // Stage 1 unnests into helper columns (DuckDB unnests several lists in parallel, padding with
        // NULL, as Kusto does); stage 2 converts them to their final types and names.
        var stage1 = new List<string>();
        foreach (var c in input.Columns)
        {
            if (!expanded.ContainsKey(c.Name))
            {
                stage1.Add(c.Ref);
            }
        }

        foreach (var name in order)
        {
            stage1.Add($"{expanded[name].Sql} AS {Sql.Ident("__mv_" + name)}");
        }

        // The index runs to the longest array (greatest ignores a null array's length).
        var index = mv.ItemIndex ?? (limit is not null || serializeByIndex ? "__mv_index" : null);
        if (index is not null)
        {
            var longest = lists.Count == 1 ? $"len({lists[0]})" : $"greatest({string.Join(", ", lists.Select(l => $"len({l})"))})";
            stage1.Add($"unnest(range(0, {longest})) AS {Sql.Ident(index)}");
        }

        var hidden = input.HasIngestionTime ? ", " + Sql.Ident(TableSchema.IngestionTimeColumn) : "";
        var inner = $"(SELECT {string.Join(", ", stage1)}{hidden} FROM {input.From} AS {NextAlias()})";

        var columns = new List<RelColumn>();
        var stage2 = new List<string>();
        foreach (var c in input.Columns)
        {
            if (expanded.TryGetValue(c.Name, out var e))
            {
                stage2.Add(ConvertExpanded(c.Name));
                columns.Add(e.Column);
            }
            else
            {
                stage2.Add(c.Ref);
                columns.Add(c);
            }
        }

        foreach (var name in order.Where(n => input.Find(n) is null))
        {
            stage2.Add(ConvertExpanded(name));
            columns.Add(expanded[name].Column);
        }

        if (mv.ItemIndex is { } idx)
        {
            stage2.Add(Sql.Ident(idx));
            columns.Add(new RelColumn(idx, KqlType.Long));
        }

        if (serializeByIndex)
        {
            hidden += $", {Sql.Ident(index!)} AS {Sql.Ident(Relation.OrderColumn)}";
        }

        var where = limit is null ? "" : $" WHERE {Sql.Ident(index!)} < {limit}";
        var sql = $"(SELECT {string.Join(", ", stage2)}{hidden} FROM {inner} AS {NextAlias()}{where})";
        return new Relation(sql, columns) { HasIngestionTime = input.HasIngestionTime, Serialized = serializeByIndex };

        string ConvertExpanded(string name)
        {
            var e = expanded[name];
            var source = new SqlValue(Sql.Ident("__mv_" + name), e.ElementType);
            return $"{Expressions.Convert(source, e.Column.Type, mv.Pos).Sql} AS {Sql.Ident(name)}";
        }
    }

    private Relation BindUnion(Relation? piped, UnionOperator union, Scope scope)
    {
        var inputs = new List<(string Source, Relation Relation)>();
        if (piped is not null)
        {
            inputs.Add(("union_arg0", piped));
        }

        inputs.AddRange(BindTableInputs(union.Inputs, inputs.Count, scope));
        return UnionOf(inputs, union.Kind, union.WithSource);
    }

    /// <summary>
    /// The tables of a union, search or find, each with the name its source column shows: a pattern with wildcards
    /// (Staging*) is every table whose name matches, in name order; an unnamed input is <c>union_argN</c> (N counting
    /// from <paramref name="first"/>).
    /// </summary>
    private List<(string Source, Relation Relation)> BindTableInputs(IReadOnlyList<TabularExpr> tables, int first, Scope scope)
    {
        var inputs = new List<(string Source, Relation Relation)>();
        foreach (var input in tables)
        {
            if (input is NameSource { Name: var pattern } ns && pattern.Contains('*'))
            {
                var regex = Wildcard.Compile(pattern);
                var matching = (_catalog as ICatalogListing)?.TableNames().Where(t => regex.IsMatch(t)).Order(StringComparer.Ordinal).ToList() ?? [];
                if (matching.Count == 0)
                {
                    throw ns.Pos.Error($"no table matches '{pattern}'");
                }

                inputs.AddRange(matching.Select(t => (t, BindTabular(new NameSource(ns.Pos, t), scope))));
            }
            else
            {
                var name = input is NameSource n ? n.Name : "union_arg" + (first + inputs.Count).ToString(CultureInfo.InvariantCulture);
                inputs.Add((name, BindTabular(input, new Scope(scope))));
            }
        }

        return inputs;
    }

    /// <summary>
    /// The rows of every input, their columns matched by name: kind=outer keeps every column (null where an input lacks
    /// it), kind=inner only those all inputs have; <paramref name="withSource"/> names a first column with each row's input.
    /// </summary>
    private Relation UnionOf(IReadOnlyList<(string Source, Relation Relation)> inputs, string kind, string? withSource)
    {
        // Output columns by name; a name with different types in different inputs becomes one Name_type column
        // per type, in order of first appearance. Such a generated name yields to an input column that already
        // has it (x_long from one input and x:long, x:int from others give x_long1, x_int, x_long).
        var entries = new List<(string Name, KqlType Type)>();
        foreach (var (_, rel) in inputs)
        {
            foreach (var c in rel.Columns)
            {
                var entry = (c.Name, c.ListElement is null ? c.Type : KqlType.Dynamic);
                if (!entries.Contains(entry))
                {
                    entries.Add(entry);
                }
            }
        }

        var typeCount = entries.GroupBy(e => e.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var generated = new NameAllocator(entries.Where(e => typeCount[e.Name] == 1).Select(e => e.Name));
        var outputs = new List<(string Name, string Source, KqlType Type)>();
        foreach (var (name, type) in entries)
        {
            if (kind == "inner" && inputs.Any(i => i.Relation.Find(name) is null))
            {
                continue;
            }

            outputs.Add((typeCount[name] == 1 ? name : generated.Allocate(name + "_" + KqlTypes.Name(type)), name, type));
        }

        var allIngestion = inputs.All(i => i.Relation.HasIngestionTime);
        var parts = new List<string>();
        foreach (var (source, rel) in inputs)
        {
            var selects = new List<string>();
            if (withSource is { } ws)
            {
                selects.Add($"{Sql.String(source)} AS {Sql.Ident(ws)}");
            }

            foreach (var (name, sourceName, type) in outputs)
            {
                var c = rel.Find(sourceName);
                var ct = c is null ? (KqlType?)null : c.ListElement is null ? c.Type : KqlType.Dynamic;
                selects.Add(c is not null && ct == type
                    ? $"{c.Value.JsonSql} AS {Sql.Ident(name)}"
                    : $"{Sql.Literal(null, type)} AS {Sql.Ident(name)}");
            }

            if (allIngestion)
            {
                selects.Add(Sql.Ident(TableSchema.IngestionTimeColumn));
            }

            parts.Add($"SELECT {(selects.Count == 0 ? "NULL AS __empty" : string.Join(", ", selects))} FROM {rel.From} AS {NextAlias()}");
        }

        var columns = new List<RelColumn>();
        if (withSource is not null)
        {
            columns.Add(new RelColumn(withSource, KqlType.String));
        }

        columns.AddRange(outputs.Select(o => new RelColumn(o.Name, o.Type)));
        return new Relation("(" + string.Join(" UNION ALL ", parts) + ")", columns) { HasIngestionTime = allIngestion };
    }
}
