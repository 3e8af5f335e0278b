using Tributary.Kql;

namespace Tributary.Query;

/// <summary>
/// The answer to a query or control command: typed columns and rows, in result order.
/// </summary>
/// <remarks>
/// Row values are CLR values by column type: string (never null for a string column: <c>""</c>),
/// int, long, double, decimal, bool, <see cref="DateTime"/> (UTC), <see cref="TimeSpan"/>,
/// <see cref="Guid"/>, and for dynamic the JSON text as a string. Any value but a string may be
/// null. <see cref="Render"/> is set when the query ended in a <c>render</c> operator.
/// </remarks>
public sealed record QueryResult(IReadOnlyList<KqlColumn> Columns, IReadOnlyList<object?[]> Rows, RenderSpec? Render = null)
{
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
