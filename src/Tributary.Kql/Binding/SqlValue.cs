namespace Tributary.Kql.Binding;

/// <summary>A translated scalar: its SQL, its Kusto type and what the translator knows about it.</summary>
/// <remarks>
/// <see cref="ListElement"/> is set when the SQL is a DuckDB LIST of that element type standing for a
/// dynamic array (range(), split()), so mv-expand and indexing avoid a JSON round trip.
/// <see cref="StringForm"/> is the value as VARCHAR when a dynamic is known to hold a string.
/// String-typed values are never NULL: every producer of a string coalesces to <c>''</c>.
/// </remarks>
internal sealed record SqlValue(string Sql, KqlType Type)
{
    public bool IsConstant { get; init; }

    public object? Constant { get; init; }

    public KqlType? ListElement { get; init; }

    public string? StringForm { get; init; }

    public bool HasWindow { get; init; }

    public bool HasAggregate { get; init; }

    /// <summary>
    /// Set when a function returns several columns (series_fit_line, series_decompose …): all of them, which extend
    /// and project spread into columns. <see cref="Sql"/> is then the first column alone, what the call means inside
    /// an expression or under one name.
    /// </summary>
    public SqlTuple? Tuple { get; init; }

    /// <summary>The SQL of a dynamic value as JSON (materializing a LIST form).</summary>
    public string JsonSql => ListElement switch
    {
        null => Sql,
        KqlType.DateTime => $"to_json(list_transform({Sql}, e -> kql_datetime_str(e)))",
        KqlType.TimeSpan => $"to_json(list_transform({Sql}, e -> kql_timespan_str(e)))",
        _ => $"to_json({Sql})",
    };

    public static SqlValue Literal(object? value, KqlType type) =>
        new(Binding.Sql.Literal(value, type), type) { IsConstant = true, Constant = value };

    /// <summary>The result of an aggregate function (summarize computes it per group).</summary>
    public static SqlValue Aggregated(string sql, KqlType type) => new(sql, type) { HasAggregate = true };
}
