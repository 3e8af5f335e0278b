namespace Tributary.Kql;

/// <summary>What the translator may look up: stored tables and stored functions.</summary>
public interface ICatalog
{
    /// <summary>Finds a table by exact name.</summary>
    bool TryGetTable(string name, out TableSchema table);

    /// <summary>Finds a stored function by exact name.</summary>
    bool TryGetFunction(string name, out FunctionDefinition function);
}
