namespace Tributary.Kql.Binding;

/// <summary>
/// Window values that another window function reads (<c>row_number(1, prev(a) != a)</c>): SQL cannot nest one
/// window function in another, so each such value is computed one SELECT below the operator that uses it, as a
/// hidden column the outer window reads. Collected while an operator binds its expressions, then applied to its
/// input with <see cref="Apply"/>; used by one operator binding, not thread-safe.
/// </summary>
internal sealed class WindowStages(QueryBinder owner)
{
    private readonly List<(string Name, string Sql)> _stages = [];

    public bool IsEmpty => _stages.Count == 0;

    /// <summary>A reference to <paramref name="value"/> computed in a stage below; a value without a window is returned as it is.</summary>
    public SqlValue Add(SqlValue value)
    {
        if (!value.HasWindow)
        {
            return value;
        }

        var name = "__w" + owner.NextAlias();
        _stages.Add((name, value.Sql));
        return new SqlValue(Sql.Ident(name), value.Type) { ListElement = value.ListElement, StringForm = null };
    }

    /// <summary>
    /// <paramref name="input"/> with one SELECT per stage, in the order they were added (a later stage may read an
    /// earlier one); the visible columns stay those of <paramref name="input"/>.
    /// </summary>
    public Relation Apply(Relation input)
    {
        var relation = input;
        foreach (var (name, sql) in _stages)
        {
            relation = relation with { From = $"(SELECT *, {sql} AS {Sql.Ident(name)} FROM {relation.From} AS {owner.NextAlias()})" };
        }

        _stages.Clear();
        return relation;
    }
}
