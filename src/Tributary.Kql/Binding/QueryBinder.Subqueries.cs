using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding;

// Operators that run subqueries on their input: mv-apply (per row), partition (per key value), invoke, and fork and
// facet, whose results are several tables.
internal sealed partial class QueryBinder
{
    /// <summary>The scope name of a subquery's implicit source (<see cref="ContextSource"/>); '$' keeps it out of reach of user names.</summary>
    private const string ContextName = "$context";

    /// <summary>
    /// Above zero while binding a subquery that DuckDB runs once per outer row (a LATERAL join): its SQL refers to
    /// the outer row, so it cannot run on its own (a data probe must refuse it).
    /// </summary>
    private int _correlatedDepth;

    /// <summary>True while binding a subquery whose SQL refers to an enclosing row (mv-apply, partition).</summary>
    public bool InCorrelatedSubquery => _correlatedDepth > 0;

    private static Relation BindContextSource(ContextSource source, Scope scope) =>
        scope.Lookup(ContextName) is RelationBinding binding
            ? binding.Relation
            : throw source.Pos.Error("a subquery without a source is only allowed inside mv-apply, partition, fork or facet");

    /// <summary>Binds <paramref name="subquery"/> with <paramref name="context"/> as its implicit source, as a LATERAL subquery.</summary>
    private Relation BindCorrelated(TabularExpr subquery, Relation context, Scope scope, Action<Scope>? define = null)
    {
        var inner = new Scope(scope);
        inner.Define(ContextName, new RelationBinding(context));
        define?.Invoke(inner);
        _correlatedDepth++;
        try
        {
            return BindTabular(subquery, inner);
        }
        finally
        {
            _correlatedDepth--;
        }
    }

    /// <summary>
    /// mv-apply: a LATERAL join of each input row with its subquery, whose source is the row's arrays expanded
    /// (serialized in array order, so take and row_number() follow it). The output has the input's columns that
    /// were not expanded in place, then the subquery's columns (one of the same name replaces the input's).
    /// </summary>
    /// <remarks>
    /// Implementation note: DuckDB decorrelates any LATERAL subquery (aggregates, windows, LIMIT), so the subquery
    /// binds like a query of its own over a one-row relation that reads the outer row's columns.
    /// </remarks>
    private Relation BindMvApply(Relation input, MvApplyOperator apply, Scope scope)
    {
        var outer = NextAlias();
        var row = new Relation(
            $"(SELECT {string.Join(", ", input.Columns.Select(c => $"{outer}.{c.Ref} AS {c.Ref}"))})",
            input.Columns);
        var expanded = BindMvExpand(row, new MvExpandOperator(apply.Pos, apply.Items, apply.ItemIndex, apply.Limit), scope, serializeByIndex: true);
        var result = BindCorrelated(apply.Subquery, expanded, scope);

        var inPlace = apply.Items
            .Where(i => i.Name is null && i.Expr is NameExpr n && input.Find(n.Name) is not null)
            .Select(i => ((NameExpr)i.Expr).Name)
            .ToHashSet(StringComparer.Ordinal);
        var inner = NextAlias();
        var outputs = input.Columns.Where(c => !inPlace.Contains(c.Name)).Select(c => (Column: c, Sql: $"{outer}.{c.Ref}")).ToList();
        foreach (var c in result.Columns)
        {
            var at = outputs.FindIndex(o => o.Column.Name == c.Name);
            if (at >= 0)
            {
                outputs[at] = (c, $"{inner}.{c.Ref}");
            }
            else
            {
                outputs.Add((c, $"{inner}.{c.Ref}"));
            }
        }

        var selects = outputs.Select(o => $"{o.Sql} AS {o.Column.Ref}").ToList();
        if (input.Serialized)
        {
            var within = result.Serialized ? $", {inner}.{Sql.Ident(Relation.OrderColumn)}" : "";
            selects.Add($"row_number() OVER (ORDER BY {outer}.{Sql.Ident(Relation.OrderColumn)}{within}) AS {Sql.Ident(Relation.OrderColumn)}");
        }

        var sql = $"(SELECT {(selects.Count == 0 ? "NULL AS __empty" : string.Join(", ", selects))} FROM {input.From} AS {outer}, LATERAL {result.From} AS {inner})";
        return new Relation(sql, outputs.Select(o => o.Column).ToList()) { Serialized = input.Serialized };
    }

    /// <summary>
    /// partition: a LATERAL join of the key column's distinct values with the subquery, whose source is the input's
    /// rows with that key (or, in the braces form, any source, with the key as a scalar named after the column).
    /// The strategies differ in Kusto only in how the work is spread; the result is the same.
    /// </summary>
    private Relation BindPartition(Relation input, PartitionOperator partition, Scope scope)
    {
        var key = input.Find(partition.Column)
            ?? throw partition.ColumnPos.Error($"unknown column '{partition.Column}'{Suggestions.DidYouMean(partition.Column, input.Columns.Select(c => c.Name))}");
        if (key.Type == KqlType.Dynamic || key.ListElement is not null)
        {
            throw partition.ColumnPos.Error($"partition by needs a column of a scalar type, but '{key.Name}' is dynamic");
        }

        var keys = NextAlias();
        var keySql = $"{keys}.{key.Ref}";
        Relation result;
        if (partition.ExplicitSource)
        {
            var value = new SqlValue(keySql, key.Type);
            result = BindCorrelated(partition.Subquery, input, scope, inner => inner.Define(key.Name, new ScalarBinding(value)));
        }
        else
        {
            var rows = NextAlias();
            var part = new Relation(
                $"(SELECT {input.AllSelect} FROM {input.From} AS {rows} WHERE {rows}.{key.Ref} IS NOT DISTINCT FROM {keySql})",
                input.Columns)
            { HasIngestionTime = input.HasIngestionTime, Serialized = input.Serialized };
            result = BindCorrelated(partition.Subquery, part, scope);
        }

        var inner = NextAlias();
        var select = result.Columns.Count == 0 ? "NULL AS __empty" : string.Join(", ", result.Columns.Select(c => $"{inner}.{c.Ref}"));
        var sql = $"(SELECT {select} FROM (SELECT DISTINCT {key.Ref} FROM {input.From} AS {NextAlias()}) AS {keys}, LATERAL {result.From} AS {inner})";
        return new Relation(sql, result.Columns);
    }

    /// <summary>
    /// A query ending in fork (one table per subquery, named by <c>Name =</c> or a closing <c>as Name</c>) or facet
    /// (the with subquery's table, then one per column: its values and their count, <c>count_Column</c>).
    /// </summary>
    private Translation BindSeveralTables(PipelineExpr pipeline, Scope scope, RenderSpec? render)
    {
        var op = pipeline.Operators[^1];
        if (render is not null)
        {
            throw op.Pos.Error("render cannot follow fork or facet: their results are separate tables");
        }

        var input = BindTabular(pipeline.Operators.Count == 1 ? pipeline.Source : pipeline with { Operators = pipeline.Operators.Take(pipeline.Operators.Count - 1).ToList() }, scope);
        var tables = op is ForkOperator fork ? ForkTables(input, fork, scope) : FacetTables(input, (FacetOperator)op, scope);
        if (tables.Count > 1 && !_options.SeveralTables)
        {
            throw op.Pos.Error($"{(op is ForkOperator ? "fork" : "facet")} gives several result tables, which only a query run on its own can return (not a job, a view or .set-or-append)");
        }

        var translations = tables.Select(t =>
        {
            RequireDistinctIgnoringCase(t.Relation, t.Pos);
            return Translate(t.Relation, null, t.Name);
        }).ToList();
        return translations[0] with { MoreTables = translations.Skip(1).ToList() };
    }

    private List<(string? Name, Relation Relation, SourcePosition Pos)> ForkTables(Relation input, ForkOperator fork, Scope scope) =>
        fork.Branches.Select(b =>
        {
            var inner = new Scope(scope);
            inner.Define(ContextName, new RelationBinding(input));
            var name = b.Name ?? (b.Query is PipelineExpr { Operators: [.., AsOperator a] } ? a.Name : null);
            return (name, BindTabular(b.Query, inner), b.Pos);
        }).ToList();

    private List<(string? Name, Relation Relation, SourcePosition Pos)> FacetTables(Relation input, FacetOperator facet, Scope scope)
    {
        var tables = new List<(string?, Relation, SourcePosition)>();
        if (facet.With is { } with)
        {
            var inner = new Scope(scope);
            inner.Define(ContextName, new RelationBinding(input));
            tables.Add((null, BindTabular(with, inner), with.Pos));
        }

        foreach (var (name, pos) in facet.Columns)
        {
            if (input.Find(name) is null)
            {
                throw pos.Error($"unknown column '{name}'{Suggestions.DidYouMean(name, input.Columns.Select(c => c.Name))}");
            }

            var count = new Assignment("count_" + name, new CallExpr(pos, "count", []), pos);
            var summarize = new SummarizeOperator(pos, [count], [new Assignment(name, new NameExpr(pos, name), pos)]);
            tables.Add((name, BindSummarize(input, summarize, scope), pos));
        }

        return tables;
    }

    /// <summary>invoke: the tabular function called with the rows so far as its first (tabular) argument.</summary>
    private Relation BindInvoke(Relation input, InvokeOperator invoke, Scope scope) =>
        BindCall(invoke.Name, invoke.Args, invoke.NamePos, scope, piped: input);
}
