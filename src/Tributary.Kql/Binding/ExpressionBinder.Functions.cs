using System.Globalization;
using System.Text;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding;

// Scalar functions.
internal sealed partial class ExpressionBinder
{
    private SqlValue BindCall(CallExpr call, BindContext ctx)
    {
        var name = call.Name;
        if (Aggregates.IsAggregate(name))
        {
            if (!ctx.AllowAggregates)
            {
                throw call.Pos.Error($"aggregate function '{name}' is only allowed in summarize");
            }

            return Aggregates.BindSingle(call, ctx with { AllowAggregates = false }, this);
        }

        if (ctx.Scope.Lookup(name) is FunctionBinding fb)
        {
            if (fb.Body.ScalarBody is null)
            {
                throw call.Pos.Error($"'{name}' returns a table; it cannot be used as a scalar");
            }

            var inner = new Scope(fb.DefinedIn);
            Owner.BindArguments(name, fb.Parameters, call.Args, call.Pos, ctx.Scope, inner, ctx.Row);
            Owner.BindStatements(fb.Body.Statements, inner);
            return Bind(fb.Body.ScalarBody, new BindContext(ctx.Row, inner) { Referenced = ctx.Referenced });
        }

        var args = call.Args;
        switch (name)
        {
            case "toscalar":
                {
                    Arity(call, 1);
                    var tab = args[0] is TabularArgExpr t ? t.Query : args[0] is NameExpr n ? new NameSource(n.Pos, n.Name) : throw args[0].Pos.Error("toscalar needs a tabular expression");
                    var rel = Owner.BindTabular(tab, new Scope(ctx.Scope));
                    if (rel.Columns.Count == 0)
                    {
                        throw call.Pos.Error("toscalar needs a tabular expression with at least one column");
                    }

                    var first = rel.Columns[0];
                    var sql = $"(SELECT {first.Value.JsonSql} FROM {rel.From} AS {Owner.NextAlias()}{(rel.Serialized ? $" ORDER BY {Sql.Ident(Relation.OrderColumn)}" : "")} LIMIT 1)";
                    return new SqlValue(first.Type == KqlType.String ? $"coalesce({sql}, '')" : sql, first.ListElement is null ? first.Type : KqlType.Dynamic);
                }

            case "ingestion_time":
                Arity(call, 0);
                if (ctx.Row is not { HasIngestionTime: true })
                {
                    throw call.Pos.Error("ingestion_time() is only available on rows read from a stored table (before summarize, join or project changes them)");
                }

                return new SqlValue(Sql.Ident(TableSchema.IngestionTimeColumn), KqlType.DateTime);
            case "prev":
            case "next":
                return BindPrevNext(call, ctx);
            case "row_number":
                {
                    Arity(call, 0, 2);
                    RequireSerialized(call, ctx);
                    if (args.Count == 2)
                    {
                        throw args[1].Pos.Error("row_number's restart argument is not supported yet");
                    }

                    var start = args.Count > 0 ? ConstantLong(args[0], ctx, "row_number") : 1;
                    return new SqlValue($"(row_number() OVER (ORDER BY {Sql.Ident(Relation.OrderColumn)}) + {start - 1})", KqlType.Long) { HasWindow = true };
                }
        }

        var values = new List<SqlValue>(args.Count);
        foreach (var a in args)
        {
            // typeof(T) is a type argument (extract's fourth), read from the syntax by the function itself.
            values.Add(a is TypeOfExpr ? SqlValue.Literal(null, KqlType.String) : Bind(a, ctx));
        }

        return BindScalarFunction(call, values, ctx);
    }

    private static void Arity(CallExpr call, int min, int? max = null)
    {
        var hi = max ?? min;
        if (call.Args.Count < min || call.Args.Count > hi)
        {
            var expected = min == hi ? min.ToString(CultureInfo.InvariantCulture) : $"{min} to {hi}";
            throw call.Pos.Error($"function '{call.Name}' takes {expected} argument(s) but was given {call.Args.Count}");
        }
    }

    private static void RequireSerialized(CallExpr call, BindContext ctx)
    {
        if (ctx.Row is not { Serialized: true })
        {
            throw call.Pos.Error($"{call.Name}() needs serialized rows: put sort, order by, top or serialize before it");
        }
    }

    private SqlValue BindPrevNext(CallExpr call, BindContext ctx)
    {
        Arity(call, 1, 3);
        RequireSerialized(call, ctx);
        var value = Bind(call.Args[0], ctx);
        var offset = call.Args.Count > 1 ? ConstantLong(call.Args[1], ctx, call.Name) : 1;
        var fn = call.Name == "prev" ? "lag" : "lead";
        var sql = $"{fn}({value.JsonSql}, {offset}) OVER (ORDER BY {Sql.Ident(Relation.OrderColumn)})";
        if (call.Args.Count > 2)
        {
            var def = Convert(Bind(call.Args[2], ctx), value.Type, call.Args[2].Pos);
            sql = $"coalesce({sql}, {def.Sql})";
        }
        else if (value.Type == KqlType.String)
        {
            // Kusto: the string default is "" (there is no null string).
            sql = $"coalesce({sql}, '')";
        }

        return new SqlValue(sql, value.ListElement is null ? value.Type : KqlType.Dynamic) { HasWindow = true };
    }

    private SqlValue Typed(CallExpr call, SqlValue value, KqlType type, string what)
    {
        if (value.Type == type || (value.Type == KqlType.Dynamic))
        {
            return Convert(value, type, call.Pos);
        }

        if (KqlTypes.IsNumeric(type) && KqlTypes.IsNumeric(value.Type))
        {
            return value;
        }

        throw call.Pos.Error($"{call.Name}() expects {what} but argument is {KqlTypes.Name(value.Type)}");
    }

    private SqlValue Str(CallExpr call, SqlValue v) => ToStringValue(v);

    private SqlValue BindScalarFunction(CallExpr call, List<SqlValue> a, BindContext ctx)
    {
        var name = call.Name;
        switch (name)
        {
            case "now":
                Arity(call, 0, 1);
                return a.Count == 0
                    ? SqlValue.Literal(Owner.Now, KqlType.DateTime)
                    : Derived($"({Sql.Timestamp(Owner.Now)} + to_microseconds(CAST({Typed(call, a[0], KqlType.TimeSpan, "a timespan").Sql} // 10 AS BIGINT)))", KqlType.DateTime, a[0]);
            case "ago":
                {
                    Arity(call, 1);
                    var span = Typed(call, a[0], KqlType.TimeSpan, "a timespan");
                    if (span is { IsConstant: true, Constant: TimeSpan ts })
                    {
                        return SqlValue.Literal(Owner.Now - ts, KqlType.DateTime);
                    }

                    return Derived($"({Sql.Timestamp(Owner.Now)} - to_microseconds(CAST({span.Sql} // 10 AS BIGINT)))", KqlType.DateTime, span);
                }

            case "bin":
            case "floor" when a.Count == 2:
                Arity(call, 2);
                return Bin(call, a[0], a[1]);
            case "bin_at":
                Arity(call, 3);
                return BinAt(call, a[0], a[1], a[2]);
            case "startofday":
                Arity(call, 1, 2);
                return Shifted(call, a, DateTrunc(call, a[0], "day"), "days", 1);
            case "startofhour":
                Arity(call, 1);
                return DateTrunc(call, a[0], "hour");
            case "startofweek":
                Arity(call, 1, 2);
                // Kusto weeks start on Sunday.
                return Shifted(call, a, Derived($"(date_trunc('day', {DateArg(call, a[0]).Sql}) - to_days(CAST(dayofweek({a[0].Sql}) AS INTEGER)))", KqlType.DateTime, a[0]), "days", 7);
            case "startofmonth":
                Arity(call, 1, 2);
                return Shifted(call, a, DateTrunc(call, a[0], "month"), "months", 1);
            case "startofyear":
                Arity(call, 1, 2);
                return Shifted(call, a, DateTrunc(call, a[0], "year"), "years", 1);
            case "endofday":
                Arity(call, 1, 2);
                return EndOf(Shifted(call, a, DateTrunc(call, a[0], "day"), "days", 1), "1 DAY");
            case "endofweek":
                Arity(call, 1, 2);
                return EndOf(Shifted(call, a, Derived($"(date_trunc('day', {DateArg(call, a[0]).Sql}) - to_days(CAST(dayofweek({a[0].Sql}) AS INTEGER)))", KqlType.DateTime, a[0]), "days", 7), "7 DAY");
            case "endofmonth":
                Arity(call, 1, 2);
                return EndOf(Shifted(call, a, DateTrunc(call, a[0], "month"), "months", 1), "1 MONTH");
            case "endofyear":
                Arity(call, 1, 2);
                return EndOf(Shifted(call, a, DateTrunc(call, a[0], "year"), "years", 1), "1 YEAR");
            case "datetime_diff":
                {
                    Arity(call, 3);
                    var unit = DatePart(call, a[0]);
                    if (unit == "week")
                    {
                        // Kusto counts Sunday-based week boundaries; DuckDB's weeks differ, so count the days between the weeks' Sundays.
                        static string Sunday(string d) => $"(date_trunc('day', {d}) - to_days(CAST(dayofweek({d}) AS INTEGER)))";
                        return Derived($"(date_diff('day', {Sunday(DateArg(call, a[2]).Sql)}, {Sunday(DateArg(call, a[1]).Sql)}) // 7)", KqlType.Long, a[1], a[2]);
                    }

                    return Derived($"date_diff({Sql.String(unit)}, {DateArg(call, a[2]).Sql}, {DateArg(call, a[1]).Sql})", KqlType.Long, a[1], a[2]);
                }

            case "datetime_add":
                {
                    Arity(call, 3);
                    var unit = DatePart(call, a[0]);
                    var amount = Typed(call, a[1], KqlType.Long, "a whole number");
                    var interval = unit switch
                    {
                        "quarter" => $"to_months(CAST({amount.Sql} * 3 AS INTEGER))",
                        "week" => $"to_days(CAST({amount.Sql} * 7 AS INTEGER))",
                        "millisecond" => $"to_microseconds(CAST({amount.Sql} * 1000 AS BIGINT))",
                        "nanosecond" => $"to_microseconds(CAST({amount.Sql} // 1000 AS BIGINT))",
                        "year" or "month" or "day" => $"to_{unit}s(CAST({amount.Sql} AS INTEGER))",
                        _ => $"to_{unit}s(CAST({amount.Sql} AS BIGINT))",
                    };
                    return Derived($"({DateArg(call, a[2]).Sql} + {interval})", KqlType.DateTime, a[1], a[2]);
                }

            case "datetime_part":
                {
                    Arity(call, 2);
                    var part = DatePart(call, a[0]);
                    return Derived($"CAST(date_part({Sql.String(part)}, {DateArg(call, a[1]).Sql}) AS INTEGER)", KqlType.Int, a[1]);
                }

            case "format_datetime":
                {
                    Arity(call, 2);
                    if (a[1] is not { IsConstant: true, Constant: string format })
                    {
                        throw call.Args[1].Pos.Error("format_datetime needs a constant format string");
                    }

                    return Derived($"coalesce({FormatDateTimeSql(DateArg(call, a[0]).Sql, format, call.Args[1].Pos)}, '')", KqlType.String, a[0]);
                }

            case "dayofweek":
                Arity(call, 1);
                return Derived($"(CAST(dayofweek({DateArg(call, a[0]).Sql}) AS BIGINT) * 864000000000)", KqlType.TimeSpan, a[0]);
            case "dayofmonth":
                Arity(call, 1);
                return Derived($"CAST(dayofmonth({DateArg(call, a[0]).Sql}) AS INTEGER)", KqlType.Int, a[0]);
            case "dayofyear":
                Arity(call, 1);
                return Derived($"CAST(dayofyear({DateArg(call, a[0]).Sql}) AS INTEGER)", KqlType.Int, a[0]);
            case "hourofday":
                Arity(call, 1);
                return Derived($"CAST(hour({DateArg(call, a[0]).Sql}) AS INTEGER)", KqlType.Int, a[0]);
            case "getyear":
                Arity(call, 1);
                return Derived($"CAST(year({DateArg(call, a[0]).Sql}) AS INTEGER)", KqlType.Int, a[0]);
            case "getmonth":
            case "monthofyear":
                Arity(call, 1);
                return Derived($"CAST(month({DateArg(call, a[0]).Sql}) AS INTEGER)", KqlType.Int, a[0]);
            case "unixtime_seconds_todatetime":
                Arity(call, 1);
                return Derived($"make_timestamp(CAST(round({a[0].Sql} * 1000000) AS BIGINT))", KqlType.DateTime, a[0]);
            case "unixtime_milliseconds_todatetime":
                Arity(call, 1);
                return Derived($"make_timestamp(CAST(round({a[0].Sql} * 1000) AS BIGINT))", KqlType.DateTime, a[0]);
            case "iff":
            case "iif":
                {
                    Arity(call, 3);
                    var cond = RequireBool(a[0], call.Args[0].Pos, name);
                    var (t, f) = UnifyBranches(call, a[1], a[2]);
                    return Derived($"(CASE WHEN {cond.Sql} THEN {t.Sql} ELSE {f.Sql} END)", t.Type, cond, t, f);
                }

            case "case":
                {
                    if (a.Count < 3 || a.Count % 2 == 0)
                    {
                        throw call.Pos.Error("case needs condition/value pairs and a final else value: case(c1, v1, c2, v2, …, else)");
                    }

                    var result = a[^1];
                    for (var i = 1; i < a.Count - 1; i += 2)
                    {
                        (result, _) = UnifyBranches(call, result, a[i]);
                    }

                    var type = result.Type;
                    var sb = new StringBuilder("(CASE");
                    for (var i = 0; i < a.Count - 1; i += 2)
                    {
                        var cond = RequireBool(a[i], call.Args[i].Pos, "case");
                        sb.Append(" WHEN ").Append(cond.Sql).Append(" THEN ").Append(Convert(a[i + 1], type, call.Args[i + 1].Pos).Sql);
                    }

                    sb.Append(" ELSE ").Append(Convert(a[^1], type, call.Args[^1].Pos).Sql).Append(" END)");
                    return Derived(sb.ToString(), type, [.. a]);
                }

            case "coalesce":
                {
                    if (a.Count < 2)
                    {
                        throw call.Pos.Error("coalesce needs at least two arguments");
                    }

                    var first = a[0];
                    for (var i = 1; i < a.Count; i++)
                    {
                        (first, _) = UnifyBranches(call, first, a[i]);
                    }

                    var type = first.Type;
                    var parts = a.Select((v, i) => Convert(v, type, call.Args[i].Pos).Sql).ToList();
                    // A string's null is "", so coalesce skips empty strings.
                    var sql = type == KqlType.String
                        ? $"coalesce({string.Join(", ", parts.Select(p => $"nullif({p}, '')"))}, '')"
                        : $"coalesce({string.Join(", ", parts)})";
                    return Derived(sql, type, [.. a]);
                }

            case "isempty":
            case "isnotempty":
                {
                    Arity(call, 1);
                    var v = a[0];
                    var empty = v.Type switch
                    {
                        KqlType.String => $"({v.Sql} = '')",
                        KqlType.Dynamic => $"({v.JsonSql} IS NULL OR json_type({v.JsonSql}) = 'NULL' OR {v.JsonSql} = '\"\"')",
                        _ => $"({v.Sql} IS NULL)",
                    };
                    return Derived(name == "isempty" ? empty : $"(NOT {empty})", KqlType.Bool, v);
                }

            case "isnull":
            case "isnotnull":
                {
                    Arity(call, 1);
                    var v = a[0];
                    var isNull = v.Type switch
                    {
                        KqlType.String => "FALSE",
                        KqlType.Dynamic => $"({v.JsonSql} IS NULL OR json_type({v.JsonSql}) = 'NULL')",
                        _ => $"({v.Sql} IS NULL)",
                    };
                    return Derived(name == "isnull" ? isNull : $"(NOT {isNull})", KqlType.Bool, v);
                }

            case "isnan":
                Arity(call, 1);
                return Derived($"isnan({a[0].Sql})", KqlType.Bool, a[0]);
            case "not":
                Arity(call, 1);
                return Derived($"(NOT {RequireBool(a[0], call.Args[0].Pos, "not").Sql})", KqlType.Bool, a[0]);
            case "strcat":
                if (a.Count == 0)
                {
                    throw call.Pos.Error("strcat needs at least one argument");
                }

                return Derived($"concat({string.Join(", ", a.Select(v => Str(call, v).Sql))})", KqlType.String, [.. a]);
            case "strcat_delim":
                if (a.Count < 2)
                {
                    throw call.Pos.Error("strcat_delim needs a delimiter and at least one value");
                }

                return Derived($"concat_ws({Str(call, a[0]).Sql}, {string.Join(", ", a.Skip(1).Select(v => Str(call, v).Sql))})", KqlType.String, [.. a]);
            case "strlen":
                Arity(call, 1);
                return Derived($"CAST(length({Str(call, a[0]).Sql}) AS BIGINT)", KqlType.Long, a[0]);
            case "substring":
                {
                    Arity(call, 2, 3);
                    var s = Str(call, a[0]);
                    var start = $"(greatest(CAST({a[1].Sql} AS BIGINT), 0) + 1)";
                    var sql = a.Count == 3 ? $"substr({s.Sql}, {start}, greatest(CAST({a[2].Sql} AS BIGINT), 0))" : $"substr({s.Sql}, {start})";
                    return Derived($"coalesce({sql}, '')", KqlType.String, [.. a]);
                }

            case "tolower":
                Arity(call, 1);
                return Derived($"lower({Str(call, a[0]).Sql})", KqlType.String, a[0]);
            case "toupper":
                Arity(call, 1);
                return Derived($"upper({Str(call, a[0]).Sql})", KqlType.String, a[0]);
            case "trim":
            case "trim_start":
            case "trim_end":
                {
                    Arity(call, 2);
                    if (a[0] is { IsConstant: true, Constant: string re })
                    {
                        ValidateRegex(re, call.Args[0].Pos);
                    }

                    var re0 = Str(call, a[0]).Sql;
                    var s = Str(call, a[1]).Sql;
                    var start = $"regexp_replace({s}, '^(?:' || {re0} || ')+', '')";
                    var sql = name switch
                    {
                        "trim_start" => start,
                        "trim_end" => $"regexp_replace({s}, '(?:' || {re0} || ')+$', '')",
                        _ => $"regexp_replace({start}, '(?:' || {re0} || ')+$', '')",
                    };
                    return Derived(sql, KqlType.String, a[0], a[1]);
                }

            case "split":
                {
                    Arity(call, 2, 3);
                    var list = $"string_split({Str(call, a[0]).Sql}, {Str(call, a[1]).Sql})";
                    if (a.Count == 3)
                    {
                        // split(s, d, i) returns a one-element array with the i-th part.
                        var item = $"list_extract({list}, CAST({a[2].Sql} AS BIGINT) + 1)";
                        return Derived($"[{item}]", KqlType.Dynamic, [.. a]) with { ListElement = KqlType.String };
                    }

                    return Derived(list, KqlType.Dynamic, [.. a]) with { ListElement = KqlType.String };
                }

            case "replace_string":
                Arity(call, 3);
                return Derived($"replace({Str(call, a[0]).Sql}, {Str(call, a[1]).Sql}, {Str(call, a[2]).Sql})", KqlType.String, [.. a]);
            case "replace_regex":
                Arity(call, 3);
                if (a[1] is { IsConstant: true, Constant: string rr })
                {
                    ValidateRegex(rr, call.Args[1].Pos);
                }

                return Derived($"regexp_replace({Str(call, a[0]).Sql}, {Str(call, a[1]).Sql}, {Str(call, a[2]).Sql}, 'g')", KqlType.String, [.. a]);
            case "indexof":
                {
                    Arity(call, 2, 3);
                    var s = Str(call, a[0]).Sql;
                    var lookup = Str(call, a[1]).Sql;
                    if (a.Count == 3)
                    {
                        var start = $"CAST({a[2].Sql} AS BIGINT)";
                        return Derived($"(CASE WHEN strpos(substr({s}, {start} + 1), {lookup}) = 0 THEN -1 ELSE strpos(substr({s}, {start} + 1), {lookup}) - 1 + {start} END)", KqlType.Long, [.. a]);
                    }

                    return Derived($"CAST(strpos({s}, {lookup}) - 1 AS BIGINT)", KqlType.Long, [.. a]);
                }

            case "extract":
                {
                    Arity(call, 3, 4);
                    if (a[0] is { IsConstant: true, Constant: string re })
                    {
                        ValidateRegex(re, call.Args[0].Pos);
                    }

                    if (a[1] is not { IsConstant: true, Constant: long group })
                    {
                        throw call.Args[1].Pos.Error("extract needs a constant capture group number");
                    }

                    var sql = $"regexp_extract({Str(call, a[2]).Sql}, {Str(call, a[0]).Sql}, {group})";
                    var text = Derived(sql, KqlType.String, a[0], a[2]);
                    if (call.Args.Count == 4)
                    {
                        if (call.Args[3] is not TypeOfExpr t)
                        {
                            throw call.Args[3].Pos.Error("extract's fourth argument is typeof(T)");
                        }

                        return Convert(text, t.Type, call.Pos);
                    }

                    return text;
                }

            case "parse_json":
            case "todynamic":
            case "toobject":
                {
                    Arity(call, 1);
                    var v = a[0];
                    if (v.Type == KqlType.Dynamic)
                    {
                        return v;
                    }

                    if (v.Type != KqlType.String)
                    {
                        return Convert(v, KqlType.Dynamic, call.Pos);
                    }

                    // Text that is not JSON stays a string value, as in Kusto.
                    return Derived($"(CASE WHEN json_valid({v.Sql}) AND {v.Sql} <> '' THEN CAST({v.Sql} AS JSON) ELSE to_json(nullif({v.Sql}, '')) END)", KqlType.Dynamic, v);
                }

            case "dynamic":
                throw call.Pos.Error("dynamic(…) takes a JSON literal");
            case "tostring":
                Arity(call, 1);
                return ToStringValue(a[0]);
            case "toint":
                Arity(call, 1);
                return Convert(a[0], KqlType.Int, call.Pos);
            case "tolong":
                Arity(call, 1);
                return Convert(a[0], KqlType.Long, call.Pos);
            case "todouble":
            case "toreal":
                Arity(call, 1);
                return Convert(a[0], KqlType.Real, call.Pos);
            case "todecimal":
                Arity(call, 1);
                return Convert(a[0], KqlType.Decimal, call.Pos);
            case "tobool":
            case "toboolean":
                Arity(call, 1);
                return Convert(a[0], KqlType.Bool, call.Pos);
            case "todatetime":
                Arity(call, 1);
                return Convert(a[0], KqlType.DateTime, call.Pos);
            case "totimespan":
            case "totime":
                Arity(call, 1);
                return Convert(a[0], KqlType.TimeSpan, call.Pos);
            case "toguid":
                Arity(call, 1);
                return Convert(a[0], KqlType.Guid, call.Pos);
            case "array_length":
                {
                    Arity(call, 1);
                    var v = a[0];
                    if (v.ListElement is not null)
                    {
                        return Derived($"CAST(len({v.Sql}) AS BIGINT)", KqlType.Long, v);
                    }

                    if (v.Type != KqlType.Dynamic)
                    {
                        throw call.Pos.Error($"array_length needs a dynamic array, not {KqlTypes.Name(v.Type)}");
                    }

                    return Derived($"(CASE WHEN json_type({v.Sql}) = 'ARRAY' THEN CAST(json_array_length({v.Sql}) AS BIGINT) END)", KqlType.Long, v);
                }

            case "pack":
            case "bag_pack":
            case "pack_dictionary":
                {
                    if (a.Count % 2 != 0)
                    {
                        throw call.Pos.Error($"{name} needs key/value pairs");
                    }

                    var parts = new List<string>();
                    for (var i = 0; i < a.Count; i += 2)
                    {
                        parts.Add(Str(call, a[i]).Sql);
                        var v = a[i + 1];
                        parts.Add(v.Type is KqlType.DateTime or KqlType.TimeSpan ? Convert(v, KqlType.Dynamic, call.Pos).Sql : v.JsonSql);
                    }

                    return Derived($"json_object({string.Join(", ", parts)})", KqlType.Dynamic, [.. a]);
                }

            case "bag_keys":
                {
                    Arity(call, 1);
                    var v = a[0];
                    if (v.Type != KqlType.Dynamic)
                    {
                        throw call.Pos.Error($"bag_keys needs a dynamic property bag, not {KqlTypes.Name(v.Type)}");
                    }

                    return Derived($"(CASE WHEN json_type({v.JsonSql}) = 'OBJECT' THEN json_keys({v.JsonSql}) END)", KqlType.Dynamic, v) with { ListElement = KqlType.String };
                }

            case "strcat_array":
                {
                    Arity(call, 2);
                    var v = a[0];
                    return Derived($"coalesce(array_to_string({ElementList(v)}, {Str(call, a[1]).Sql}), '')", KqlType.String, v, a[1]);
                }

            case "set_has_element":
            case "array_index_of":
                {
                    Arity(call, 2);
                    var v = a[0];
                    var list = ElementList(v);
                    var item = v.ListElement is not null ? Convert(a[1], v.ListElement.Value, call.Args[1].Pos).Sql : ToStringValue(a[1]).Sql;
                    return name == "set_has_element"
                        ? Derived($"list_contains({list}, {item})", KqlType.Bool, v, a[1])
                        : Derived($"CAST(coalesce(list_position({list}, {item}), 0) - 1 AS BIGINT)", KqlType.Long, v, a[1]);
                }

            case "pack_array":
                return Derived($"json_array({string.Join(", ", a.Select(v => v.Type is KqlType.DateTime or KqlType.TimeSpan ? Convert(v, KqlType.Dynamic, call.Pos).Sql : v.JsonSql))})", KqlType.Dynamic, [.. a]);
            case "range":
                Arity(call, 2, 3);
                return Series(a[0], a[1], a.Count == 3 ? a[2] : SqlValue.Literal(1L, KqlType.Long), call.Pos);
            case "hash":
                {
                    Arity(call, 1, 2);
                    var h = $"CAST(hash({a[0].JsonSql}) >> 1 AS BIGINT)";
                    return Derived(a.Count == 2 ? $"({h} % {a[1].Sql})" : h, KqlType.Long, [.. a]);
                }

            case "abs":
                Arity(call, 1);
                return Derived($"abs({a[0].Sql})", a[0].Type, a[0]);
            case "round":
                Arity(call, 1, 2);
                return Derived(a.Count == 2 ? $"round({a[0].Sql}, CAST({a[1].Sql} AS INTEGER))" : $"round({a[0].Sql})", a[0].Type, [.. a]);
            case "ceiling":
                Arity(call, 1);
                return Derived($"ceil({a[0].Sql})", a[0].Type, a[0]);
            case "floor":
                Arity(call, 1);
                return Derived($"floor({a[0].Sql})", a[0].Type, a[0]);
            case "sqrt":
            case "exp":
            case "log":
            case "log10":
            case "log2":
                Arity(call, 1);
                return Derived($"{(name == "log" ? "ln" : name)}(CAST({a[0].Sql} AS DOUBLE))", KqlType.Real, a[0]);
            case "pow":
                Arity(call, 2);
                return Derived($"pow(CAST({a[0].Sql} AS DOUBLE), {a[1].Sql})", KqlType.Real, a[0], a[1]);
            case "min_of":
            case "max_of":
                {
                    if (a.Count < 2)
                    {
                        throw call.Pos.Error($"{name} needs at least two arguments");
                    }

                    var first = a[0];
                    for (var i = 1; i < a.Count; i++)
                    {
                        (first, _) = UnifyBranches(call, first, a[i]);
                    }

                    var fn = name == "min_of" ? "least" : "greatest";
                    return Derived($"{fn}({string.Join(", ", a.Select((v, i) => Convert(v, first.Type, call.Args[i].Pos).Sql))})", first.Type, [.. a]);
                }

            case "gettype":
                Arity(call, 1);
                return SqlValue.Literal(KqlTypes.Name(a[0].Type), KqlType.String);
            case "has_any":
            case "has_all":
                {
                    var hay = ToStringValue(a[0]);
                    var parts = a.Skip(1).Select(v => HasSql(hay.Sql, ToStringValue(v), v is { IsConstant: true, Constant: string s } ? s : null, false, true, true)).ToList();
                    if (parts.Count == 0)
                    {
                        throw call.Pos.Error($"{name} needs at least one term");
                    }

                    return Derived("(" + string.Join(name == "has_any" ? " OR " : " AND ", parts.Select(p => "(" + p + ")")) + ")", KqlType.Bool, [.. a]);
                }
        }

        throw call.Pos.Error($"unknown function '{name}'{Suggestions.DidYouMean(name, KnownFunctions)}");
    }

    private static readonly string[] KnownFunctions =
    [
        "ago", "now", "bin", "floor", "startofday", "startofhour", "startofweek", "startofmonth", "startofyear", "endofday",
        "endofweek", "endofmonth", "endofyear", "datetime_diff", "datetime_add", "datetime_part", "format_datetime", "dayofweek",
        "iff", "iif", "case", "coalesce", "isempty", "isnotempty", "isnull", "isnotnull", "strcat", "strlen", "substring",
        "tolower", "toupper", "trim", "split", "replace_string", "indexof", "extract", "parse_json", "todynamic", "tostring",
        "toint", "tolong", "todouble", "todatetime", "totimespan", "tobool", "array_length", "pack", "bag_pack", "prev", "next",
        "row_number", "hash", "ingestion_time", "toscalar", "round", "abs", "range", "count", "sum", "avg", "dcount",
    ];

    private (SqlValue, SqlValue) UnifyBranches(CallExpr call, SqlValue a, SqlValue b)
    {
        if (a.Type == b.Type)
        {
            return (a with { ListElement = null, Sql = a.JsonSql }, b with { ListElement = null, Sql = b.JsonSql });
        }

        if (a is { IsConstant: true, Constant: null })
        {
            return (SqlValue.Literal(null, b.Type), b);
        }

        if (b is { IsConstant: true, Constant: null })
        {
            return (a, SqlValue.Literal(null, a.Type));
        }

        if (KqlTypes.IsNumeric(a.Type) && KqlTypes.IsNumeric(b.Type))
        {
            var t = Promote(a.Type, b.Type);
            return (Convert(a, t, call.Pos), Convert(b, t, call.Pos));
        }

        if (a.Type == KqlType.Dynamic || b.Type == KqlType.Dynamic)
        {
            return (Convert(a, KqlType.Dynamic, call.Pos), Convert(b, KqlType.Dynamic, call.Pos));
        }

        throw call.Pos.Error($"{call.Name}: branches have different types, {KqlTypes.Name(a.Type)} and {KqlTypes.Name(b.Type)}");
    }

    /// <summary>A dynamic array as a DuckDB LIST: the LIST itself when known, else its JSON elements as text.</summary>
    private static string ElementList(SqlValue v) =>
        v.ListElement is not null ? v.Sql : $"list_transform(CAST({v.JsonSql} AS JSON[]), x -> json_extract_string(x, '$'))";

    private SqlValue DateArg(CallExpr call, SqlValue v) => Typed(call, v, KqlType.DateTime, "a datetime");

    // startofday(d, offset) and friends: the optional second argument shifts by whole periods.
    private SqlValue Shifted(CallExpr call, List<SqlValue> a, SqlValue start, string unit, int multiplier)
    {
        if (a.Count < 2)
        {
            return start;
        }

        var offset = Typed(call, a[1], KqlType.Long, "a whole number offset");
        return Derived($"({start.Sql} + to_{unit}(CAST({offset.Sql} * {multiplier} AS INTEGER)))", KqlType.DateTime, start, offset);
    }

    // The last representable instant (microseconds) of the period that starts at start.
    private static SqlValue EndOf(SqlValue start, string period) =>
        Derived($"({start.Sql} + INTERVAL {period} - INTERVAL 1 MICROSECOND)", KqlType.DateTime, start);

    private SqlValue DateTrunc(CallExpr call, SqlValue v, string unit) =>
        Derived($"date_trunc('{unit}', {DateArg(call, v).Sql})", KqlType.DateTime, v);

    private static string DatePart(CallExpr call, SqlValue unit)
    {
        if (unit is not { IsConstant: true, Constant: string s })
        {
            throw call.Args[0].Pos.Error($"{call.Name} needs a constant unit ('day', 'hour' …)");
        }

        return s.ToLowerInvariant() switch
        {
            "year" => "year",
            "quarter" => "quarter",
            "month" => "month",
            "week" or "weekofyear" => "week",
            "day" => "day",
            "dayofyear" => "dayofyear",
            "hour" => "hour",
            "minute" => "minute",
            "second" => "second",
            "millisecond" => "millisecond",
            "microsecond" => "microsecond",
            "nanosecond" => "nanosecond",
            _ => throw call.Args[0].Pos.Error($"unknown datetime unit '{s}' (year, quarter, month, week, day, hour, minute, second, millisecond, microsecond, nanosecond)"),
        };
    }

    private SqlValue Bin(CallExpr call, SqlValue value, SqlValue size)
    {
        switch (value.Type)
        {
            case KqlType.DateTime:
                {
                    // Kusto bins datetimes from 0001-01-01; in microseconds that origin is -62135596800000000.
                    string us;
                    if (size is { IsConstant: true, Constant: TimeSpan ts })
                    {
                        us = Math.Max(1, BinSizeTicks(call, size) / 10).ToString(CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        var s = Typed(call, size, KqlType.TimeSpan, "a timespan bin size");
                        us = $"greatest(CAST({s.Sql} // 10 AS BIGINT), 1)";
                    }

                    var sql = $"make_timestamp(((epoch_us({value.Sql}) + 62135596800000000) // {us}) * {us} - 62135596800000000)";
                    return Derived(sql, KqlType.DateTime, value, size);
                }

            case KqlType.TimeSpan:
                {
                    var s = Typed(call, size, KqlType.TimeSpan, "a timespan bin size");
                    return Derived($"TRY_CAST(floor({value.Sql} / {s.Sql}) * {s.Sql} AS BIGINT)", KqlType.TimeSpan, value, s);
                }

            case KqlType.Int or KqlType.Long:
                if (size.Type is KqlType.Int or KqlType.Long)
                {
                    return Derived($"TRY_CAST(floor({value.Sql} / {size.Sql}) * {size.Sql} AS {KqlTypes.SqlType(value.Type)})", value.Type, value, size);
                }

                return Derived($"(floor({value.Sql} / {size.Sql}) * {size.Sql})", KqlType.Real, value, size);
            case KqlType.Real or KqlType.Decimal:
                return Derived($"(floor({value.Sql} / {size.Sql}) * {size.Sql})", value.Type, value, size);
            default:
                throw call.Pos.Error($"bin needs a number, datetime or timespan, not {KqlTypes.Name(value.Type)}");
        }
    }

    private SqlValue BinAt(CallExpr call, SqlValue value, SqlValue size, SqlValue at)
    {
        if (value.Type == KqlType.DateTime)
        {
            var ticks = BinSizeTicks(call, size);
            var us = Math.Max(1, ticks / 10);
            var origin = $"epoch_us({DateArg(call, at).Sql})";
            return Derived($"make_timestamp(CAST(floor((epoch_us({value.Sql}) - {origin}) / {us}) AS BIGINT) * {us} + {origin})", KqlType.DateTime, value, at);
        }

        return Derived($"(floor(({value.Sql} - {at.Sql}) / {size.Sql}) * {size.Sql} + {at.Sql})", value.Type, value, size, at);
    }

    private static long BinSizeTicks(CallExpr call, SqlValue size)
    {
        if (size is { IsConstant: true, Constant: TimeSpan ts } && ts.Ticks > 0)
        {
            return ts.Ticks;
        }

        throw call.Args[1].Pos.Error("bin over datetimes needs a positive constant timespan size (like 1h or 10min)");
    }

    /// <summary>
    /// Translates a .NET-style datetime format (yyyy-MM-dd HH:mm:ss.fff) into SQL: strftime for the
    /// fields, and slices of the microseconds for fractions (f… keeps digits, F… drops trailing zeros;
    /// the seventh digit is always 0 because the store keeps microseconds).
    /// </summary>
    private static string FormatDateTimeSql(string value, string format, SourcePosition pos)
    {
        var parts = new List<string>();
        var pending = new StringBuilder();
        void Flush()
        {
            if (pending.Length > 0)
            {
                parts.Add($"strftime({value}, {Sql.String(pending.ToString())})");
                pending.Clear();
            }
        }

        var i = 0;
        while (i < format.Length)
        {
            var c = format[i];
            var run = 1;
            while (i + run < format.Length && format[i + run] == c)
            {
                run++;
            }

            if (c is 'f' or 'F' && run <= 7)
            {
                // As in .NET, an F fraction that is all zeros disappears with the '.' before it.
                var dot = c == 'F' && pending.Length > 0 && pending[^1] == '.';
                if (dot)
                {
                    pending.Length--;
                }

                Flush();
                var digits = $"substr(strftime({value}, '%f') || '0', 1, {run})";
                parts.Add(c == 'f' ? digits
                    : dot ? $"(CASE WHEN rtrim({digits}, '0') = '' THEN '' ELSE '.' || rtrim({digits}, '0') END)"
                    : $"rtrim({digits}, '0')");
                i += run;
                continue;
            }

            string? piece = (c, run) switch
            {
                ('y', 4) => "%Y",
                ('y', 2) => "%y",
                ('M', 2) => "%m",
                ('M', 1) => "%-m",
                ('d', 2) => "%d",
                ('d', 1) => "%-d",
                ('H', 2) => "%H",
                ('H', 1) => "%-H",
                ('h', 2) => "%I",
                ('h', 1) => "%-I",
                ('m', 2) => "%M",
                ('m', 1) => "%-M",
                ('s', 2) => "%S",
                ('s', 1) => "%-S",
                ('t', 2) => "%p",
                _ => null,
            };
            if (piece is not null)
            {
                pending.Append(piece);
            }
            else if (char.IsLetter(c))
            {
                throw pos.Error($"format_datetime: unsupported format '{new string(c, run)}' (supported: yyyy yy MM M dd d HH H hh h mm m ss s f…fffffff F…FFFFFFF tt)");
            }
            else
            {
                pending.Append(c == '%' ? "%%" : new string(c, run));
            }

            i += run;
        }

        Flush();
        return parts.Count == 0 ? "''" : parts.Count == 1 ? parts[0] : "concat(" + string.Join(", ", parts) + ")";
    }
}
