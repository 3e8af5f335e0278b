namespace Tributary.Store;

/// <summary>
/// A command the user gave cannot be carried out: unknown table, bad file, bad row, a second owner
/// of the data directory. The message says what, where and why; nothing was changed.
/// </summary>
public sealed class StoreException : Exception
{
    /// <summary>Creates the error.</summary>
    public StoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    public StoreException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
