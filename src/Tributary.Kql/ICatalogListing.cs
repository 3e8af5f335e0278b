namespace Tributary.Kql;

/// <summary>Optionally implemented by a catalog so errors can suggest near names ("did you mean …").</summary>
public interface ICatalogListing
{
    /// <summary>All table names.</summary>
    IEnumerable<string> TableNames();

    /// <summary>All stored function names.</summary>
    IEnumerable<string> FunctionNames();
}
