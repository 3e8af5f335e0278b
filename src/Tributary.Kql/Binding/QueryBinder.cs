using System.Globalization;
using System.Text;
using Tributary.Kql.Parsing;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding;

/// <summary>
/// Binds a parsed query against the catalog and produces SQL, one nested SELECT per tabular operator.
/// </summary>
/// <remarks>
/// Implementation note: each operator wraps the previous relation in a subquery; DuckDB's optimizer
/// flattens projections and pushes filters down, so the nesting costs nothing at run time while each
/// operator's translation stays local and easy to check.
/// </remarks>
internal sealed partial class QueryBinder
{
    private readonly ICatalog _catalog;
    private readonly TranslationOptions _options;
    private readonly Scope _root = new(null);
    private int _aliasCounter;
    private int _callDepth;

    public QueryBinder(ICatalog catalog, TranslationOptions options)
    {
        _catalog = catalog;
        _options = options;
        Expressions = new ExpressionBinder(this);
    }

    public ExpressionBinder Expressions { get; }

    public DateTime Now => _options.NowUtc;

    public ICatalog Catalog => _catalog;

    public string NextAlias() => "_t" + (++_aliasCounter).ToString(CultureInfo.InvariantCulture);

    public Translation BindQuery(QueryText query)
    {
        var scope = new Scope(_root);
        RenderSpec? render = null;
        BindStatements(query.Statements, scope);
        var body = query.Body!;
        if (body is PipelineExpr pipeline && pipeline.Operators.Count > 0 && pipeline.Operators[^1] is RenderOperator r)
        {
            render = new RenderSpec(r.Kind, r.Title);
            body = pipeline.Operators.Count == 1 ? pipeline.Source : pipeline with { Operators = pipeline.Operators.Take(pipeline.Operators.Count - 1).ToList() };
        }

        if (body is PipelineExpr { Operators: [.., ForkOperator or FacetOperator] } several)
        {
            return BindSeveralTables(several, scope, render);
        }

        var relation = BindTabular(body, scope);
        RequireDistinctIgnoringCase(relation, body.Pos);
        return Translate(relation, render);
    }

    private static Translation Translate(Relation relation, RenderSpec? render, string? name = null) =>
        new(FinalSelect(relation), relation.Columns.Select(c => new KqlColumn(c.Name, c.Type)).ToList(), render) { Name = name };

    /// <summary>
    /// Binds a stored function's body with placeholder arguments: a typed null for each scalar, an empty table of the
    /// declared columns for each table parameter. A body with a <c>T:(*)</c> parameter can only be checked when called.
    /// </summary>
    public void ValidateFunction(FunctionDefinition function, QueryText body)
    {
        if (function.Parameters.Any(p => p.Type is null && p.Columns is null))
        {
            return;
        }

        var scope = new Scope(_root);
        foreach (var p in function.Parameters)
        {
            if (p.Type is { } t)
            {
                scope.Define(p.Name, new ScalarBinding(SqlValue.Literal(null, t) with { IsConstant = false }));
            }
            else
            {
                var empty = string.Join(", ", p.Columns!.Select(c => $"CAST(NULL AS {KqlTypes.SqlType(c.Type)}) AS {Sql.Ident(c.Name)}"));
                scope.Define(p.Name, new RelationBinding(new Relation($"(SELECT {empty} WHERE FALSE)", p.Columns!.Select(c => new RelColumn(c.Name, c.Type)).ToList())));
            }
        }

        BindStatements(body.Statements, scope);
        BindTabular(body.Body!, scope);
    }

    private static string FinalSelect(Relation relation)
    {
        var columns = relation.Columns.Select(c => c.ListElement is null ? c.Ref : $"{c.Value.JsonSql} AS {c.Ref}");
        var select = relation.Columns.Count == 0 ? "NULL AS __empty" : string.Join(", ", columns);
        return $"SELECT {select} FROM {relation.From} AS _final" + (relation.Serialized ? $" ORDER BY {Sql.Ident(Relation.OrderColumn)}" : "");
    }

    // ---- statements --------------------------------------------------------------------------

    public void BindStatements(IReadOnlyList<Statement> statements, Scope scope)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case LetStatement { Function: { } fn } let:
                    scope.Define(let.Name, new FunctionBinding(let.Name, fn.Parameters, fn.Body, scope));
                    break;
                case LetStatement { Tabular: { } tab } let:
                    scope.Define(let.Name, new TabularBinding(tab, scope));
                    break;
                case LetStatement { Scalar: { } scalar } let:
                    if (scalar is NameExpr name && (scope.Lookup(name.Name) is TabularBinding || (scope.Lookup(name.Name) is null && IsTableOrFunction(name.Name))))
                    {
                        scope.Define(let.Name, new TabularBinding(new NameSource(name.Pos, name.Name), scope));
                    }
                    else if (scalar is CallExpr { Name: "materialize", Args: [TabularArgExpr materialized] })
                    {
                        // materialize() caches a result in Kusto; here the engine plans it like any subquery.
                        scope.Define(let.Name, new TabularBinding(materialized.Query, scope));
                    }
                    else if (scalar is CallExpr call && IsTabularFunction(call.Name, scope))
                    {
                        scope.Define(let.Name, new TabularBinding(new CallSource(call.Pos, call.Name, call.Args), scope));
                    }
                    else
                    {
                        var value = Expressions.Bind(scalar, new BindContext(null, scope));
                        scope.Define(let.Name, new ScalarBinding(value));
                    }

                    break;
                case DeclareParametersStatement declare:
                    for (var i = 0; i < declare.Parameters.Count; i++)
                    {
                        var p = declare.Parameters[i];
                        var type = p.Type!.Value;
                        if (_options.Parameters is { } values && values.TryGetValue(p.Name, out var v))
                        {
                            scope.Define(p.Name, new ScalarBinding(ParameterValue(p.Name, v, type, declare.Pos)));
                        }
                        else if (declare.Defaults[i] is { } def)
                        {
                            scope.Define(p.Name, new ScalarBinding(Expressions.Convert(Expressions.Bind(def, new BindContext(null, scope)), type, def.Pos)));
                        }
                        else
                        {
                            throw declare.Pos.Error($"query parameter '{p.Name}' has no value and no default");
                        }
                    }

                    break;
            }
        }

        // Parameters passed without a declare statement are visible as scalars too.
        if (_options.Parameters is { } all && scope.Parent == _root)
        {
            foreach (var (name, value) in all)
            {
                if (scope.Lookup(name) is null)
                {
                    scope.Define(name, new ScalarBinding(ParameterValue(name, value, InferType(value), default)));
                }
            }
        }
    }

    private static KqlType InferType(object? value) => value switch
    {
        null => KqlType.String,
        bool => KqlType.Bool,
        int => KqlType.Int,
        long => KqlType.Long,
        double or float => KqlType.Real,
        decimal => KqlType.Decimal,
        DateTime => KqlType.DateTime,
        TimeSpan => KqlType.TimeSpan,
        Guid => KqlType.Guid,
        _ => KqlType.String,
    };

    private static SqlValue ParameterValue(string name, object? value, KqlType type, SourcePosition pos)
    {
        if (value is string s && type != KqlType.String)
        {
            if (!Values.KqlValueParser.TryParse(s, type, out var parsed))
            {
                throw pos.Error($"query parameter '{name}': '{s}' is not a valid {KqlTypes.Name(type)}");
            }

            value = parsed;
        }

        return SqlValue.Literal(value, type);
    }

    private bool IsTableOrFunction(string name) =>
        _catalog.TryGetTable(name, out _) || _catalog.TryGetFunction(name, out _);

    private bool IsTabularFunction(string name, Scope scope) =>
        scope.Lookup(name) is FunctionBinding fb ? fb.Body.Body is not null : _catalog.TryGetFunction(name, out _);

    // ---- tabular expressions -------------------------------------------------------------------

    /// <summary>The longest SQL a scalar or tabular expression may translate to: lets that reuse each other can grow it exponentially.</summary>
    internal const int MaxSqlLength = 16 << 20;

    public Relation BindTabular(TabularExpr expr, Scope scope)
    {
        if (!System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw expr.Pos.Error("the query nests too deeply to translate");
        }

        var relation = BindTabularCore(expr, scope);
        return relation.From.Length <= MaxSqlLength
            ? relation
            : throw expr.Pos.Error("the query expands to too large a translation (does a let use the one before it several times?)");
    }

    private Relation BindTabularCore(TabularExpr expr, Scope scope) => expr switch
    {
        PipelineExpr p => BindPipeline(p, scope),
        NameSource n => BindName(n, scope),
        CallSource c => BindCall(c.Name, c.Args, c.Pos, scope),
        DatatableSource d => BindDatatable(d, scope),
        RangeSource r => BindRange(r, scope),
        PrintSource p => BindPrint(p, scope),
        UnionSource u => BindUnion(null, u.Union, scope),
        SearchSource s => BindSearch(null, "", s.Search, scope),
        FindSource f => BindFind(f, scope),
        ExternalDataSource e => BindExternalData(e, scope),
        ContextSource c => BindContextSource(c, scope),
        _ => throw expr.Pos.Error("unsupported tabular expression"),
    };

    private Relation BindPipeline(PipelineExpr pipeline, Scope scope)
    {
        var relation = BindTabular(pipeline.Source, scope);
        RequireDistinctIgnoringCase(relation, pipeline.Source.Pos);
        for (var i = 0; i < pipeline.Operators.Count; i++)
        {
            var op = pipeline.Operators[i];
            if (op is RenderOperator)
            {
                throw op.Pos.Error("render must be the last operator of the query");
            }

            // search names its rows' table: the pipeline's when it starts at one.
            relation = op is SearchOperator search
                ? BindSearch(relation, pipeline.Source is NameSource source ? source.Name : "union_arg0", search, scope)
                : BindOperator(relation, op, scope);
            RequireDistinctIgnoringCase(relation, op.Pos);
        }

        return relation;
    }

    /// <summary>
    /// Kusto names are case-sensitive but DuckDB's are not, so two columns whose names differ only in case
    /// would be confused with each other: refuse them rather than return wrong values.
    /// </summary>
    private static void RequireDistinctIgnoringCase(Relation relation, SourcePosition pos)
    {
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var c in relation.Columns)
        {
            if (!seen.TryAdd(c.Name, c.Name))
            {
                throw pos.Error($"columns '{seen[c.Name]}' and '{c.Name}' differ only in case, which Tributary cannot keep apart; rename one of them");
            }
        }
    }

    private Relation BindName(NameSource source, Scope scope)
    {
        switch (scope.Lookup(source.Name))
        {
            case TabularBinding tb:
                return BindTabular(tb.Expr, tb.DefinedIn);
            case RelationBinding rb:
                return rb.Relation;
            case FunctionBinding fb:
                return BindCall(fb.Name, [], source.Pos, scope);
            case ScalarBinding:
                throw source.Pos.Error($"'{source.Name}' is a scalar value, not a table");
        }

        if (_catalog.TryGetTable(source.Name, out var table))
        {
            var columns = table.Columns.Select(c => new RelColumn(c.Name, c.Type)).ToList();
            return new Relation(Sql.Ident(table.Name), columns) { HasIngestionTime = true };
        }

        if (_catalog.TryGetFunction(source.Name, out _))
        {
            return BindCall(source.Name, [], source.Pos, scope);
        }

        throw source.Pos.Error($"unknown table or function '{source.Name}'{Suggest(source.Name, scope)}");
    }

    private string Suggest(string name, Scope scope)
    {
        var candidates = scope.Names().ToList();
        if (_catalog is ICatalogListing listing)
        {
            candidates.AddRange(listing.TableNames());
            candidates.AddRange(listing.FunctionNames());
        }

        return Suggestions.DidYouMean(name, candidates);
    }

    /// <summary>
    /// Binds a call of a tabular function (a <c>let</c> or stored one). With <paramref name="piped"/> (the
    /// <c>invoke</c> operator) those rows are the function's first argument, which must be tabular.
    /// </summary>
    public Relation BindCall(string name, IReadOnlyList<Expr> args, SourcePosition pos, Scope scope, Relation? piped = null)
    {
        if (piped is null && name == "materialize" && scope.Lookup(name) is null && !_catalog.TryGetFunction(name, out _))
        {
            return args switch
            {
                [TabularArgExpr t] => BindTabular(t.Query, scope),
                [NameExpr n] => BindName(new NameSource(n.Pos, n.Name), scope),
                _ => throw pos.Error("materialize takes one tabular expression: materialize(T | …)"),
            };
        }

        IReadOnlyList<FunctionParameter> parameters;
        QueryText body;
        Scope defining;
        if (scope.Lookup(name) is FunctionBinding fb)
        {
            parameters = fb.Parameters;
            body = fb.Body;
            defining = fb.DefinedIn;
        }
        else if (_catalog.TryGetFunction(name, out var stored))
        {
            parameters = stored.Parameters;
            try
            {
                body = Parser.ParseQuery(stored.Body);
            }
            catch (KqlException e)
            {
                throw pos.Error($"stored function '{name}' does not parse: {e.Message}");
            }

            defining = _root;
        }
        else if (_catalog.TryGetTable(name, out _))
        {
            throw pos.Error($"'{name}' is a table, not a function: remove the parentheses");
        }
        else
        {
            throw pos.Error($"unknown function '{name}'{Suggest(name, scope)}");
        }

        if (body.Body is null)
        {
            throw pos.Error($"function '{name}' returns a scalar, not a table");
        }

        if (++_callDepth > 32)
        {
            throw pos.Error($"function '{name}' calls itself too deeply (recursion is not supported)");
        }

        try
        {
            var inner = new Scope(defining);
            if (piped is not null)
            {
                if (parameters.Count == 0 || parameters[0].Type is not null)
                {
                    throw pos.Error($"invoke needs a function whose first parameter is a table, but '{name}' takes ({string.Join(", ", parameters)})");
                }

                inner.Define(parameters[0].Name, new RelationBinding(RequireDeclaredColumns(name, parameters[0], piped, pos)));
                parameters = parameters.Skip(1).ToList();
            }

            BindArguments(name, parameters, args, pos, scope, inner);
            BindStatements(body.Statements, inner);
            return BindTabular(body.Body, inner);
        }
        finally
        {
            _callDepth--;
        }
    }

    /// <summary>A table given for a parameter that declares columns must have each of them, of its type.</summary>
    private static Relation RequireDeclaredColumns(string function, FunctionParameter parameter, Relation table, SourcePosition pos)
    {
        foreach (var declared in parameter.Columns ?? [])
        {
            var column = table.Columns.FirstOrDefault(c => c.Name == declared.Name)
                ?? throw pos.Error($"the table given for parameter '{parameter.Name}' of '{function}' has no column '{declared.Name}' ({function} declares {parameter})");
            if (column.Type != declared.Type)
            {
                throw pos.Error($"column '{declared.Name}' of the table given for parameter '{parameter.Name}' of '{function}' is {KqlTypes.Name(column.Type)}, but {function} declares {parameter}");
            }
        }

        return table;
    }

    public void BindArguments(string name, IReadOnlyList<FunctionParameter> parameters, IReadOnlyList<Expr> args, SourcePosition pos, Scope callerScope, Scope target, Relation? row = null)
    {
        if (args.Count > parameters.Count)
        {
            throw pos.Error($"function '{name}' takes {parameters.Count} argument(s) but was given {args.Count}");
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if (i >= args.Count)
            {
                if (p.DefaultValue is null)
                {
                    throw pos.Error($"function '{name}' needs argument '{p.Name}' ({parameters.Count} in all: {string.Join(", ", parameters)})");
                }

                var def = Parser.ParseExpression(p.DefaultValue);
                target.Define(p.Name, new ScalarBinding(Expressions.Convert(Expressions.Bind(def, new BindContext(null, _root)), p.Type!.Value, pos)));
                continue;
            }

            var arg = args[i];
            if (p.Type is null)
            {
                var tab = arg switch
                {
                    TabularArgExpr t => t.Query,
                    NameExpr n => new NameSource(n.Pos, n.Name),
                    _ => throw arg.Pos.Error($"argument '{p.Name}' of '{name}' must be a table"),
                };
                target.Define(p.Name, p.Columns is null
                    ? new TabularBinding(tab, callerScope)
                    : new RelationBinding(RequireDeclaredColumns(name, p, BindTabular(tab, callerScope), arg.Pos)));
                continue;
            }

            var value = Expressions.Bind(arg, new BindContext(row, callerScope));
            var wanted = p.Type.Value;
            var fits = value.Type == wanted || value.Type == KqlType.Dynamic || value is { IsConstant: true, Constant: null }
                || (KqlTypes.IsNumeric(value.Type) && KqlTypes.IsNumeric(wanted));
            if (!fits)
            {
                throw arg.Pos.Error($"argument '{p.Name}' of '{name}' is {KqlTypes.Name(wanted)} but was given a {KqlTypes.Name(value.Type)}");
            }

            target.Define(p.Name, new ScalarBinding(Expressions.Convert(value, wanted, arg.Pos)));
        }
    }

    private Relation BindDatatable(DatatableSource source, Scope scope)
    {
        var columns = source.Columns;
        var names = string.Join(", ", columns.Select(c => Sql.Ident(c.Name)));
        if (source.Values.Count == 0)
        {
            var empty = string.Join(", ", columns.Select(c => $"CAST(NULL AS {KqlTypes.SqlType(c.Type)}) AS {Sql.Ident(c.Name)}"));
            return new Relation($"(SELECT {empty} WHERE FALSE)", columns.Select(c => new RelColumn(c.Name, c.Type)).ToList());
        }

        var rows = new List<string>();
        for (var r = 0; r < source.Values.Count / columns.Count; r++)
        {
            var cells = new List<string>();
            for (var c = 0; c < columns.Count; c++)
            {
                var expr = source.Values[r * columns.Count + c];
                var value = Expressions.Bind(expr, new BindContext(null, scope));
                if (!value.IsConstant && !IsConstantish(expr))
                {
                    throw expr.Pos.Error("datatable values must be literals");
                }

                cells.Add($"CAST({Expressions.Convert(StrictCell(value, columns[c], expr), columns[c].Type, expr.Pos).Sql} AS {KqlTypes.SqlType(columns[c].Type)})");
            }

            rows.Add("(" + string.Join(", ", cells) + ")");
        }

        var sql = $"(SELECT * FROM (VALUES {string.Join(", ", rows)}) AS {NextAlias()}({names}))";
        return new Relation(sql, columns.Select(c => new RelColumn(c.Name, c.Type)).ToList());
    }

    // A datatable value must be of its column's type (numbers may widen or narrow); text is parsed, never silently nulled.
    private static SqlValue StrictCell(SqlValue value, KqlColumn column, Expr expr)
    {
        if (value.Type == column.Type || value is { IsConstant: true, Constant: null } || column.Type is KqlType.String or KqlType.Dynamic
            || (KqlTypes.IsNumeric(value.Type) && KqlTypes.IsNumeric(column.Type)))
        {
            return value;
        }

        if (value is { IsConstant: true, Constant: string text } && Values.KqlValueParser.TryParse(text, column.Type, out var parsed))
        {
            return SqlValue.Literal(parsed, column.Type);
        }

        throw expr.Pos.Error($"datatable column '{column.Name}' is {KqlTypes.Name(column.Type)} but this value is a {KqlTypes.Name(value.Type)}");
    }

    private static bool IsConstantish(Expr expr) => expr is LiteralExpr or UnaryExpr { Operand: LiteralExpr } or CallExpr { Name: "dynamic" or "datetime" or "timespan" or "guid" };

    private Relation BindRange(RangeSource source, Scope scope)
    {
        var ctx = new BindContext(null, scope);
        var from = Expressions.Bind(source.From, ctx);
        var to = Expressions.Bind(source.To, ctx);
        var step = Expressions.Bind(source.Step, ctx);
        var series = Expressions.Series(from, to, step, source.Pos);
        // The table form of generate_series streams rows, so a range may be longer than a list can be. Its rows are
        // serialized, in the order of the series, as in Kusto.
        var table = series.Sql.StartsWith("generate_series(", StringComparison.Ordinal) ? series.Sql : $"unnest({series.Sql})";
        var sql = $"(SELECT * FROM {table} WITH ORDINALITY AS {NextAlias()}({Sql.Ident(source.Column)}, {Sql.Ident(Relation.OrderColumn)}))";
        return new Relation(sql, [new RelColumn(source.Column, series.ListElement!.Value)]) { Serialized = true };
    }

    private Relation BindPrint(PrintSource source, Scope scope)
    {
        var ctx = new BindContext(null, scope);
        var columns = new List<RelColumn>();
        var selects = new List<string>();
        var names = new NameAllocator([]);
        for (var i = 0; i < source.Columns.Count; i++)
        {
            var a = source.Columns[i];
            var value = Expressions.Bind(a.Expr, ctx);
            var name = names.Allocate(a.Name ?? ExpressionBinder.DefaultName(a.Expr) ?? "print_" + i.ToString(CultureInfo.InvariantCulture));
            selects.Add($"{value.Sql} AS {Sql.Ident(name)}");
            columns.Add(new RelColumn(name, value.Type, value.ListElement));
        }

        return new Relation($"(SELECT {string.Join(", ", selects)})", columns);
    }

    // ---- operators -----------------------------------------------------------------------------

    private Relation BindOperator(Relation input, QueryOperator op, Scope scope) => op switch
    {
        WhereOperator w => BindWhere(input, w, scope),
        ProjectOperator p => BindProject(input, p, scope),
        ProjectAwayOperator pa => BindProjectAway(input, pa),
        ProjectRenameOperator pr => BindProjectRename(input, pr),
        ProjectReorderOperator po => BindProjectReorder(input, po),
        ExtendOperator e => BindExtend(input, e.Columns, scope),
        SummarizeOperator s => BindSummarize(input, s, scope),
        SortOperator s => BindSort(input, s.Keys, scope),
        TopOperator t => BindTop(input, t, scope),
        TakeOperator t => BindTake(input, t, scope),
        DistinctOperator d => BindDistinct(input, d, scope),
        CountOperator => new Relation($"(SELECT count(*) AS \"Count\" FROM {input.From} AS {NextAlias()})", [new RelColumn("Count", KqlType.Long)]),
        JoinOperator j => BindJoin(input, j, scope),
        LookupOperator l => BindLookup(input, l, scope),
        MvExpandOperator m => BindMvExpand(input, m, scope),
        SerializeOperator s => BindSerialize(input, s, scope),
        AsOperator a => BindAs(input, a, scope),
        UnionOperator u => BindUnion(input, u, scope),
        GetSchemaOperator => BindGetSchema(input),
        ParseOperator p => BindParse(input, p, scope),
        ParseKvOperator p => BindParseKv(input, p, scope),
        MakeSeriesOperator m => BindMakeSeries(input, m, scope),
        SampleOperator s => BindSample(input, s, scope),
        SampleDistinctOperator s => BindSampleDistinct(input, s, scope),
        TopHittersOperator t => BindTopHitters(input, t, scope),
        AssertSchemaOperator a => BindAssertSchema(input, a),
        ProjectByNamesOperator p => BindProjectByNames(input, p, scope),
        ConsumeOperator => BindConsume(input),
        MvApplyOperator m => BindMvApply(input, m, scope),
        PartitionOperator p => BindPartition(input, p, scope),
        InvokeOperator i => BindInvoke(input, i, scope),
        EvaluateOperator e => BindEvaluate(input, e, scope),
        TopNestedOperator t => BindTopNested(input, t, scope),
        ForkOperator or FacetOperator => throw op.Pos.Error("fork and facet must be the last operator of a query: their results are separate tables"),
        ScanOperator s => new ScanBuilder(this, BindSerialize(input, new SerializeOperator(s.Pos, []), scope), s, scope).Build(),
        _ => throw op.Pos.Error("unsupported operator"),
    };

    private Relation Wrap(Relation input, string select, IReadOnlyList<RelColumn> columns, string tail = "", bool? serialized = null, bool? ingestion = null)
    {
        var sql = $"(SELECT {select} FROM {input.From} AS {NextAlias()}{tail})";
        return new Relation(sql, columns)
        {
            HasIngestionTime = ingestion ?? input.HasIngestionTime,
            Serialized = serialized ?? input.Serialized,
        };
    }

    private Relation BindWhere(Relation input, WhereOperator where, Scope scope)
    {
        var stages = new WindowStages(this);
        var predicate = Expressions.Bind(where.Predicate, new BindContext(input, scope) { Stages = stages });
        predicate = Expressions.RequireBool(predicate, where.Predicate.Pos, "where");
        var clause = predicate.HasWindow ? " QUALIFY " : " WHERE ";
        return Wrap(stages.Apply(input), input.AllSelect, input.Columns, clause + predicate.Sql);
    }

    private Relation BindProject(Relation input, ProjectOperator project, Scope scope)
    {
        var stages = new WindowStages(this);
        var ctx = new BindContext(input, scope) { Stages = stages };
        var columns = new List<RelColumn>();
        var selects = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var auto = new NameAllocator([]);
        var tuples = new List<(string Name, SqlValue Value)>();
        foreach (var a in project.Columns)
        {
            var value = Expressions.Bind(a.Expr, ctx);
            foreach (var (name, column) in SpreadTuple(a, value, input, tuples) ?? [(a.Name ?? ExpressionBinder.DefaultName(a.Expr) ?? auto.AllocateColumn(), value)])
            {
                if (!seen.Add(name))
                {
                    throw a.Pos.Error($"project produces column '{name}' twice");
                }

                selects.Add($"{column.Sql} AS {Sql.Ident(name)}");
                columns.Add(new RelColumn(name, column.Type, column.ListElement));
            }
        }

        // The structs of functions that return several columns are computed once, below the projection.
        var source = ApplyExtend(stages.Apply(input), tuples);
        return Wrap(source, string.Join(", ", selects) + input.HiddenSelect, columns);
    }

    private static List<RelColumn> MatchPatterns(Relation input, string pattern, SourcePosition pos, bool mustMatch = true)
    {
        List<RelColumn> matched;
        if (pattern.Contains('*'))
        {
            var regex = Wildcard.Compile(pattern);
            matched = input.Columns.Where(c => regex.IsMatch(c.Name)).ToList();
        }
        else
        {
            matched = input.Columns.Where(c => c.Name == pattern).ToList();
            if (matched.Count == 0 && mustMatch)
            {
                throw pos.Error($"unknown column '{pattern}'{Suggestions.DidYouMean(pattern, input.Columns.Select(c => c.Name))}");
            }
        }

        return matched;
    }

    private Relation BindProjectAway(Relation input, ProjectAwayOperator op)
    {
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (pattern, pos) in op.Columns)
        {
            foreach (var c in MatchPatterns(input, pattern, pos))
            {
                named.Add(c.Name);
            }
        }

        var columns = input.Columns.Where(c => named.Contains(c.Name) == op.Keep).ToList();
        return WithColumns(input, columns);
    }

    private Relation WithColumns(Relation input, IReadOnlyList<RelColumn> columns)
    {
        var select = string.Join(", ", columns.Select(c => c.Ref)) + input.HiddenSelect;
        if (select.Length == 0 || select.StartsWith(',') )
        {
            select = "NULL AS __empty" + input.HiddenSelect;
        }

        return Wrap(input, select, columns);
    }

    private Relation BindProjectRename(Relation input, ProjectRenameOperator op)
    {
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (newName, oldName, pos) in op.Renames)
        {
            if (input.Find(oldName) is null)
            {
                throw pos.Error($"unknown column '{oldName}'{Suggestions.DidYouMean(oldName, input.Columns.Select(c => c.Name))}");
            }

            renames[oldName] = newName;
        }

        var columns = new List<RelColumn>();
        var selects = new List<string>();
        foreach (var c in input.Columns)
        {
            var name = renames.TryGetValue(c.Name, out var n) ? n : c.Name;
            columns.Add(c with { Name = name });
            selects.Add($"{c.Ref} AS {Sql.Ident(name)}");
        }

        if (columns.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != columns.Count)
        {
            throw op.Pos.Error("project-rename would produce two columns with the same name");
        }

        return Wrap(input, string.Join(", ", selects) + input.HiddenSelect, columns);
    }

    private Relation BindProjectReorder(Relation input, ProjectReorderOperator op)
    {
        var ordered = new List<RelColumn>();
        foreach (var (pattern, pos) in op.Columns)
        {
            foreach (var c in MatchPatterns(input, pattern, pos))
            {
                if (!ordered.Contains(c))
                {
                    ordered.Add(c);
                }
            }
        }

        ordered.AddRange(input.Columns.Where(c => !ordered.Contains(c)));
        return WithColumns(input, ordered);
    }

    public Relation BindExtend(Relation input, IReadOnlyList<Assignment> assignments, Scope scope)
    {
        var relation = input;
        var pending = new List<(string Name, SqlValue Value)>();
        var pendingNames = new HashSet<string>(StringComparer.Ordinal);
        var auto = new NameAllocator(input.Columns.Select(c => c.Name));

        // Stages no longer needed after a rebinding below are still applied: harmless, as a stage only adds a column.
        var stages = new WindowStages(this);
        foreach (var a in assignments)
        {
            if (pending.Count > 0 && Mentions(a.Expr, pendingNames))
            {
                // This assignment names a column defined earlier in the same extend: materialize those first.
                relation = ApplyExtend(stages.Apply(relation), pending);
                pending.Clear();
                pendingNames.Clear();
            }

            var ctx = new BindContext(relation, scope) { Referenced = [], Stages = stages };
            var value = Expressions.Bind(a.Expr, ctx);
            if (ctx.Referenced.Overlaps(pendingNames))
            {
                // This assignment uses a column defined earlier in the same extend: materialize those first.
                relation = ApplyExtend(stages.Apply(relation), pending);
                pending.Clear();
                pendingNames.Clear();
                ctx = new BindContext(relation, scope) { Stages = stages };
                value = Expressions.Bind(a.Expr, ctx);
            }

            if (IsSpread(a, value))
            {
                relation = ExtendTuple(ApplyExtend(relation, pending), a, value);
                pending.Clear();
                pendingNames.Clear();
                continue;
            }

            var name = a.Name ?? ExpressionBinder.DefaultName(a.Expr) ?? auto.AllocateColumn();
            pending.RemoveAll(p => p.Name == name);
            pending.Add((name, value));
            pendingNames.Add(name);
        }

        return ApplyExtend(stages.Apply(relation), pending);
    }

    private static bool Mentions(Expr expr, HashSet<string> names) => expr switch
    {
        NameExpr n => names.Contains(n.Name),
        CallExpr c => c.Args.Any(x => Mentions(x, names)),
        BinaryExpr b => Mentions(b.Left, names) || Mentions(b.Right, names),
        UnaryExpr u => Mentions(u.Operand, names),
        MemberExpr m => Mentions(m.Target, names),
        IndexExpr i => Mentions(i.Target, names) || Mentions(i.Index, names),
        InExpr i => Mentions(i.Value, names) || i.Items.Any(x => Mentions(x, names)),
        BetweenExpr b => Mentions(b.Value, names) || Mentions(b.Low, names) || Mentions(b.High, names),
        _ => false,
    };

    private Relation ApplyExtend(Relation input, List<(string Name, SqlValue Value)> assignments)
    {
        if (assignments.Count == 0)
        {
            return input;
        }

        var byName = assignments.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal);
        var columns = new List<RelColumn>();
        var selects = new List<string>();
        foreach (var c in input.Columns)
        {
            if (byName.Remove(c.Name, out var replaced))
            {
                columns.Add(new RelColumn(c.Name, replaced.Type, replaced.ListElement));
                selects.Add($"{replaced.Sql} AS {c.Ref}");
            }
            else
            {
                columns.Add(c);
                selects.Add(c.Ref);
            }
        }

        foreach (var (name, value) in assignments)
        {
            if (byName.ContainsKey(name))
            {
                columns.Add(new RelColumn(name, value.Type, value.ListElement));
                selects.Add($"{value.Sql} AS {Sql.Ident(name)}");
            }
        }

        return Wrap(input, string.Join(", ", selects) + input.HiddenSelect, columns);
    }

    private Relation BindSort(Relation input, IReadOnlyList<OrderingTerm> keys, Scope scope)
    {
        var order = OrderBy(input, keys, scope);
        var select = input.VisibleSelect;
        if (input.HasIngestionTime)
        {
            select += (select.Length > 0 ? ", " : "") + Sql.Ident(TableSchema.IngestionTimeColumn);
        }

        select += (select.Length > 0 ? ", " : "") + $"row_number() OVER (ORDER BY {order}) AS {Sql.Ident(Relation.OrderColumn)}";
        return Wrap(input, select, input.Columns, serialized: true);
    }

    private string OrderBy(Relation input, IReadOnlyList<OrderingTerm> keys, Scope scope)
    {
        var ctx = new BindContext(input, scope);
        var parts = new List<string>();
        foreach (var key in keys)
        {
            var value = Expressions.Bind(key.Expr, ctx);
            if (value.Type == KqlType.Dynamic)
            {
                value = value with { Sql = value.JsonSql };
            }

            var nullsFirst = key.NullsFirst ?? key.Ascending;
            if (value.Type == KqlType.Real)
            {
                // Kusto groups NaN with null: null, NaN before all numbers (nulls first) or NaN, null after them (nulls last).
                parts.Add(nullsFirst
                    ? $"(CASE WHEN {value.Sql} IS NULL THEN 0 WHEN isnan({value.Sql}) THEN 1 ELSE 2 END)"
                    : $"(CASE WHEN {value.Sql} IS NULL THEN 2 WHEN isnan({value.Sql}) THEN 1 ELSE 0 END)");
            }

            parts.Add($"{value.Sql} {(key.Ascending ? "ASC" : "DESC")} NULLS {(nullsFirst ? "FIRST" : "LAST")}");
        }

        return string.Join(", ", parts);
    }

    private Relation BindTop(Relation input, TopOperator top, Scope scope)
    {
        var count = Expressions.ConstantLong(top.Count, new BindContext(null, scope), "top");
        var order = OrderBy(input, [top.Key], scope);
        var inner = new Relation(input.From, input.Columns) { HasIngestionTime = input.HasIngestionTime };
        var limited = Wrap(inner, inner.AllSelect, input.Columns, $" ORDER BY {order} LIMIT {count}", serialized: false);
        return BindSort(limited, [top.Key], scope);
    }

    private Relation BindTake(Relation input, TakeOperator take, Scope scope)
    {
        var count = Expressions.ConstantLong(take.Count, new BindContext(null, scope), "take");
        var order = input.Serialized ? $" ORDER BY {Sql.Ident(Relation.OrderColumn)}" : "";
        return Wrap(input, input.AllSelect, input.Columns, $"{order} LIMIT {count}");
    }

    private Relation BindDistinct(Relation input, DistinctOperator distinct, Scope scope)
    {
        if (distinct.Columns.Count == 0)
        {
            var all = input.Columns.Select(c => c.ListElement is null ? c.Ref : $"to_json({c.Ref}) AS {c.Ref}");
            return Wrap(input, "DISTINCT " + string.Join(", ", all), input.Columns.Select(c => c with { ListElement = null, Type = c.ListElement is null ? c.Type : KqlType.Dynamic }).ToList(), serialized: false, ingestion: false);
        }

        var ctx = new BindContext(input, scope);
        var columns = new List<RelColumn>();
        var selects = new List<string>();
        var auto = new NameAllocator([]);
        foreach (var a in distinct.Columns)
        {
            var value = Expressions.Bind(a.Expr, ctx);
            var name = a.Name ?? ExpressionBinder.DefaultName(a.Expr) ?? auto.AllocateColumn();
            selects.Add($"{(value.Type == KqlType.Dynamic ? value.JsonSql : value.Sql)} AS {Sql.Ident(name)}");
            columns.Add(new RelColumn(name, value.Type));
        }

        return Wrap(input, "DISTINCT " + string.Join(", ", selects), columns, serialized: false, ingestion: false);
    }

    private Relation BindSerialize(Relation input, SerializeOperator serialize, Scope scope)
    {
        var relation = input;
        if (!input.Serialized)
        {
            var select = input.AllSelect;
            select = (input.Columns.Count == 0 && !input.HasIngestionTime ? "" : select + ", ") + $"row_number() OVER () AS {Sql.Ident(Relation.OrderColumn)}";
            relation = Wrap(input, select, input.Columns, serialized: true);
        }

        return serialize.Columns.Count == 0 ? relation : BindExtend(relation, serialize.Columns, scope);
    }

    private static Relation BindAs(Relation input, AsOperator op, Scope scope)
    {
        scope.Define(op.Name, new RelationBinding(input));
        return input;
    }

    private Relation BindGetSchema(Relation input)
    {
        var rows = input.Columns.Select((c, i) =>
            $"({Sql.String(c.Name)}, {i}, {Sql.String("System." + ClrName(c.Type))}, {Sql.String(KqlTypes.Name(c.Type))})");
        var sql = input.Columns.Count == 0
            ? "(SELECT ''::VARCHAR AS \"ColumnName\", 0 AS \"ColumnOrdinal\", ''::VARCHAR AS \"DataType\", ''::VARCHAR AS \"ColumnType\" WHERE FALSE)"
            : $"(SELECT * FROM (VALUES {string.Join(", ", rows)}) AS {NextAlias()}(\"ColumnName\", \"ColumnOrdinal\", \"DataType\", \"ColumnType\"))";
        return new Relation(sql, [
            new RelColumn("ColumnName", KqlType.String), new RelColumn("ColumnOrdinal", KqlType.Int),
            new RelColumn("DataType", KqlType.String), new RelColumn("ColumnType", KqlType.String)]);

        static string ClrName(KqlType t) => t switch
        {
            KqlType.Bool => "Boolean",
            KqlType.Int => "Int32",
            KqlType.Long => "Int64",
            KqlType.Real => "Double",
            KqlType.Decimal => "Data.SqlTypes.SqlDecimal",
            KqlType.String => "String",
            KqlType.DateTime => "DateTime",
            KqlType.TimeSpan => "TimeSpan",
            KqlType.Guid => "Guid",
            _ => "Object",
        };
    }
}
