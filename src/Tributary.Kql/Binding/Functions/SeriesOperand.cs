namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// A series_* argument: a dynamic array of numbers, or (where the function allows it) a number that stands for every
/// element. <see cref="Doubles"/> is its SQL as a DuckDB <c>DOUBLE[]</c> (a number for a scalar), with null where an
/// element is not a number; <see cref="Longs"/> the same as <c>BIGINT[]</c>, meaningful only when the elements are
/// whole numbers, which <see cref="Element"/> tells (or, for a dynamic array of unknown elements, <see cref="IsWholeSql"/>
/// checks when the query runs).
/// </summary>
internal sealed record SeriesOperand(SqlValue Value, string Doubles, string Longs, SeriesElement Element, bool IsScalar)
{
    /// <summary>SQL that is true when every element is a whole number (and at least one is present).</summary>
    public string IsWholeSql => Element switch
    {
        SeriesElement.Long => "true",
        SeriesElement.Real => "false",
        _ => $"list_transform([json_type({Value.JsonSql}, '$[*]')], __t -> list_bool_and(list_transform(__t, __k -> __k IN ('BIGINT', 'UBIGINT', 'NULL'))) AND (list_contains(__t, 'BIGINT') OR list_contains(__t, 'UBIGINT')))[1]",
    };

    /// <summary>Argument <paramref name="i"/>, which must be a dynamic array (or, with <paramref name="allowScalar"/>, a number).</summary>
    public static SeriesOperand Of(FunctionCall c, int i, bool allowScalar = false)
    {
        var v = c.Arg(i);
        if (v.ListElement is { } element)
        {
            return element switch
            {
                KqlType.Int or KqlType.Long => new(v, $"CAST({v.Sql} AS DOUBLE[])", $"CAST({v.Sql} AS BIGINT[])", SeriesElement.Long, false),
                KqlType.DateTime or KqlType.TimeSpan => throw NotNumbers(c, i, allowScalar, $"an array of {KqlTypes.Name(element)}"),
                _ => new(v, $"TRY_CAST({v.Sql} AS DOUBLE[])", $"TRY_CAST({v.Sql} AS BIGINT[])", SeriesElement.Real, false),
            };
        }

        if (v.Type == KqlType.Dynamic)
        {
            return new(v, $"TRY_CAST({v.Sql} AS DOUBLE[])", $"TRY_CAST({v.Sql} AS BIGINT[])", SeriesElement.Json, false);
        }

        if (allowScalar && KqlTypes.IsNumeric(v.Type))
        {
            var whole = v.Type is KqlType.Int or KqlType.Long;
            return new(v, $"CAST({v.Sql} AS DOUBLE)", whole ? $"CAST({v.Sql} AS BIGINT)" : "NULL", whole ? SeriesElement.Long : SeriesElement.Real, true);
        }

        throw NotNumbers(c, i, allowScalar, KqlTypes.Name(v.Type));
    }

    /// <summary>A whole number standing for every element (series_fill_const's default 0).</summary>
    public static SeriesOperand WholeNumber(long value, SqlValue origin)
    {
        var text = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new(origin, $"CAST({text} AS DOUBLE)", text, SeriesElement.Long, IsScalar: true);
    }

    /// <summary>
    /// A series result from SQL over whole numbers (<paramref name="longs"/>, a <c>BIGINT[]</c>) and over reals
    /// (<paramref name="doubles"/>, a <c>DOUBLE[]</c>): the one that fits the elements of <paramref name="operands"/>
    /// (whole numbers only when all of them are), chosen when the query runs if one is a dynamic array of unknown elements.
    /// </summary>
    public static SqlValue Result(string longs, string doubles, IReadOnlyList<SeriesOperand> operands)
    {
        var from = operands.Select(o => o.Value).ToArray();
        if (operands.Any(o => o.Element == SeriesElement.Real))
        {
            return List(doubles, KqlType.Real, from);
        }

        if (operands.All(o => o.Element == SeriesElement.Long))
        {
            return List(longs, KqlType.Long, from);
        }

        var whole = string.Join(" AND ", operands.Where(o => o.Element == SeriesElement.Json).Select(o => o.IsWholeSql));
        return ExpressionBinder.Derived($"(CASE WHEN {whole} THEN to_json({longs}) ELSE to_json({doubles}) END)", KqlType.Dynamic, from);
    }

    /// <summary>A DuckDB list of <paramref name="element"/> standing for a dynamic array.</summary>
    public static SqlValue List(string sql, KqlType element, params SqlValue[] from) =>
        ExpressionBinder.Derived(sql, KqlType.Dynamic, from) with { ListElement = element };

    private static KqlException NotNumbers(FunctionCall c, int i, bool allowScalar, string what) =>
        c.ArgError(i, $"{c.Name}() expects a dynamic array of numbers{(allowScalar ? " or a number" : "")}, not {what}");
}

/// <summary>What the elements of a <see cref="SeriesOperand"/> are known to be when the query is translated.</summary>
internal enum SeriesElement
{
    /// <summary>Whole numbers (long or int).</summary>
    Long,

    /// <summary>Reals, or not known to be whole.</summary>
    Real,

    /// <summary>A dynamic array whose elements are known only when the query runs.</summary>
    Json,
}
