namespace Tributary.Kql.Binding;

/// <summary>A column of an intermediate relation: its Kusto name and type, and for dynamic arrays held as a DuckDB LIST, the element type.</summary>
internal sealed record RelColumn(string Name, KqlType Type, KqlType? ListElement = null)
{
    public string Ref => Sql.Ident(Name);

    /// <summary>The column as a translated value.</summary>
    public SqlValue Value => new(Ref, Type) { ListElement = ListElement };
}

/// <summary>
/// An intermediate tabular result during translation: a SQL source (table name or parenthesized
/// SELECT) and its visible columns. Hidden columns travel along: <c>__ingestion_time</c> while rows
/// still come one-to-one from a stored table, <c>__ord</c> once the rows are serialized (sorted).
/// </summary>
internal sealed record Relation(string From, IReadOnlyList<RelColumn> Columns)
{
    public const string OrderColumn = "__ord";

    public bool HasIngestionTime { get; init; }

    public bool Serialized { get; init; }

    public RelColumn? Find(string name)
    {
        foreach (var c in Columns)
        {
            if (c.Name == name)
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>The hidden columns to carry through a row-preserving SELECT, with a leading comma.</summary>
    public string HiddenSelect =>
        (HasIngestionTime ? ", " + Sql.Ident(Kql.TableSchema.IngestionTimeColumn) : "") +
        (Serialized ? ", " + Sql.Ident(OrderColumn) : "");

    public string VisibleSelect => Columns.Count == 0 ? "" : string.Join(", ", Columns.Select(c => c.Ref));

    public string AllSelect => Columns.Count == 0 && !HasIngestionTime && !Serialized
        ? "NULL AS __empty"
        : (VisibleSelect + HiddenSelect).TrimStart(',', ' ');
}
