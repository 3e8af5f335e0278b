namespace Tributary.Kql;

/// <summary>
/// Reads data while a query is translated, for the operators whose output columns depend on it: <c>bag_unpack</c>
/// (the property names in a dynamic column) and <c>pivot</c> (the values of a column). The store that will run the
/// query supplies one; without it those operators need an output schema written in the query.
/// </summary>
/// <remarks>
/// The translator asks small questions (distinct keys, distinct values) of the query's own input, so a probe runs
/// part of the query once before the query itself runs, as Kusto does when no output schema is given.
/// </remarks>
public interface IDataProbe
{
    /// <summary>Runs <paramref name="sql"/>, a single read-only SELECT whose columns are all text, and returns its rows (a SQL null as null).</summary>
    IReadOnlyList<string?[]> Query(string sql);
}
