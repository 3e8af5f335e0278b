namespace Tributary.Kql;

/// <summary>Optionally implemented by a catalog so errors can suggest near names ("did you mean …").</summary>
public interface ICatalogListing
{
    /// <summary>All table names.</summary>
    IEnumerable<string> TableNames();

    /// <summary>All stored function names.</summary>
    IEnumerable<string> FunctionNames();

    /// <summary>
    /// The tables a search or find that names none looks in: the database's own tables and views, without tables the
    /// system keeps about itself. Default: <see cref="TableNames"/>.
    /// </summary>
    IEnumerable<string> DatabaseTableNames() => TableNames();
}
