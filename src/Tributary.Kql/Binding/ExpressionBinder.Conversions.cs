namespace Tributary.Kql.Binding;

// Conversions between Kusto types, with Kusto's rules for strings and dynamic values.
internal sealed partial class ExpressionBinder
{
    /// <summary>The value as a (never null) string, as <c>tostring()</c> gives it.</summary>
    public SqlValue ToStringValue(SqlValue v)
    {
        if (v.Type == KqlType.String)
        {
            return v;
        }

        if (v is { IsConstant: true })
        {
            var text = v.Constant switch
            {
                null => "",
                // As kql_timespan_str prints it: the fraction only when there is one.
                TimeSpan ts when ts.Ticks % TimeSpan.TicksPerSecond == 0 => Values.KqlValueFormatter.FormatTimeSpan(ts)[..^8],
                _ => Values.KqlValueFormatter.Format(v.Constant, v.Type),
            };
            return SqlValue.Literal(text, KqlType.String);
        }

        var sql = v.Type switch
        {
            KqlType.Dynamic when v.StringForm is not null => $"coalesce({v.StringForm}, '')",
            KqlType.Dynamic => $"coalesce(json_extract_string({v.JsonSql}, '$'), '')",
            KqlType.DateTime => $"kql_datetime_str({v.Sql})",
            KqlType.TimeSpan => $"kql_timespan_str({v.Sql})",
            KqlType.Bool => $"coalesce(CASE WHEN {v.Sql} THEN 'true' ELSE 'false' END, '')",
            _ => $"coalesce(CAST({v.Sql} AS VARCHAR), '')",
        };
        return Derived(sql, KqlType.String, v);
    }

    /// <summary>Converts a value to <paramref name="target"/>: numeric widening and narrowing, dynamic to a typed value, text parsing (NULL when it does not parse).</summary>
    public SqlValue Convert(SqlValue v, KqlType target, Syntax.SourcePosition pos)
    {
        if (v.Type == target && v.ListElement is null)
        {
            return v;
        }

        if (v is { IsConstant: true, Constant: null })
        {
            return SqlValue.Literal(null, target);
        }

        if (target == KqlType.String)
        {
            return ToStringValue(v);
        }

        if (target == KqlType.Dynamic)
        {
            var json = v.Type switch
            {
                KqlType.Dynamic => v.JsonSql,
                KqlType.DateTime => $"to_json(kql_datetime_str({v.Sql}))",
                KqlType.TimeSpan => $"to_json(kql_timespan_str({v.Sql}))",
                _ => $"to_json({v.Sql})",
            };
            return Derived(json, KqlType.Dynamic, v);
        }

        var sqlType = KqlTypes.SqlType(target);
        if (v.Type == KqlType.Dynamic)
        {
            var text = v.StringForm ?? $"json_extract_string({v.JsonSql}, '$')";
            var sql = target switch
            {
                KqlType.TimeSpan => $"kql_parse_timespan({text})",
                KqlType.DateTime => ParseDateTimeSql(text),
                KqlType.Int or KqlType.Long => $"TRY_CAST(trunc(TRY_CAST({text} AS DOUBLE)) AS {sqlType})",
                _ => $"TRY_CAST({text} AS {sqlType})",
            };
            return Derived(sql, target, v);
        }

        if (v.Type == KqlType.String)
        {
            var sql = target switch
            {
                KqlType.TimeSpan => $"kql_parse_timespan({v.Sql})",
                KqlType.DateTime => ParseDateTimeSql($"nullif({v.Sql}, '')"),
                KqlType.Bool => $"TRY_CAST(nullif({v.Sql}, '') AS BOOLEAN)",
                _ => $"TRY_CAST(nullif(trim({v.Sql}), '') AS {sqlType})",
            };
            return Derived(sql, target, v);
        }

        if (KqlTypes.IsNumeric(v.Type) && KqlTypes.IsNumeric(target))
        {
            // A whole-number constant widened stays a constant (a function's real parameter given 99 still folds).
            if (v is { IsConstant: true, Constant: long or int } && target is KqlType.Real or KqlType.Long)
            {
                return SqlValue.Literal(target == KqlType.Real
                    ? System.Convert.ToDouble(v.Constant, System.Globalization.CultureInfo.InvariantCulture)
                    : System.Convert.ToInt64(v.Constant, System.Globalization.CultureInfo.InvariantCulture), target);
            }

            var sql = target is KqlType.Int or KqlType.Long && v.Type is KqlType.Real or KqlType.Decimal
                ? $"TRY_CAST(trunc({v.Sql}) AS {sqlType})"
                : $"CAST({v.Sql} AS {sqlType})";
            return Derived(sql, target, v);
        }

        if (KqlTypes.IsNumeric(v.Type) && target == KqlType.TimeSpan)
        {
            // tolong(timespan) and totimespan(long) work in ticks.
            return Derived($"CAST({v.Sql} AS BIGINT)", target, v);
        }

        if (v.Type == KqlType.TimeSpan && KqlTypes.IsNumeric(target))
        {
            return Derived($"CAST({v.Sql} AS {sqlType})", target, v);
        }

        if (v.Type == KqlType.DateTime && target is KqlType.Long)
        {
            return Derived(v.Sql, target, v);
        }

        if (v.Type == KqlType.Bool && KqlTypes.IsNumeric(target))
        {
            return Derived($"CAST({v.Sql} AS {sqlType})", target, v);
        }

        if (KqlTypes.IsNumeric(v.Type) && target == KqlType.Bool)
        {
            return Derived($"({v.Sql} <> 0)", target, v);
        }

        throw pos.Error($"cannot convert {KqlTypes.Name(v.Type)} to {KqlTypes.Name(target)}");
    }

    /// <summary>
    /// Text to a datetime's ticks: the engine's casts read ISO 8601 (<see cref="Sql.IsoTextToTicks"/>); the RFC 822 and
    /// RFC 850 forms Kusto also reads go to kql_parse_datetime, which coalesce calls only for text the casts could not read.
    /// </summary>
    internal static string ParseDateTimeSql(string text) => $"coalesce({Sql.IsoTextToTicks(text)}, kql_parse_datetime({text}))";

    /// <summary><c>range(from, to, step)</c> as a DuckDB LIST (inclusive of <paramref name="to"/> when a step lands on it).</summary>
    public SqlValue Series(SqlValue from, SqlValue to, SqlValue step, Syntax.SourcePosition pos)
    {
        if (step is { IsConstant: true, Constant: 0L or 0 or 0.0 } || step is { IsConstant: true, Constant: TimeSpan { Ticks: 0 } })
        {
            throw pos.Error("a range's step must not be zero (it would never reach its end)");
        }

        if (from.Type == KqlType.DateTime)
        {
            to = to.Type == KqlType.DateTime ? to : throw pos.Error("range from a datetime needs a datetime end");
            if (step.Type != KqlType.TimeSpan)
            {
                throw pos.Error("range over datetimes needs a timespan step");
            }

            return Derived($"generate_series({from.Sql}, {to.Sql}, {step.Sql})", KqlType.Dynamic, from, to, step)
                with { ListElement = KqlType.DateTime };
        }

        if (from.Type == KqlType.TimeSpan)
        {
            return Derived($"generate_series({from.Sql}, {Convert(to, KqlType.TimeSpan, pos).Sql}, {Convert(step, KqlType.TimeSpan, pos).Sql})", KqlType.Dynamic, from, to, step)
                with { ListElement = KqlType.TimeSpan };
        }

        if (!KqlTypes.IsNumeric(from.Type) || !KqlTypes.IsNumeric(to.Type) || !KqlTypes.IsNumeric(step.Type))
        {
            throw pos.Error($"range needs numbers, datetimes or timespans, not {KqlTypes.Name(from.Type)}");
        }

        if (from.Type is KqlType.Int or KqlType.Long && to.Type is KqlType.Int or KqlType.Long && step.Type is KqlType.Int or KqlType.Long)
        {
            return Derived($"generate_series(CAST({from.Sql} AS BIGINT), CAST({to.Sql} AS BIGINT), CAST({step.Sql} AS BIGINT))", KqlType.Dynamic, from, to, step)
                with { ListElement = KqlType.Long };
        }

        var f = $"CAST({from.Sql} AS DOUBLE)";
        var s = $"CAST({step.Sql} AS DOUBLE)";
        var sql = $"list_transform(generate_series(0, CAST(floor((CAST({to.Sql} AS DOUBLE) - {f}) / {s}) AS BIGINT)), i -> {f} + i * {s})";
        return Derived(sql, KqlType.Dynamic, from, to, step) with { ListElement = KqlType.Real };
    }
}
