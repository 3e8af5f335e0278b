namespace Tributary.Kql;

/// <summary>The declared schema of a stored table.</summary>
/// <remarks>
/// In DuckDB the table has the same (quoted) name and these columns, plus two hidden columns:
/// <see cref="ExtentColumn"/> (UUID of the extent a row belongs to) and
/// <see cref="IngestionTimeColumn"/> (a datetime's ticks, what <c>ingestion_time()</c> returns).
/// </remarks>
public sealed record TableSchema(string Name, IReadOnlyList<KqlColumn> Columns)
{
    /// <summary>The hidden column holding a row's extent id.</summary>
    public const string ExtentColumn = "__extent_id";

    /// <summary>The hidden column holding a row's ingestion time.</summary>
    public const string IngestionTimeColumn = "__ingestion_time";

    /// <summary>Finds a column by exact name (Kusto names are case-sensitive).</summary>
    public KqlColumn? Find(string name)
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

    /// <summary>The schema in Kusto's <c>(a:string, b:long)</c> form.</summary>
    public string CslSchema => string.Join(", ", Columns.Select(c => $"{c.Name}:{KqlTypes.Name(c.Type)}"));
}
