namespace Tributary.Kql.Binding;

/// <summary>
/// The columns a function returns together (series_fit_line's rsquare, slope …): <see cref="StructSql"/> is a DuckDB
/// STRUCT with one field per column, named as <see cref="Columns"/> are. Unnamed, the columns are called
/// <see cref="NamePrefix"/> + field (<c>series_fit_line_y_slope</c>), as in Kusto.
/// </summary>
internal sealed record SqlTuple(string StructSql, IReadOnlyList<RelColumn> Columns, string NamePrefix)
{
    /// <summary>The SQL of one field of the struct held in <paramref name="structSql"/>.</summary>
    public static string Field(string structSql, string field) => $"struct_extract({structSql}, '{field}')";

    /// <summary>
    /// The output columns as (field, name): <paramref name="given"/> names the first ones (extend (a, b) = …); the
    /// rest take their default names when <paramref name="keepUnnamed"/> (project) and are dropped otherwise (extend),
    /// as in Kusto. More names than columns is an error at <paramref name="pos"/>.
    /// </summary>
    public IReadOnlyList<(RelColumn Field, string Name)> Named(IReadOnlyList<string>? given, bool keepUnnamed, Syntax.SourcePosition pos)
    {
        if (given is not null && given.Count > Columns.Count)
        {
            throw pos.Error($"{given.Count} names for {Columns.Count} columns: the function returns {string.Join(", ", Columns.Select(c => c.Name))}");
        }

        var count = given is null || keepUnnamed ? Columns.Count : given.Count;
        return [.. Columns.Take(count).Select((c, i) => (c, given is not null && i < given.Count ? given[i] : NamePrefix + c.Name))];
    }
}
