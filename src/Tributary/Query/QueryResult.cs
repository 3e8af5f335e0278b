using Tributary.Kql;

namespace Tributary.Query;

/// <summary>
/// The answer to a query or control command: typed columns and rows, in result order.
/// </summary>
/// <remarks>
/// Row values are CLR values by column type: string (never null for a string column: <c>""</c>),
/// int, long, double, decimal, bool, <see cref="DateTime"/> (UTC), <see cref="TimeSpan"/>,
/// <see cref="Guid"/>, and for dynamic the JSON text as a string. Any value but a string may be
/// null. <see cref="Render"/> is set when the query ended in a <c>render</c> operator. A query with several
/// result tables (<c>fork</c>, <c>facet</c>) gives the first here and the others in <see cref="MoreTables"/>.
/// </remarks>
public sealed record QueryResult(IReadOnlyList<KqlColumn> Columns, IReadOnlyList<object?[]> Rows, RenderSpec? Render = null)
{
    /// <summary>The table's name, when the query gave one (<c>fork Name = (…)</c>, <c>as Name</c>, facet's column).</summary>
    public string? Name { get; init; }

    /// <summary>The further result tables of a query that has several (<c>fork</c>, <c>facet</c>), in order; empty for most.</summary>
    public IReadOnlyList<QueryResult> MoreTables { get; init; } = [];

    /// <summary>A result with no columns and no rows (what a command with no output returns).</summary>
    public static QueryResult Empty { get; } = new([], []);

    /// <summary>The index of a column by exact name, or -1.</summary>
    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i].Name == column)
            {
                return i;
            }
        }

        return -1;
    }
}
